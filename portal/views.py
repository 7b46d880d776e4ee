from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from services.catalogue.models import Service
from services.ops.service import broker_reachable, database_reachable, last_worker_heartbeat


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    services = Service.objects.filter(active=True).select_related("agency").order_by("code")
    return render(request, "portal/home.html", {"services": services})


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
