"""The officers' queue and actions by API: an officer's decision written as a client would, and the refusals."""

import uuid

import pytest

from services.audit.models import AccessRecord, Purpose
from services.workflow.models import ServiceRequest
from services.workflow.states import Action, Channel, State
from tests.factories import ServiceRequestFactory, StaffFactory
from tests.otp import verified_client
from tests.portal.api.conftest import bearer, session, staff_session
from tests.portal.api.test_journey import operation_url

pytestmark = pytest.mark.django_db

GROUNDS = [{"code": "incomplete", "text": {"kk": "Толық емес.", "ru": "Неполный.", "en": "Incomplete."}}]


@pytest.fixture
def officer(clerk):
    """The clerk's own client: a token, which staff get once their authenticator is set up."""
    verified_client(clerk)
    return bearer(clerk)


def _post(client, operation_id, body=None, **values):
    url = operation_url(operation_id, **values)
    return client.post(url, body or {}, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))


def test_an_officer_decides_by_api_alone(officer, api, citizen, service, django_capture_on_commit_callbacks):
    reference = ServiceRequestFactory(citizen=citizen, service=service, in_review=True).reference

    queue = officer.get(operation_url("queue_list") + "?assignment=unassigned").json()["results"]
    assert [item["reference"] for item in queue] == [reference]
    page = officer.get(operation_url("queue_retrieve", reference=reference)).json()
    assert page["answers"]["phone"] and page["actions"] == ["claim", "request_info", "approve", "reject"]

    claimed = _post(officer, "queue_claim", reference=reference).json()
    assert claimed["assignee"]["id"] == ServiceRequest.objects.get(reference=reference).assignee_id
    asked = _post(officer, "queue_request_info", {"message": "Send the lease."}, reference=reference).json()
    assert asked["state"] == State.INFO_REQUESTED and asked["clock_paused"] is True

    question = api.get(operation_url("requests_timeline", reference=reference)).json()["results"][-1]
    assert question["text"] == "Send the lease."
    assert _post(api, "requests_respond", {"message": "Attached."}, reference=reference).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        approved = _post(officer, "queue_approve", {"note": "All in order."}, reference=reference)
    assert approved.status_code == 200, approved.json()
    assert api.get(operation_url("requests_retrieve", reference=reference)).json()["state"] == State.ISSUED
    request = ServiceRequest.objects.get(reference=reference)
    officer_events = request.events.filter(actor__staff_role__gt="")
    assert set(officer_events.values_list("channel", flat=True)) == {Channel.API}
    assert {Action.CLAIM, Action.REQUEST_INFO, Action.APPROVE} <= set(officer_events.values_list("action", flat=True))
    reads = AccessRecord.objects.filter(request=request, purpose=Purpose.VIEWED_REQUEST, channel=Channel.API)
    assert reads.count() == 1


def test_a_refusal_needs_a_ground_and_a_text(officer, service):
    service.refusal_grounds = GROUNDS
    service.save()
    reference = ServiceRequestFactory(service=service, in_review=True).reference
    missing = _post(officer, "queue_reject", {"ground": "other", "text": "x"}, reference=reference)
    assert missing.status_code == 400
    assert missing["Content-Type"] == "application/problem+json"
    assert list(missing.json()["errors"]) == ["ground"]
    assert list(_post(officer, "queue_reject", {"ground": "incomplete"}, reference=reference).json()["errors"]) == [
        "text"
    ]
    refused = _post(officer, "queue_reject", {"ground": "incomplete", "text": "Page 2 missing."}, reference=reference)
    assert refused.json()["state"] == State.REJECTED
    assert refused.json()["decision_reason"] == "Incomplete.\n\nPage 2 missing."


def test_a_move_the_state_does_not_allow_is_a_conflict_with_the_current_state(officer, service):
    reference = ServiceRequestFactory(service=service, info_requested=True).reference
    conflict = _post(officer, "queue_approve", reference=reference)
    assert conflict.status_code == 409
    assert conflict.json()["state"] == State.INFO_REQUESTED
    assert conflict.json()["action"] == Action.APPROVE


def test_a_second_officer_cannot_claim_what_another_has(officer, clerk, service):
    reference = ServiceRequestFactory(service=service, in_review=True).reference
    assert _post(officer, "queue_claim", reference=reference).status_code == 200
    colleague = staff_session(StaffFactory(agency=service.agency))
    assert _post(colleague, "queue_claim", reference=reference).status_code == 409


def test_a_retried_claim_is_replayed(officer, service):
    reference = ServiceRequestFactory(service=service, in_review=True).reference
    url = operation_url("queue_claim", reference=reference)
    first = officer.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="claim-1")
    again = officer.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="claim-1")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert ServiceRequest.objects.get(reference=reference).events.filter(action=Action.CLAIM).count() == 1


def test_another_agencys_request_is_not_found_and_not_listed(other_clerk, service):
    reference = ServiceRequestFactory(service=service, in_review=True).reference
    outsider = staff_session(other_clerk)
    assert outsider.get(operation_url("queue_retrieve", reference=reference)).status_code == 404
    assert _post(outsider, "queue_claim", reference=reference).status_code == 404
    assert outsider.get(operation_url("queue_list")).json()["results"] == []
    assert not AccessRecord.objects.filter(user=other_clerk).exists()


def test_staff_without_a_verified_session_are_refused(clerk):
    assert session(clerk).get(operation_url("queue_list")).status_code == 403


def test_queue_filters(officer, clerk, service):
    mine = ServiceRequestFactory(service=service, in_review=True, assignee=clerk, escalated=True)
    waiting = ServiceRequestFactory(service=service, info_requested=True)
    ServiceRequestFactory(service=service)  # a draft is never in the queue

    def references(query):
        response = officer.get(operation_url("queue_list") + query)
        assert response.status_code == 200, response.json()
        return {item["reference"] for item in response.json()["results"]}

    assert references("") == {mine.reference, waiting.reference}
    assert references("?assignment=mine") == {mine.reference}
    assert references("?escalated=true") == {mine.reference}
    assert references(f"?state={State.INFO_REQUESTED}") == {waiting.reference}
    assert references(f"?service={service.code}") == {mine.reference, waiting.reference}
    assert references("?service=elsewhere") == set()
    assert references("?deadline=on_track") == {mine.reference, waiting.reference}
    assert officer.get(operation_url("queue_list") + "?state=draft").status_code == 400


def test_queue_pages_walk_every_request_once(officer, service):
    made = {ServiceRequestFactory(service=service, in_review=True).reference for _ in range(5)}
    seen, url = [], operation_url("queue_list") + "?page_size=2"
    for _ in range(5):
        page = officer.get(url).json()
        seen += [item["reference"] for item in page["results"]]
        url = page["next"]
        if not url:
            break
    assert sorted(seen) == sorted(made)


def test_a_supervisor_gives_a_request_to_an_officer_of_the_agency(service):
    supervisor = StaffFactory(agency=service.agency, supervisor=True, last_name="Abenova")
    colleague = StaffFactory(agency=service.agency, last_name="Bekov")
    outsider = StaffFactory()
    reference = ServiceRequestFactory(service=service, in_review=True).reference
    client = staff_session(supervisor)

    officers = client.get(operation_url("queue_officers")).json()["results"]
    assert [officer["id"] for officer in officers] == [supervisor.pk, colleague.pk]
    assert officers[1] == {"id": colleague.pk, "name": colleague.get_full_name(), "role": "clerk"}

    unknown = _post(client, "queue_reassign", {"assignee": outsider.pk}, reference=reference)
    assert unknown.status_code == 400 and list(unknown.json()["errors"]) == ["assignee"]
    given = _post(client, "queue_reassign", {"assignee": colleague.pk}, reference=reference)
    assert given.status_code == 200, given.json()
    assert given.json()["assignee"]["id"] == colleague.pk
    event = ServiceRequest.objects.get(reference=reference).events.get(action=Action.REASSIGN)
    assert event.channel == Channel.API and event.payload["assignee"] == colleague.pk


def test_a_clerk_may_not_reassign(officer, clerk, service):
    colleague = StaffFactory(agency=service.agency)
    reference = ServiceRequestFactory(service=service, in_review=True).reference
    refused = _post(officer, "queue_reassign", {"assignee": colleague.pk}, reference=reference)
    assert refused.status_code == 403
    assert ServiceRequest.objects.get(reference=reference).assignee_id is None


def test_officers_add_and_read_internal_notes_the_citizen_never_sees(officer, clerk, api, citizen, service):
    reference = ServiceRequestFactory(citizen=citizen, service=service, in_review=True).reference
    empty = _post(officer, "queue_note_add", {"text": "  "}, reference=reference)
    assert empty.status_code == 400 and list(empty.json()["errors"]) == ["text"]
    for text in ("Called the registry.", "Waiting for the stamp."):
        assert _post(officer, "queue_note_add", {"text": text}, reference=reference).status_code == 200

    notes = officer.get(operation_url("queue_notes", reference=reference)).json()["results"]
    assert [note["text"] for note in notes] == ["Waiting for the stamp.", "Called the registry."]
    assert notes[0]["author"] == {"id": clerk.pk, "name": clerk.get_full_name()}
    timeline = api.get(operation_url("requests_timeline", reference=reference)).json()["results"]
    assert "Called the registry." not in str(timeline)
    assert AccessRecord.objects.filter(request__reference=reference, purpose=Purpose.VIEWED_REQUEST).count() == 1
