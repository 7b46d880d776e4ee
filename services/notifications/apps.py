from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "services.notifications"
    label = "notifications"

    def ready(self) -> None:
        """Register the "email" and "sms" outbox handlers."""
        from services.notifications import handlers  # noqa: F401
