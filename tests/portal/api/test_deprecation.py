"""A v1 operation on its way out: marked in the schema, and its responses say when it goes."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.factories import ServiceRequestFactory
from tests.portal.api.test_journey import operation_url

pytestmark = pytest.mark.django_db

TIMELINE = "GET /api/v1/requests/{reference}/timeline/"
NOTICE = {"deprecated": "2027-01-04", "sunset": "2027-07-05", "link": "https://egov.example.kz/api/changes"}


@pytest.fixture
def draft(citizen):
    return ServiceRequestFactory(citizen=citizen)


@pytest.fixture
def timeline_deprecated(settings):
    settings.API_DEPRECATIONS = {TIMELINE: NOTICE}


def test_a_deprecated_operation_answers_with_deprecation_and_sunset_headers(timeline_deprecated, api, draft):
    response = api.get(operation_url("requests_timeline", reference=draft.reference))
    assert response.status_code == 200
    assert response["Deprecation"] == "@1799020800"  # 2027-01-04T00:00:00Z
    assert response["Sunset"] == "Mon, 05 Jul 2027 00:00:00 GMT"
    assert response["Link"] == '<https://egov.example.kz/api/changes>; rel="deprecation"'


def test_the_headers_are_on_that_operation_only(timeline_deprecated, api, draft):
    for response in (
        api.get(operation_url("requests_retrieve", reference=draft.reference)),
        api.post(operation_url("requests_timeline", reference=draft.reference)),
    ):
        assert "Deprecation" not in response and "Sunset" not in response


def test_without_deprecations_no_response_carries_the_headers(api, draft):
    assert "Deprecation" not in api.get(operation_url("requests_timeline", reference=draft.reference))


def test_the_schema_marks_the_operation_deprecated_and_says_when_it_goes(timeline_deprecated):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/requests/{reference}/timeline/"]["get"]
    assert operation["deprecated"] is True
    assert "removed on 2027-07-05" in operation["description"]
    assert "deprecated" not in schema["paths"]["/api/v1/requests/{reference}/"]["get"]
