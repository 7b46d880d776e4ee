from django.apps import AppConfig


class ProcessingConfig(AppConfig):
    name = "services.processing"
    label = "processing"

    def ready(self) -> None:
        from services.processing import handlers  # noqa: F401 - registers the outbox handlers
