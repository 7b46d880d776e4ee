"""Consents: given once while standing, revoked as history, and the reads of a client follow them."""

import pytest
from django.core.exceptions import ValidationError

from services.consents.models import Consent, Purpose
from services.consents.selectors import requests_readable_by
from services.consents.service import consent_give, consent_revoke
from tests.factories import ServiceRequestFactory, ThirdPartyClientFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_giving_twice_keeps_one_standing_consent():
    citizen, bank = UserFactory(), ThirdPartyClientFactory()
    first = consent_give(citizen=citizen, client=bank, purpose=Purpose.READ_REQUESTS)
    again = consent_give(citizen=citizen, client=bank, purpose=Purpose.READ_REQUESTS)
    assert first.pk == again.pk
    assert Consent.objects.count() == 1


def test_a_purpose_the_client_may_not_ask_for_is_refused():
    bank = ThirdPartyClientFactory(purposes=[])
    with pytest.raises(ValidationError):
        consent_give(citizen=UserFactory(), client=bank, purpose=Purpose.READ_REQUESTS)


def test_revoking_keeps_the_row_and_giving_again_makes_a_new_one():
    citizen, bank = UserFactory(), ThirdPartyClientFactory()
    revoked = consent_revoke(consent=consent_give(citizen=citizen, client=bank, purpose=Purpose.READ_REQUESTS))
    assert revoked.revoked_at is not None
    renewed = consent_give(citizen=citizen, client=bank, purpose=Purpose.READ_REQUESTS)
    assert renewed.pk != revoked.pk
    assert list(Consent.objects.order_by("pk").values_list("revoked_at", flat=True))[1] is None


def test_a_client_reads_only_the_requests_of_citizens_with_standing_consent():
    bank = ThirdPartyClientFactory()
    consenting, other = UserFactory(), UserFactory()
    theirs = ServiceRequestFactory(citizen=consenting, submitted=True)
    ServiceRequestFactory(citizen=other, submitted=True)
    consent_give(citizen=other, client=ThirdPartyClientFactory(), purpose=Purpose.READ_REQUESTS)  # another bank's
    assert list(requests_readable_by(bank.user)) == []
    consent = consent_give(citizen=consenting, client=bank, purpose=Purpose.READ_REQUESTS)
    assert list(requests_readable_by(bank.user)) == [theirs]
    consent_revoke(consent=consent)
    assert list(requests_readable_by(bank.user)) == []


def test_a_citizen_reads_only_their_own_requests():
    citizen = UserFactory()
    own = ServiceRequestFactory(citizen=citizen)
    ServiceRequestFactory()
    assert list(requests_readable_by(citizen)) == [own]


def test_a_client_that_lost_the_purpose_reads_nothing_until_it_has_it_again():
    bank = ThirdPartyClientFactory()
    consenting = UserFactory()
    theirs = ServiceRequestFactory(citizen=consenting, submitted=True)
    consent_give(citizen=consenting, client=bank, purpose=Purpose.READ_REQUESTS)
    bank.purposes = []
    bank.save()
    assert list(requests_readable_by(bank.user)) == []
    bank.purposes = [Purpose.READ_REQUESTS.value]
    bank.save()
    assert list(requests_readable_by(bank.user)) == [theirs]
