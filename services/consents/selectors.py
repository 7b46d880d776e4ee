"""Reads: a user's client, a citizen's consents, and the requests a caller may read."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from services.accounts.models import User
from services.consents.models import Consent, Purpose, ThirdPartyClient
from services.workflow.models import ServiceRequest


def client_of(user: User) -> ThirdPartyClient | None:
    """The active third-party client whose account `user` is, if any."""
    return ThirdPartyClient.objects.filter(user=user, active=True).first()


def consents_of(citizen: User) -> QuerySet[Consent]:
    """The citizen's consents, standing and revoked, newest first."""
    return Consent.objects.filter(citizen=citizen).select_related("client")


def clients_asking() -> QuerySet[ThirdPartyClient]:
    """The clients a citizen may give consent to."""
    return ThirdPartyClient.objects.filter(active=True)


def purpose_allowed(*, client: ThirdPartyClient, purpose: Purpose) -> bool:
    """Whether the client is active and may still ask for `purpose`; consents for a purpose it lost do not count."""
    return client.active and purpose in client.purposes


def consent_stands(*, citizen_id: int, client_id: int, purpose: Purpose) -> bool:
    """Whether the citizen's consent to this client for this purpose stands now."""
    return Consent.objects.filter(
        citizen_id=citizen_id, client_id=client_id, purpose=purpose, revoked_at__isnull=True
    ).exists()


def requests_readable_by(user: User) -> QuerySet[ServiceRequest]:
    """The requests `user` may read: their own, or, for a client's account, those of citizens with standing consent.

    The consent is checked in the query itself, so a revoked consent stops access on the next read; a
    client that lost the purpose reads nothing, whatever consents it was given.
    """
    client = client_of(user)
    if client is None:
        return ServiceRequest.objects.filter(citizen=user)
    if not purpose_allowed(client=client, purpose=Purpose.READ_REQUESTS):
        return ServiceRequest.objects.none()
    standing = Consent.objects.filter(
        citizen=OuterRef("citizen"), client=client, purpose=Purpose.READ_REQUESTS, revoked_at__isnull=True
    )
    return ServiceRequest.objects.filter(Exists(standing))


@dataclass(frozen=True)
class ConsentOffer:
    """One thing a citizen may allow: a client and one of its purposes, with the standing consent if given."""

    client: ThirdPartyClient
    purpose: Purpose
    standing: Consent | None


def consent_offers(citizen: User) -> list[ConsentOffer]:
    """Every client's every purpose, with the citizen's standing consent to it (or None)."""
    standing = {
        (consent.client_id, consent.purpose): consent
        for consent in Consent.objects.filter(citizen=citizen, revoked_at__isnull=True)
    }
    return [
        ConsentOffer(client=client, purpose=Purpose(purpose), standing=standing.get((client.pk, purpose)))
        for client in clients_asking()
        for purpose in client.purposes
        if purpose in Purpose.values
    ]
