"""Development-only pages (the notification inbox); served only when DEBUG is on."""

urlpatterns = []
