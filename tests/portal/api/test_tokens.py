"""Personal access tokens: hashed, named, expiring, revocable by their owner; staff need a second factor."""

import hashlib

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from services.accounts.totp import totp_device_ensure
from services.apiclients.models import AccessToken
from services.apiclients.tokens import SecondFactorNotUsed, SecondFactorRequired, token_create
from tests.factories import StaffFactory
from tests.otp import verified_client
from tests.portal.api.conftest import bearer, session, staff_session

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
    refused = client.post("/api/v1/tokens/", {"name": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("The CSRF token is missing or wrong")
    in_russian = client.post("/api/v1/tokens/", {"name": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="ru")
    assert in_russian.json()["detail"].startswith("CSRF-токен отсутствует или неверен")
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


def test_staff_signed_in_with_the_password_alone_get_no_token_by_api(clerk):
    totp_device_ensure(user=clerk)  # a second factor set up, but not used by this session
    response = session(clerk).post("/api/v1/tokens/", {"name": "back office"}, format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "one-time code" in response.json()["detail"]
    assert not AccessToken.objects.exists()
    with pytest.raises(SecondFactorNotUsed):
        token_create(user=clerk, name="back office")


def test_staff_signed_in_with_the_password_alone_get_no_token_on_the_page(clerk):
    totp_device_ensure(user=clerk)
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(clerk)
    page = browser.post("/accounts/profile/tokens/", {"name": "Back office", "lifetime_days": "90"})
    assert page.status_code == 200
    assert "with your one-time code, before creating an access token" in page.content.decode()
    assert 'id="token-secret"' not in page.content.decode()
    assert not AccessToken.objects.exists()


def test_a_staff_token_made_from_a_verified_session_reaches_the_queue_and_the_dashboard(clerk):
    created = staff_session(clerk).post("/api/v1/tokens/", {"name": "back office"}, format="json")
    assert created.status_code == 201, created.json()
    assert (
        verified_client(clerk)
        .post("/accounts/profile/tokens/", {"name": "Back office", "lifetime_days": "90"})
        .status_code
        == 200
    )
    assert AccessToken.objects.filter(user=clerk, second_factor_verified=True).count() == 2
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {created.json()['secret']}")
    assert client.get("/api/v1/queue/").status_code == 200
    assert client.get("/api/v1/dashboard/").status_code == 200
    # Only a session makes tokens: a staff token cannot make another (and so cannot outlive its own expiry).
    assert client.post("/api/v1/tokens/", {"name": "more"}, format="json").status_code == 403


def test_a_token_made_before_a_promotion_does_not_reach_staff_endpoints(clerk):
    person = StaffFactory(agency=None, staff_role="")
    _token, secret = token_create(user=person, name="before promotion")
    person.agency, person.staff_role = clerk.agency, "clerk"
    person.save()
    totp_device_ensure(user=person)  # a second factor set up later does not vouch for the old token
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/queue/").status_code == 401
    assert client.get("/api/v1/dashboard/").status_code == 401
