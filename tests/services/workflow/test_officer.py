"""The officers' functions: each goes through the workflow, with the agency and segregation-of-duties rules."""

import threading

import pytest
from django.db import connection, connections

from services.audit.models import AccessRecord, Purpose
from services.workflow.models import RequestEvent
from services.workflow.officer import (
    request_approve,
    request_claim,
    request_info,
    request_note,
    request_reassign,
    request_reject,
)
from services.workflow.states import Action, Channel, State
from services.workflow.transitions import AlreadyClaimed, FormInvalid, NotPermitted, TransitionNotAllowed
from tests.factories import ServiceFactory, ServiceRequestFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
WEB = Channel.WEB
GROUNDS = [
    {"code": "inaccurate-data", "text": {"kk": "Деректер дұрыс емес", "ru": "Данные неверны", "en": "Data are wrong"}}
]


@pytest.fixture
def service():
    service = ServiceFactory(refusal_grounds=GROUNDS)
    return service


@pytest.fixture
def in_review(service):
    return ServiceRequestFactory(service=service, in_review=True)


@pytest.fixture
def clerk(service):
    return StaffFactory(agency=service.agency)


@pytest.fixture
def supervisor(service):
    return StaffFactory(agency=service.agency, supervisor=True)


def test_a_clerk_claims_then_a_second_clerk_cannot(in_review, clerk, service):
    claimed = request_claim(request=in_review, user=clerk, channel=WEB)
    assert claimed.assignee == clerk
    with pytest.raises(TransitionNotAllowed) as refused:
        request_claim(request=in_review, user=StaffFactory(agency=service.agency), channel=WEB)
    assert refused.value.state == State.IN_REVIEW
    assert (
        str(refused.value) == f"{clerk.get_full_name()} has already claimed this request: a supervisor can reassign it."
    )
    with pytest.raises(AlreadyClaimed, match=r"You have already claimed this request\."):
        request_claim(request=in_review, user=clerk, channel=WEB)  # a second click
    assert in_review.events.filter(action=Action.CLAIM).count() == 1
    assert AccessRecord.objects.filter(request=in_review, user=clerk, purpose=Purpose.ACTED).count() == 1


def test_only_a_supervisor_reassigns_and_only_within_the_agency(in_review, clerk, supervisor):
    with pytest.raises(NotPermitted):
        request_reassign(request=in_review, user=clerk, assignee=clerk, channel=WEB)
    with pytest.raises(NotPermitted):
        request_reassign(request=in_review, user=supervisor, assignee=StaffFactory(), channel=WEB)
    reassigned = request_reassign(request=in_review, user=supervisor, assignee=clerk, channel=WEB)
    assert reassigned.assignee == clerk
    event = reassigned.events.get(action=Action.REASSIGN)
    assert event.payload == {"assignee": clerk.pk, "previous_assignee": None}


def test_asking_for_information_stops_the_clock_and_notifies_the_citizen(in_review, clerk):
    with pytest.raises(FormInvalid) as invalid:
        request_info(request=in_review, user=clerk, message="  ", channel=WEB)
    assert "message" in invalid.value.errors
    asked = request_info(request=in_review, user=clerk, message="Send the lease, please.", channel=WEB)
    assert asked.state == State.INFO_REQUESTED and asked.clock_paused_at is not None
    event = asked.events.get(action=Action.REQUEST_INFO)
    assert event.payload == {"message": "Send the lease, please."}
    assert set(event.side_effects.values_list("kind", flat=True)) == {"email", "sms"}


def test_approve_and_reject_with_a_catalogue_ground(service, clerk):
    approved = request_approve(request=ServiceRequestFactory(service=service, in_review=True), user=clerk, channel=WEB)
    assert approved.state in (State.APPROVED, State.ISSUED)
    refused = ServiceRequestFactory(service=service, in_review=True)
    with pytest.raises(FormInvalid) as invalid:
        request_reject(request=refused, user=clerk, ground="made-up", text="No.", channel=WEB)
    assert "ground" in invalid.value.errors
    with pytest.raises(FormInvalid) as invalid:
        request_reject(request=refused, user=clerk, ground="inaccurate-data", text="", channel=WEB)
    assert "text" in invalid.value.errors
    rejected = request_reject(
        request=refused, user=clerk, ground="inaccurate-data", text="The address is not yours.", channel=WEB
    )
    assert rejected.state == State.REJECTED
    assert rejected.decision_reason == "Data are wrong\n\nThe address is not yours."
    assert rejected.events.get(action=Action.REJECT).payload["refusal_ground"] == "inaccurate-data"


def test_a_note_is_an_event_that_leaves_the_state(in_review, clerk):
    noted = request_note(request=in_review, user=clerk, text="Called the citizen.", channel=WEB)
    assert noted.state == State.IN_REVIEW
    assert noted.events.get(action=Action.NOTE).payload == {"text": "Called the citizen."}


def test_staff_of_another_agency_cannot_act(in_review):
    outsider = StaffFactory(supervisor=True)
    for act in (request_claim, request_approve):
        with pytest.raises(NotPermitted):
            act(request=in_review, user=outsider, channel=WEB)
    assert not RequestEvent.objects.filter(request=in_review).exists()


def test_nobody_decides_a_request_they_filed_or_one_for_their_own_iin(service, clerk):
    filed = ServiceRequestFactory(service=service, in_review=True, filed_by=clerk)
    for decide in (
        lambda r: request_approve(request=r, user=clerk, channel=WEB),
        lambda r: request_info(request=r, user=clerk, message="?", channel=WEB),
        lambda r: request_reject(request=r, user=clerk, ground="inaccurate-data", text="No.", channel=WEB),
    ):
        with pytest.raises(NotPermitted):
            decide(filed)
    own = ServiceRequestFactory(service=service, in_review=True, citizen=clerk)
    for act in (request_approve, request_claim):
        with pytest.raises(NotPermitted, match="You filed this request or it is your own"):
            act(request=own, user=clerk, channel=WEB)
    # Claiming or noting what one filed is allowed: only the decision is kept apart.
    assert request_note(request=filed, user=clerk, text="Filed at the counter.", channel=WEB)
    colleague = StaffFactory(agency=service.agency)
    assert request_approve(request=filed, user=colleague, channel=WEB).decided_at is not None


def test_the_citizen_cannot_take_an_officers_action(in_review):
    with pytest.raises(NotPermitted):
        request_approve(request=in_review, user=in_review.citizen, channel=WEB)
    with pytest.raises(NotPermitted):
        request_approve(request=in_review, user=UserFactory(), channel=WEB)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once_one_wins_one_gets_the_conflict():
    assert connection.vendor == "postgresql"
    service = ServiceFactory(refusal_grounds=GROUNDS)
    request = ServiceRequestFactory(service=service, in_review=True)
    officers = [StaffFactory(agency=service.agency), StaffFactory(agency=service.agency)]
    decisions = [
        lambda officer: request_approve(request=request, user=officer, channel=WEB),
        lambda officer: request_reject(
            request=request, user=officer, ground="inaccurate-data", text="Not eligible.", channel=WEB
        ),
    ]
    barrier = threading.Barrier(2)
    won, conflicts, errors = [], [], []

    def decide(officer, decision):
        try:
            barrier.wait(timeout=30)
            won.append(decision(officer))
        except TransitionNotAllowed as conflict:
            conflicts.append(conflict)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=pair) for pair in zip(officers, decisions, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(won) == 1 and len(conflicts) == 1
    # The loser is told the state the winner left (or the issued state, if the document came first).
    assert conflicts[0].state in {won[0].state, State.ISSUED}
    decided = RequestEvent.objects.filter(request=request, action__in=[Action.APPROVE, Action.REJECT])
    assert decided.count() == 1
