import pytest

from tests.factories import SCAN_QUESTION, ServiceFactory, ServiceRequestFactory, text

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "x-pages": [{"id": "documents", "title": text("Documents")}],
    "properties": {"scan": SCAN_QUESTION},
    "required": ["scan"],
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def draft(db):
    return ServiceRequestFactory(service=ServiceFactory(form=SCHEMA), form_data={})
