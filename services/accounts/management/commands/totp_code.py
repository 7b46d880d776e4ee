from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from services.accounts.models import User
from services.accounts.totp import totp_code_now, totp_device_of


class Command(BaseCommand):
    help = "Print a staff member's current one-time code (development only: it stands in for their phone)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--iin", required=True)

    def handle(self, *args, iin: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("One-time codes are printed only when DEBUG is on.")
        user = User.objects.filter(iin=iin).first()
        device = totp_device_of(user) if user else None
        if device is None:
            raise CommandError("No authenticator is set up for that IIN.")
        self.stdout.write(totp_code_now(device))
