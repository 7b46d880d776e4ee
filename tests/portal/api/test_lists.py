"""Lists: cursor pagination, filters, ordering, and a query count that does not grow with the page size."""

from base64 import b64encode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.documents.service import document_issue
from services.workflow.states import State
from tests.factories import ServiceFactory, ServiceRequestFactory, ThirdPartyClientFactory
from tests.otp import verified_client
from tests.portal.api.conftest import bearer

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


LISTS = [
    "requests/",
    "consents/",
    "tokens/",
    "requests/{reference}/timeline/",
    "queue/",
    "queue/{reference}/notes/",
    "webhooks/",
    "webhooks/{webhook}/deliveries/",
]
TEXT_ORDERED_LISTS = ["services/", "queue/officers/"]


@pytest.fixture
def list_client(citizen, clerk, service, settings):
    """The client that may read a list path, with the path's objects filled in."""
    verified_client(clerk)
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    bank = bearer(ThirdPartyClientFactory().user)
    webhook = bank.post("/api/v1/webhooks/", {"url": "http://127.0.0.1:9/hooks"}, format="json").json()["id"]
    reference = ServiceRequestFactory(citizen=citizen, service=service, in_review=True).reference

    def client_for(path):
        client = {"queue": bearer(clerk), "webhooks": bank}.get(path.split("/")[0], bearer(citizen))
        return client, "/api/v1/" + path.format(reference=reference, webhook=webhook)

    return client_for


@pytest.mark.parametrize(
    ("path", "position"), [(path, "garbage") for path in LISTS] + [(path, "%00") for path in LISTS + TEXT_ORDERED_LISTS]
)
def test_a_tampered_cursor_is_a_404_problem(list_client, path, position):
    client, url = list_client(path)
    assert client.get(url).status_code == 200
    response = client.get(url, {"cursor": b64encode(f"p={position}".encode()).decode()})
    assert (response.status_code, response["Content-Type"]) == (404, "application/problem+json")
    assert response.json()["detail"] == "Invalid cursor"
