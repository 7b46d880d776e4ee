import pytest
from django.utils import translation

from services.workflow.models import RequestEvent
from services.workflow.service import request_respond, request_withdraw
from services.workflow.states import Action, ActorKind, Channel, State
from services.workflow.transitions import FormInvalid, NotPermitted, TransitionNotAllowed
from tests.factories import ServiceRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


def _events(request):
    return list(RequestEvent.objects.filter(request=request))


@pytest.mark.parametrize("trait", ["submitted", "in_review", "info_requested"])
def test_the_citizen_withdraws_a_request_not_yet_decided(trait):
    request = ServiceRequestFactory(**{trait: True})
    withdrawn = request_withdraw(request=request, user=request.citizen, channel=Channel.API)
    assert withdrawn.state == State.WITHDRAWN
    [event] = _events(request)
    assert (event.action, event.actor_kind, event.channel) == (Action.WITHDRAW, ActorKind.CITIZEN, Channel.API)


def test_a_decided_request_cannot_be_withdrawn():
    request = ServiceRequestFactory(submitted=True, state=State.ISSUED)
    with pytest.raises(TransitionNotAllowed):
        request_withdraw(request=request, user=request.citizen)
    request.refresh_from_db()
    assert request.state == State.ISSUED
    assert _events(request) == []


def test_nobody_else_may_withdraw_a_citizens_request():
    request = ServiceRequestFactory(in_review=True)
    with pytest.raises(NotPermitted):
        request_withdraw(request=request, user=UserFactory())
    request.refresh_from_db()
    assert request.state == State.IN_REVIEW


def test_the_answer_to_an_information_request_is_recorded_and_review_resumes():
    request = ServiceRequestFactory(info_requested=True)
    answered = request_respond(request=request, user=request.citizen, message="  The certificate is attached.  ")
    assert answered.state == State.IN_REVIEW
    assert answered.clock_paused_at is None
    [event] = _events(request)
    assert event.action == Action.RESPOND
    assert event.payload["message"] == "The certificate is attached."


def test_an_empty_answer_is_refused_in_the_readers_language():
    request = ServiceRequestFactory(info_requested=True)
    with pytest.raises(FormInvalid) as invalid, translation.override("en"):
        request_respond(request=request, user=request.citizen, message="   ")
    assert list(invalid.value.errors) == ["message"]
    assert invalid.value.errors["message"] == ["Enter your answer to the information request."]
    request.refresh_from_db()
    assert request.state == State.INFO_REQUESTED
    assert _events(request) == []


def test_an_answer_is_only_possible_while_information_is_requested():
    request = ServiceRequestFactory(in_review=True)
    with pytest.raises(TransitionNotAllowed):
        request_respond(request=request, user=request.citizen, message="Here it is.")
    assert _events(request) == []
