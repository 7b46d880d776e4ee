"""Consents on the profile page: plain forms to allow an organisation and to revoke, with CSRF."""

import pytest
from django.test import Client
from django.urls import reverse

from services.consents.models import Consent, Purpose
from services.consents.selectors import requests_readable_by
from tests.factories import ServiceRequestFactory, ThirdPartyClientFactory, UserFactory

pytestmark = pytest.mark.django_db


def _allow(client, bank):
    return client.post(reverse("profile_consent_give"), {"client": bank.pk, "purpose": Purpose.READ_REQUESTS})


def test_the_citizen_allows_and_revokes_on_the_profile_page(client):
    citizen, bank = UserFactory(), ThirdPartyClientFactory(name="Demo Bank JSC")
    request = ServiceRequestFactory(citizen=citizen, submitted=True)
    client.force_login(citizen)
    client.cookies["django_language"] = "en"  # the assertions read the English labels
    page = client.get(reverse("profile")).content.decode()
    assert "Allow Demo Bank JSC" in page

    response = _allow(client, bank)
    assert response.status_code == 302 and response.url.endswith("#consents")
    consent = Consent.objects.get(citizen=citizen, client=bank)
    assert list(requests_readable_by(bank.user)) == [request]
    page = client.get(reverse("profile")).content.decode()
    assert "Revoke consent for Demo Bank JSC" in page
    assert reverse("profile_consent_revoke", args=[consent.pk]) in page

    client.post(reverse("profile_consent_revoke", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert list(requests_readable_by(bank.user)) == []
    assert "Allow Demo Bank JSC" in client.get(reverse("profile")).content.decode()


def test_the_forms_need_the_csrf_token():
    citizen, bank = UserFactory(), ThirdPartyClientFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert _allow(client, bank).status_code == 403
    assert not Consent.objects.exists()


def test_another_citizens_consent_cannot_be_revoked_and_nonsense_is_a_404(client):
    bank = ThirdPartyClientFactory()
    owner = UserFactory()
    client.force_login(owner)
    _allow(client, bank)
    consent = Consent.objects.get()
    client.force_login(UserFactory())
    assert client.post(reverse("profile_consent_revoke", args=[consent.pk])).status_code == 404
    assert client.post(reverse("profile_consent_give"), {"client": "x", "purpose": "y"}).status_code == 404
    consent.refresh_from_db()
    assert consent.standing
