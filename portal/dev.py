"""Development-only pages. They answer 404 unless DEBUG is on, decided on each request."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from services.notifications.service import notifications_latest

INBOX_SIZE = 100


@never_cache
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The latest notifications the portal sent (or gave up on), newest first."""
    if not settings.DEBUG:
        raise Http404
    return render(
        request, "portal/dev_inbox.html", {"notifications": notifications_latest(limit=INBOX_SIZE), "limit": INBOX_SIZE}
    )
