"""What civil servants do to a request: claim, reassign, ask for information, decide, note.

Every function goes through `transition`, which locks the request, checks the rule table and the
officer's right (their own agency only; supervisors for reassigning) and the segregation of
duties (nobody decides a request they filed or one for their own IIN). When two officers act at
once the second one gets TransitionNotAllowed carrying the request's current state.
"""

from django.utils.translation import gettext

from services.accounts.models import User
from services.audit.models import Purpose
from services.audit.service import access_record
from services.processing.decisions import refusal_ground_text
from services.workflow.models import ServiceRequest
from services.workflow.states import Action, Channel
from services.workflow.transitions import FormInvalid, NotPermitted, transition


def request_claim(*, request: ServiceRequest, user: User, channel: Channel) -> ServiceRequest:
    """Take the request to work on it; TransitionNotAllowed if someone else has it already."""
    return _officer_action(request=request, user=user, channel=channel, action=Action.CLAIM)


def request_reassign(*, request: ServiceRequest, user: User, assignee: User, channel: Channel) -> ServiceRequest:
    """A supervisor hands the request to another officer of the request's agency."""
    if not assignee.staff_role or assignee.agency_id != request.service.agency_id:
        raise NotPermitted(gettext("Requests can only be given to staff of the agency that provides the service."))

    def assign(locked: ServiceRequest) -> None:
        locked.assignee = assignee

    payload = {"assignee": assignee.pk, "previous_assignee": request.assignee_id}
    return _officer_action(
        request=request, user=user, channel=channel, action=Action.REASSIGN, payload=payload, change=assign
    )


def request_info(*, request: ServiceRequest, user: User, message: str, channel: Channel) -> ServiceRequest:
    """Ask the citizen for more information; the deadline clock stops until they answer.

    Raises FormInvalid ({"message": [...]}) for an empty message.
    """
    message = _required(message, "message", gettext("Enter the information you need from the citizen."))
    return _officer_action(
        request=request, user=user, channel=channel, action=Action.REQUEST_INFO, payload={"message": message}
    )


def request_approve(*, request: ServiceRequest, user: User, channel: Channel, note: str = "") -> ServiceRequest:
    """Approve the request; the result document is issued by the processing layer."""
    payload = {"note": note.strip()} if note.strip() else {}
    return _officer_action(request=request, user=user, channel=channel, action=Action.APPROVE, payload=payload)


def request_reject(*, request: ServiceRequest, user: User, ground: str, text: str, channel: Channel) -> ServiceRequest:
    """Refuse the request on one of the service's grounds for refusal, explained in `text`.

    The reason the citizen reads is the ground's wording in the request's language, then `text`.
    Raises FormInvalid ({"ground": [...]} or {"text": [...]}) for an unknown ground or an empty text.
    """
    grounds = {item["code"] for item in request.service.refusal_grounds}
    if ground not in grounds:
        raise FormInvalid({"ground": [gettext("Choose a ground for refusal from the list.")]})
    text = _required(text, "text", gettext("Explain the refusal to the citizen."))
    wording = refusal_ground_text(request.service, ground, request.language)
    return _officer_action(
        request=request,
        user=user,
        channel=channel,
        action=Action.REJECT,
        reason=f"{wording}\n\n{text}",
        payload={"refusal_ground": ground, "text": text},
    )


def request_note(*, request: ServiceRequest, user: User, text: str, channel: Channel) -> ServiceRequest:
    """Add an internal note, which staff see and the citizen never does."""
    text = _required(text, "text", gettext("Enter the note."))
    return _officer_action(request=request, user=user, channel=channel, action=Action.NOTE, payload={"text": text})


def _required(value: str, field: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise FormInvalid({field: [message]})
    return value


def _officer_action(
    *, request: ServiceRequest, user: User, channel: Channel, action: Action, **kwargs
) -> ServiceRequest:
    updated = transition(request=request, action=action, user=user, channel=channel, **kwargs)
    access_record(user=user, request=updated, purpose=Purpose.ACTED, channel=channel, detail=action)
    return updated
