from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from services.accounts.demo import demo_accounts_ensure

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
