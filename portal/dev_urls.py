"""Development-only pages (the notification inbox); served only when DEBUG is on."""

from django.urls import path

from portal import dev

urlpatterns = [
    path("inbox/", dev.inbox, name="dev-inbox"),
]
