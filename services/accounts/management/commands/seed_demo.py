from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from services.accounts.demo import demo_accounts_ensure
from services.accounts.totp import totp_device_of
from services.consents.demo import demo_bank_ensure

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - known on purpose; the command refuses to run unless DEBUG


class Command(BaseCommand):
    help = "Create the demo accounts (development only) and print how to log in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args, password: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts have known passwords: they are created only when DEBUG is on.")
        users = demo_accounts_ensure(password=password)
        self.stdout.write(f"Demo accounts (log in with the IIN; password for all: {password}):")
        for user in users:
            role = "admin" if user.is_superuser else (user.staff_role or "citizen")
            where = f" - {user.agency.name_en}" if user.agency else ""
            self.stdout.write(f"  {user.iin}  {role:<10} {user.get_full_name()}{where}")
        self.stdout.write(
            "Staff log in at /backoffice/login/ (the admin at /admin/) with a one-time code as well. Add the\n"
            "otpauth URI to an authenticator app, or print the current code with\n"
            "  DEBUG=true .venv/bin/python manage.py totp_code --iin <IIN>"
        )
        for user in users:
            device = totp_device_of(user)
            if device is not None:
                self.stdout.write(f"  {user.iin}  {device.config_url}")
        bank = demo_bank_ensure(password=password)
        self.stdout.write(
            f"Demo bank {bank.name} (BIN {bank.bin}): its account {bank.user.iin} makes API tokens at\n"
            "/accounts/profile/tokens/ and reads the requests of citizens who allow it on their profile page."
        )
