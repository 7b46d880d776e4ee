"""Lists: cursor pagination, filters, ordering, and a query count that does not grow with the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.documents.service import document_issue
from services.workflow.states import State
from tests.factories import ServiceFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(citizen, service):
    requests = [ServiceRequestFactory(citizen=citizen, service=service) for _ in range(12)]
    for request in requests[:4]:
        request.state = State.APPROVED
        request.save()
        document_issue(request=request)
    return requests


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(queries), response.json()


def test_query_count_does_not_grow_with_page_size(api, many):
    api.get("/api/v1/requests/")  # the token's first use writes its last_used_at
    small, page = _queries(api, "/api/v1/requests/?page_size=2")
    large, full = _queries(api, "/api/v1/requests/?page_size=12")
    assert (len(page["results"]), len(full["results"])) == (2, 12)
    assert small == large


def test_catalogue_query_count_does_not_grow_with_page_size(anonymous):
    for _ in range(6):
        ServiceFactory()
    small, _page = _queries(anonymous, "/api/v1/services/?page_size=2")
    large, _full = _queries(anonymous, "/api/v1/services/?page_size=6")
    assert small == large


def test_cursor_pages_walk_every_request_once(api, many):
    seen, url = [], "/api/v1/requests/?page_size=5"
    while url:
        page = api.get(url).json()
        seen += [request["reference"] for request in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(request.reference for request in many)
    assert len(seen) == len(set(seen))


def test_filters_and_ordering(api, many, citizen):
    other = ServiceRequestFactory(citizen=citizen, service=ServiceFactory(code="other"))
    approved = api.get("/api/v1/requests/?state=approved").json()["results"]
    assert {request["reference"] for request in approved} == {request.reference for request in many[:4]}
    assert [r["reference"] for r in api.get("/api/v1/requests/?service=other").json()["results"]] == [other.reference]
    oldest_first = api.get("/api/v1/requests/?ordering=created_at&page_size=100").json()["results"]
    assert oldest_first[0]["reference"] == many[0].reference
    newest_first = api.get("/api/v1/requests/?page_size=100").json()["results"]
    assert newest_first[0]["reference"] == other.reference
