"""A demo bank for a development portal: a third-party client that may ask to read citizens' requests."""

from django.db import transaction

from services.accounts.models import User
from services.consents.models import Purpose, ThirdPartyClient

DEMO_BANK_BIN = "990140000014"
DEMO_BANK_ACCOUNT_IIN = "700101300025"  # the account its API tokens belong to


@transaction.atomic
def demo_bank_ensure(*, password: str) -> ThirdPartyClient:
    """Create or reset the demo bank and its account (idempotent)."""
    user, _ = User.objects.update_or_create(
        iin=DEMO_BANK_ACCOUNT_IIN,
        defaults={"first_name": "Demo", "last_name": "Bank", "email": "bank@portal.localhost"},
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    bank, _ = ThirdPartyClient.objects.update_or_create(
        bin=DEMO_BANK_BIN,
        defaults={"name": "Demo Bank JSC", "user": user, "purposes": [Purpose.READ_REQUESTS.value], "active": True},
    )
    return bank
