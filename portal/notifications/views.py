"""The citizen's notification inbox: the email and SMS the portal sent them."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from services.notifications.selectors import notifications_for_citizen

PAGE_SIZE = 20


@login_required
@require_GET
def notification_inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in citizen's messages, newest first, a page at a time."""
    paginator = Paginator(notifications_for_citizen(citizen=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "portal/notifications/inbox.html", {"page": page})
