"""`manage.py webhook_secrets_reseal`: after a SECRET_KEY rotation, seal webhook secrets under the new key."""

from django.core.management.base import BaseCommand

from services.webhooks.service import secrets_reseal


class Command(BaseCommand):
    help = "Seal every webhook signing secret under the current SECRET_KEY (run before dropping a fallback key)."

    def handle(self, *args: object, **options: object) -> None:
        resealed = secrets_reseal()
        self.stdout.write(self.style.SUCCESS(f"{resealed} webhook secrets sealed under the current key."))
