import pytest

from tests.services.documents.support import TEST_SIGNING_KEY


@pytest.fixture(autouse=True)
def document_settings(settings, tmp_path):
    """A fixed signing key, and result files under a temporary MEDIA_ROOT rather than var/media."""
    settings.DOCUMENT_SIGNING_KEY = TEST_SIGNING_KEY
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_BASE_URL = "https://portal.example.kz"
    return settings
