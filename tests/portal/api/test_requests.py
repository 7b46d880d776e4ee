"""A citizen's requests through the API: the same domain functions as the pages, with the `api` channel."""

import pytest
from django.db import connection

from services.catalogue.forms import form_data_errors, page_schema
from services.documents.service import document_issue
from services.workflow.models import RequestEvent
from services.workflow.states import Action, Channel, State
from tests.factories import VALID_ANSWERS, ServiceRequestFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _draft(api, service):
    response = api.post("/api/v1/requests/", {"service": service.code}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_creating_a_draft_records_started_on_the_api_channel(api, service, citizen):
    draft = _draft(api, service)
    assert draft["state"] == State.DRAFT
    assert draft["channel"] == Channel.API
    assert draft["actions"] == ["submit"]
    event = RequestEvent.objects.get(request__reference=draft["reference"])
    assert (event.action, event.channel, event.actor_id) == (Action.STARTED, Channel.API, citizen.pk)


def test_an_unknown_service_is_a_field_error(api):
    response = api.post("/api/v1/requests/", {"service": "no-such-service"}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert list(response.json()["errors"]) == ["service"]


def test_a_page_is_validated_by_the_same_json_schema_validation_as_the_pages(api, service):
    draft = _draft(api, service)
    answers = {"purpose": "holiday", "details": "x"}
    response = api.post(
        f"/api/v1/requests/{draft['reference']}/steps/", {"page": "purpose", "answers": answers}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    expected = form_data_errors(page_schema(service.form.schema, "purpose"), answers, language="en")
    assert response.json()["errors"] == expected
    assert set(expected) == {"purpose", "details"}


def test_saving_pages_then_submitting(api, service):
    draft = _draft(api, service)
    url = f"/api/v1/requests/{draft['reference']}"
    for page, answers in [("purpose", {"purpose": "work"}), ("contact", {"phone": VALID_ANSWERS["phone"]})]:
        response = api.post(f"{url}/steps/", {"page": page, "answers": answers}, format="json")
        assert response.status_code == 200, response.json()
    assert response.json()["answers"] == {"purpose": "work", "phone": VALID_ANSWERS["phone"]}
    submitted = api.post(f"{url}/submit/")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["submitted_at"]
    channels = set(RequestEvent.objects.filter(request__reference=draft["reference"]).values_list("channel", flat=True))
    assert Channel.API in channels and Channel.WEB not in channels


def test_submitting_incomplete_answers_lists_the_missing_fields(api, service):
    draft = _draft(api, service)
    response = api.post(f"/api/v1/requests/{draft['reference']}/submit/")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"purpose", "phone"}


def test_a_move_that_conflicts_is_409_with_the_current_state(api, citizen):
    decided = ServiceRequestFactory(citizen=citizen, submitted=True, state=State.REJECTED)
    response = api.post(f"/api/v1/requests/{decided.reference}/withdraw/")
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert response.json()["state"] == State.REJECTED
    assert response.json()["action"] == Action.WITHDRAW


def test_withdraw(api, citizen):
    request = ServiceRequestFactory(citizen=citizen, in_review=True)
    response = api.post(f"/api/v1/requests/{request.reference}/withdraw/")
    assert response.status_code == 200
    assert response.json()["state"] == State.WITHDRAWN


def test_respond_to_an_information_request(api, citizen):
    request = ServiceRequestFactory(citizen=citizen, info_requested=True)
    empty = api.post(f"/api/v1/requests/{request.reference}/respond/", {"message": "  "}, format="json")
    assert empty.status_code == 400
    assert list(empty.json()["errors"]) == ["message"]
    response = api.post(f"/api/v1/requests/{request.reference}/respond/", {"message": "Here it is"}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == State.IN_REVIEW
    timeline = api.get(f"/api/v1/requests/{request.reference}/timeline/").json()["results"]
    assert timeline[-1]["action"] == Action.RESPOND
    assert timeline[-1]["text"] == "Here it is"


def test_the_result_document_is_the_signed_pdf(api, citizen):
    request = ServiceRequestFactory(citizen=citizen, submitted=True, state=State.APPROVED)
    document = document_issue(request=request)
    response = api.get(f"/api/v1/requests/{request.reference}/document/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    verified = api.get(f"/api/v1/documents/{document.verification_code}/verification/").json()
    assert verified["valid"] is True
    assert verified["reference"] == request.reference
    assert "*" in verified["holder_iin"]


@pytest.mark.parametrize("accept", ["application/json", "*/*", "application/pdf", "text/html"])
def test_the_result_document_is_served_whatever_the_client_accepts(api, citizen, accept):
    request = ServiceRequestFactory(citizen=citizen, submitted=True, state=State.APPROVED)
    document_issue(request=request)
    response = api.get(f"/api/v1/requests/{request.reference}/document/", HTTP_ACCEPT=accept)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")


def test_no_document_yet_is_a_404_problem(api, citizen):
    request = ServiceRequestFactory(citizen=citizen, in_review=True)
    response = api.get(f"/api/v1/requests/{request.reference}/document/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_verification_of_an_unknown_code_says_why(anonymous):
    response = anonymous.get("/api/v1/documents/NOTACODE/verification/")
    assert response.status_code == 200
    assert response.json()["valid"] is False
    assert response.json()["reason"] == "malformed_code"


def test_prefill_offers_the_registry_answers_of_the_callers_own_record(api, service):
    response = api.get(f"/api/v1/services/{service.code}/prefill/")
    assert response.status_code == 200
    assert response.json() == {"form_version": 1, "answers": {}}


def _file(api, service, answers, key=None):
    body = {"service": service.code, "answers": answers, "submit": True}
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post("/api/v1/requests/", body, format="json", **headers)


def test_one_call_files_a_request_recording_what_the_pages_record(api, service, citizen):
    response = _file(api, service, dict(VALID_ANSWERS))
    assert response.status_code == 201, response.json()
    filed = response.json()
    assert (filed["state"], filed["answers"], filed["has_document"]) == (State.SUBMITTED, VALID_ANSWERS, False)
    assert filed["submitted_at"] and filed["deadline"]
    events = RequestEvent.objects.filter(request__reference=filed["reference"]).order_by("sequence")
    pages = [page["id"] for page in service.form.schema["x-pages"]]
    assert [(event.action, event.payload.get("page")) for event in events] == [
        (Action.STARTED, None),
        *((Action.STEP_SAVED, page) for page in pages),
        (Action.SUBMIT, None),
    ]
    assert {(event.channel, event.actor_id) for event in events} == {(Channel.API, citizen.pk)}
    submitted = events.last()
    assert sorted(submitted.side_effects.values_list("kind", flat=True)) == ["email", "process", "sms"]


def test_one_call_filing_with_invalid_answers_lists_the_field_errors_and_saves_nothing(api, service, citizen):
    answers = {"purpose": "holiday", "details": "x"}
    response = _file(api, service, answers)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == form_data_errors(service.form.schema, answers, language="en")
    assert not citizen.requests.exists()


def test_answers_without_submit_are_a_field_error(api, service, citizen):
    response = api.post("/api/v1/requests/", {"service": service.code, "answers": {"purpose": "work"}}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["answers"]
    assert not citizen.requests.exists()


# One filing call with an Idempotency-Key: the token, the key's claim, the service, (on SQLite: the
# reference, a ticket row written and deleted), the request (on PostgreSQL its INSERT draws the
# reference and returns it), its events in one INSERT, the outbox rows (written marked dispatched),
# the webhook deliveries of the submit (one INSERT ... SELECT), the stored response; and the savepoint
# of the key's transaction inside the test's. The Celery publish after commit makes no query.
FILING_QUERIES = {"postgresql": 10, "sqlite": 12}


def test_the_queries_of_one_filing_call_are_pinned(api, service, django_assert_num_queries):
    _draft(api, service)  # the first call of a process reads what it keeps (content types, the catalogue)
    with django_assert_num_queries(FILING_QUERIES[connection.vendor]):
        response = _file(api, service, dict(VALID_ANSWERS), key="one-filing")
    assert response.status_code == 201, response.json()
