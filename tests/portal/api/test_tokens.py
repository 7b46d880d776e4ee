"""Personal access tokens: hashed, named, expiring, revocable by their owner; staff need a second factor."""

import hashlib

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from services.apiclients.models import AccessToken
from services.apiclients.tokens import SecondFactorRequired, token_create
from tests.factories import StaffFactory
from tests.portal.api.conftest import bearer, session

pytestmark = pytest.mark.django_db


def test_created_with_the_session_shown_once_and_stored_hashed(citizen):
    response = session(citizen).post("/api/v1/tokens/", {"name": "My bank", "lifetime_days": 30}, format="json")
    assert response.status_code == 201, response.json()
    secret = response.json()["secret"]
    token = AccessToken.objects.get(pk=response.json()["id"])
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(AccessToken.objects.filter(pk=token.pk).values().get())
    assert (token.expires_at - timezone.now()).days == 29
    listed = bearer(citizen).get("/api/v1/tokens/").json()["results"]
    assert "secret" not in listed[0]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/requests/").status_code == 200


def test_a_token_cannot_create_tokens(api):
    assert api.post("/api/v1/tokens/", {"name": "more"}, format="json").status_code == 403


def test_session_writes_need_the_csrf_token(citizen):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post("/api/v1/tokens/", {"name": "x"}, format="json").status_code == 403
    client.get("/accounts/profile/tokens/")
    csrf = client.cookies["csrftoken"].value
    response = client.post("/api/v1/tokens/", {"name": "x"}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201


def test_revoked_and_expired_tokens_stop_working(citizen):
    _token, secret = token_create(user=citizen, name="phone", lifetime_days=1)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/requests/").status_code == 200
    with time_machine.travel(timezone.now() + timezone.timedelta(days=2)):
        assert client.get("/api/v1/requests/").status_code == 401
    revoker = bearer(citizen)
    assert revoker.delete(f"/api/v1/tokens/{_token.pk}/").status_code == 204
    assert client.get("/api/v1/requests/").status_code == 401


def test_nobody_revokes_anothers_token(citizen, other_citizen):
    token, _secret = token_create(user=citizen, name="mine")
    assert bearer(other_citizen).delete(f"/api/v1/tokens/{token.pk}/").status_code == 404
    assert AccessToken.objects.get(pk=token.pk).revoked_at is None


def test_staff_get_no_token_without_a_second_factor(db):
    clerk = StaffFactory()
    with pytest.raises(SecondFactorRequired):
        token_create(user=clerk, name="back office")
    response = session(clerk).post("/api/v1/tokens/", {"name": "back office"}, format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_staff_tokens_made_before_are_refused(db):
    clerk = StaffFactory()
    # A token that exists for an account that is staff now (promoted after it was made).
    person = StaffFactory(agency=None, staff_role="")
    _token, secret = token_create(user=person, name="before promotion")
    person.agency, person.staff_role = clerk.agency, "clerk"
    person.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/requests/").status_code == 401


def test_the_profile_page_creates_and_revokes_tokens(citizen):
    browser = Client()
    browser.force_login(citizen)
    assert "/accounts/profile/tokens/" in browser.get("/accounts/profile/").content.decode()
    page = browser.post("/accounts/profile/tokens/", {"name": "Bank app", "lifetime_days": "90"})
    assert page.status_code == 200
    token = AccessToken.objects.get(user=citizen)
    assert token.prefix in page.content.decode()
    assert 'id="token-secret"' in page.content.decode()
    assert "Bank app" in browser.get("/accounts/profile/tokens/").content.decode()
    assert browser.post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_profile_page_revokes_only_the_owners_tokens(citizen, other_citizen):
    token, _secret = token_create(user=citizen, name="mine")
    browser = Client()
    browser.force_login(other_citizen)
    assert browser.post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 404
