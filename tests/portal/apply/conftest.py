import pytest
from django.conf import settings

from services.catalogue.loading import catalogue_load_file
from services.registries import demo
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def catalogue(db):
    catalogue_load_file()


@pytest.fixture
def citizen():
    return UserFactory(iin=demo.CITIZEN, preferred_language="ru")


@pytest.fixture
def as_citizen(client, citizen):
    """A browser signed in as the demo citizen, reading the portal in Russian (the citizen's language)."""
    client.force_login(citizen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    return client


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads land in a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
