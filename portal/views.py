from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from services.catalogue.selectors import life_events_with_services, services_count
from services.i18n import current_language
from services.ops.service import broker_reachable, database_reachable, last_worker_heartbeat


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The front page: search, the life events as ways in, and a link to the whole catalogue."""
    context = {
        "life_events": life_events_with_services(language=current_language()),
        "service_count": services_count(),
    }
    return render(request, "portal/home.html", context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent from a page too old (or without its cookie), as a portal page.

    Rendered with the request, so the page has its navigation and a fresh token for the next try.
    """
    return render(request, "portal/errors/csrf_failure.html", status=403)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches nothing else, so it never fails because of a dependency."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database and the broker are reachable. Reports the last worker heartbeat too."""
    checks = {"database": database_reachable(), "broker": broker_reachable()}
    heartbeat = last_worker_heartbeat() if checks["database"] else None
    body = {
        "status": "ok" if all(checks.values()) else "unavailable",
        "checks": checks,
        "worker_last_seen": heartbeat.isoformat() if heartbeat else None,
    }
    return JsonResponse(body, status=200 if all(checks.values()) else 503)
