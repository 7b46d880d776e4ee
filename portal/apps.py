from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self) -> None:
        import config.checks  # noqa: F401 (registers the configuration checks)
