import pytest
from django.core.cache import cache
from django_otp import DEVICE_ID_SESSION_KEY
from rest_framework.test import APIClient

from services.accounts.totp import totp_device_ensure
from services.apiclients.tokens import token_create
from tests.factories import ServiceFactory, StaffFactory, UserFactory
from tests.services.documents.support import TEST_SIGNING_KEY


@pytest.fixture(autouse=True)
def api_settings(settings, tmp_path):
    """Documents signed with the test key under a temporary MEDIA_ROOT; fresh rate-limit counters."""
    settings.DOCUMENT_SIGNING_KEY = TEST_SIGNING_KEY
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield settings
    cache.clear()


def bearer(user) -> APIClient:
    """A client authenticated with a fresh personal access token of `user`, reading English.

    The token is made as from a session verified with a one-time code, as staff tokens must be.
    """
    _token, secret = token_create(user=user, name="tests", second_factor_verified=True)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def session(user) -> APIClient:
    """A client signed in with the browser session (CSRF not enforced, as Django's test client does)."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def staff_session(user) -> APIClient:
    """A member of staff signed in with the browser session and verified by their authenticator."""
    device = totp_device_ensure(user=user)
    client = session(user)
    browser = client.session
    browser[DEVICE_ID_SESSION_KEY] = device.persistent_id
    browser.save()
    return client


@pytest.fixture
def service(db):
    return ServiceFactory()


@pytest.fixture
def citizen(db):
    return UserFactory()


@pytest.fixture
def other_citizen(db):
    return UserFactory()


@pytest.fixture
def clerk(service):
    return StaffFactory(agency=service.agency)


@pytest.fixture
def other_clerk(db):
    return StaffFactory()


@pytest.fixture
def api(citizen):
    return bearer(citizen)


@pytest.fixture
def anonymous():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")
