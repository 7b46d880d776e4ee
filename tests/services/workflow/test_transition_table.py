"""The whole transition table, stated literally: a wrong edit of `states.py` fails here."""

import pytest

from services.workflow.models import RequestEvent, SideEffect
from services.workflow.states import Action, ActorKind, Channel, State
from services.workflow.transitions import NotPermitted, TransitionNotAllowed, transition
from tests.factories import ServiceRequestFactory, StaffFactory

OPEN = ["submitted", "checking", "awaiting_consent", "in_review", "info_requested", "approved"]
FINAL = ["issued", "rejected", "abandoned", "withdrawn", "expired", "failed"]
OFFICERS = ["clerk", "supervisor"]

# (action, from state, actor) -> state afterwards. Everything not listed must be refused.
EXPECTED = {
    ("started", "draft", "citizen"): "draft",
    ("step_saved", "draft", "citizen"): "draft",
    ("resumed", "draft", "citizen"): "draft",
    ("submit", "draft", "citizen"): "submitted",
    ("abandon", "draft", "system"): "abandoned",
    ("start_checks", "submitted", "system"): "checking",
    ("await_consent", "checking", "system"): "awaiting_consent",
    ("consent_answered", "awaiting_consent", "system"): "checking",
    ("route_to_review", "checking", "system"): "in_review",
    ("approve", "checking", "system"): "approved",
    ("reject", "checking", "system"): "rejected",
    ("issue", "approved", "system"): "issued",
    ("respond", "info_requested", "citizen"): "in_review",
    ("expire", "info_requested", "system"): "expired",
    ("expire", "awaiting_consent", "system"): "expired",
    ("fail", "submitted", "system"): "failed",
    ("fail", "checking", "system"): "failed",
    **{
        ("withdraw", s, "citizen"): "withdrawn"
        for s in ["submitted", "checking", "awaiting_consent", "in_review", "info_requested"]
    },
    **{("approve", "in_review", a): "approved" for a in OFFICERS},
    **{("reject", "in_review", a): "rejected" for a in OFFICERS},
    **{("request_info", "in_review", a): "info_requested" for a in OFFICERS},
    **{("claim", s, a): s for s in ["in_review", "info_requested"] for a in OFFICERS},
    **{("reassign", s, "supervisor"): s for s in ["in_review", "info_requested"]},
    **{("note", s, a): s for s in OPEN + FINAL for a in OFFICERS},
    **{("escalate", s, a): s for s in OPEN for a in ["system", "supervisor"]},
    ("remind", "in_review", "system"): "in_review",
}


def _actor(kind, request):
    if kind == "system":
        return None
    if kind == "citizen":
        return request.citizen
    return StaffFactory(agency=request.service.agency, staff_role=kind)


def _counts(request):
    return RequestEvent.objects.filter(request=request).count(), SideEffect.objects.filter(request=request).count()


@pytest.mark.django_db
def test_every_state_action_and_actor_does_what_the_table_says():
    standing = {state: ServiceRequestFactory(state=state) for state in State}
    for state in State:
        for action in Action:
            for kind in ActorKind:
                expected = EXPECTED.get((action.value, state.value, kind.value))
                request = (
                    ServiceRequestFactory(service=standing[state].service, state=state) if expected else standing[state]
                )
                user = _actor(kind, request)
                case = f"{action} from {state} by {kind}"
                before = _counts(request)
                if expected is None:
                    with pytest.raises((TransitionNotAllowed, NotPermitted)):
                        transition(request=request, action=action, user=user, channel=Channel.WEB)
                    request.refresh_from_db()
                    assert request.state == state, case
                    assert _counts(request) == before, case
                else:
                    moved = transition(request=request, action=action, user=user, channel=Channel.WEB)
                    assert moved.state == expected, case
                    assert _counts(request)[0] == before[0] + 1, case
                    event = RequestEvent.objects.get(request=request)
                    assert (event.action, event.from_state, event.to_state, event.actor_kind) == (
                        action,
                        state,
                        expected,
                        kind,
                    ), case


@pytest.mark.django_db
def test_staff_of_another_agency_may_do_nothing():
    request = ServiceRequestFactory(in_review=True)
    outsider = StaffFactory(supervisor=True)
    for action in (Action.CLAIM, Action.APPROVE, Action.NOTE):
        with pytest.raises(NotPermitted):
            transition(request=request, action=action, user=outsider, channel=Channel.WEB)
    assert not RequestEvent.objects.filter(request=request).exists()


@pytest.mark.django_db
def test_an_officer_cannot_decide_their_own_request():
    clerk = StaffFactory()
    request = ServiceRequestFactory(in_review=True, citizen=clerk, service__agency=clerk.agency)
    with pytest.raises(NotPermitted):
        transition(request=request, action=Action.APPROVE, user=clerk, channel=Channel.WEB)


@pytest.mark.django_db
def test_a_request_claimed_by_one_officer_cannot_be_claimed_by_another():
    request = ServiceRequestFactory(in_review=True)
    first, second = (StaffFactory(agency=request.service.agency) for _ in range(2))
    transition(request=request, action=Action.CLAIM, user=first, channel=Channel.WEB)
    with pytest.raises(TransitionNotAllowed):
        transition(request=request, action=Action.CLAIM, user=second, channel=Channel.WEB)
    request.refresh_from_db()
    assert request.assignee == first
