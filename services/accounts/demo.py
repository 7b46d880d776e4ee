"""Demo accounts for a development portal: one citizen, a clerk and a supervisor in two agencies, an admin."""

from dataclasses import dataclass

from django.db import transaction

from services.accounts.models import StaffRole, User
from services.accounts.totp import totp_demo_key, totp_device_ensure
from services.catalogue.models import Agency
from services.registries.population import person


@dataclass(frozen=True)
class DemoAccount:
    iin: str
    first_name: str
    last_name: str
    role: str  # "citizen", "admin" or a StaffRole value
    agency: str = ""


DEMO_ACCOUNTS = (
    DemoAccount("900101300007", "Aidos", "Serikbayev", "citizen"),
    DemoAccount("850312401007", "Aigerim", "Bekova", StaffRole.CLERK, "internal-affairs"),
    DemoAccount("790830301013", "Nurlan", "Omarov", StaffRole.SUPERVISOR, "internal-affairs"),
    DemoAccount("881105401024", "Dana", "Zhakupova", StaffRole.CLERK, "local-executive-bodies"),
    DemoAccount("760217301035", "Yerlan", "Kassymov", StaffRole.SUPERVISOR, "local-executive-bodies"),
    DemoAccount("700101300015", "Admin", "Portal", "admin"),
)


@transaction.atomic
def demo_accounts_ensure(*, password: str) -> list[User]:
    """Create or reset the demo accounts (idempotent); staff and the admin get an authenticator with a fixed secret.

    The catalogue must be loaded first.
    """
    users = []
    for account in DEMO_ACCOUNTS:
        agency = Agency.objects.get(code=account.agency) if account.agency else None
        user, _ = User.objects.update_or_create(
            iin=account.iin,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.first_name.lower()}@portal.localhost",
                "phone": _registered_phone(account.iin),  # so the demo's SMS go somewhere, as at sign-up
                "agency": agency,
                "staff_role": account.role if agency else "",
                "is_staff": account.role == "admin",
                "is_superuser": account.role == "admin",
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        if account.role != "citizen":
            totp_device_ensure(user=user, key=totp_demo_key(account.iin))
        users.append(user)
    return users


def _registered_phone(iin: str) -> str:
    record = person(iin)
    return record.phone if record else ""
