import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory
from tests.services.documents.support import TEST_SIGNING_KEY


@pytest.fixture(autouse=True)
def document_settings(settings, tmp_path):
    """Result documents signed with the test key and stored under a temporary MEDIA_ROOT."""
    settings.DOCUMENT_SIGNING_KEY = TEST_SIGNING_KEY
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_BASE_URL = "https://portal.example.kz"
    return settings


@pytest.fixture
def citizen(db):
    return UserFactory()


def _browser(user):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def as_citizen(citizen):
    """A browser signed in as the citizen, reading the portal in English."""
    return _browser(citizen)


@pytest.fixture
def someone_else(db):
    return _browser(UserFactory())
