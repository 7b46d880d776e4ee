from django.apps import AppConfig
from django.core import checks


class DocumentsConfig(AppConfig):
    name = "services.documents"
    label = "documents"

    def ready(self) -> None:
        from services.documents.checks import check_signing_key

        # A deployment check: `manage.py check --deploy` (and CI) fail without a lasting key.
        checks.register(check_signing_key, "deploy", "documents", deploy=True)
