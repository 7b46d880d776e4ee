"""Giving and revoking consents. A revoked consent stays as history; giving again makes a new row."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.accounts.models import User
from services.consents.models import Consent, ThirdPartyClient
from services.consents.selectors import purpose_allowed


def consent_give(*, citizen: User, client: ThirdPartyClient, purpose: str) -> Consent:
    """The citizen's standing consent to `client` for `purpose`: the one already given, or a new one."""
    if not purpose_allowed(client=client, purpose=purpose):
        raise ValidationError(_("This organisation may not ask for this consent."))
    standing = Consent.objects.filter(citizen=citizen, client=client, purpose=purpose, revoked_at__isnull=True)
    try:
        with transaction.atomic():
            consent, _created = standing.get_or_create(citizen=citizen, client=client, purpose=purpose)
    except IntegrityError:  # a concurrent give won the race
        consent = standing.get()
    return consent


def consent_revoke(*, consent: Consent) -> Consent:
    """Close a standing consent; the client loses access at once (every read checks it)."""
    Consent.objects.filter(pk=consent.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    consent.refresh_from_db()
    return consent
