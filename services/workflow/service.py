"""The workflow's public functions, called by the pages, the API, the tasks and the simulator."""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext

from services.accounts.models import User
from services.attachments.selectors import form_attachment_ids
from services.catalogue.forms import form_data_errors, form_pages, page_fields, page_schema
from services.catalogue.models import Service
from services.workflow.models import ServiceRequest
from services.workflow.references import new_reference
from services.workflow.states import Action, Channel
from services.workflow.transitions import FormInvalid, transition, transition_new


def draft_start(
    *, citizen: User, service: Service, channel: Channel = Channel.WEB, filed_by: User | None = None
) -> ServiceRequest:
    """Open a draft on the service's current form and record `started` (the citizen is past the start page).

    `filed_by` is the clerk filing for the citizen at a service counter: the clerk then fills in and
    submits the draft in the citizen's place, and is recorded as the actor of its events.
    """
    draft = _new_request(citizen=citizen, service=service, channel=channel, filed_by=filed_by)
    return transition_new(request=draft, moves=[(Action.STARTED, {})], user=filed_by or citizen, channel=channel)


def request_file(
    *, citizen: User, service: Service, answers: dict[str, Any], channel: Channel = Channel.WEB
) -> ServiceRequest:
    """File a request in one step: a draft on the service's current form with every answer, submitted.

    Records what the pages record, in one transaction: `started`, `step_saved` for each page of the
    form (so the page funnel counts the request on every page it answered), then `submit`. The
    answers are validated as a submit validates them. Raises FormInvalid (field -> messages in the
    active language) having saved nothing. A file question cannot be answered this way: a file is
    uploaded to an existing draft.
    """
    request = _new_request(citizen=citizen, service=service, channel=channel, form_data=dict(answers))
    moves = [
        (Action.STARTED, {}),
        *((Action.STEP_SAVED, {"page": page}) for page in form_pages(service.form.schema)),
        (Action.SUBMIT, {}),
    ]
    return transition_new(request=request, moves=moves, user=citizen, channel=channel)


def _new_request(
    *,
    citizen: User,
    service: Service,
    channel: Channel,
    filed_by: User | None = None,
    form_data: dict[str, Any] | None = None,
) -> ServiceRequest:
    return ServiceRequest(
        reference=new_reference(),
        citizen=citizen,
        service=service,
        form_version=service.form,
        channel=channel,
        language=citizen.preferred_language,
        filed_by=filed_by,
        form_data=form_data or {},
    )


def draft_save_step(
    *, request: ServiceRequest, user: User, page: str, answers: dict[str, Any], channel: Channel = Channel.WEB
) -> ServiceRequest:
    """Validate one page's answers and save them into the draft, recording `step_saved`.

    Raises FormInvalid (field -> messages in the active language, the reader's) and keeps what was
    saved before.
    """
    schema = request.form_version.schema
    fields = page_fields(schema, page)
    if not fields:
        raise FormInvalid({"__all__": [gettext("This page is not part of the form.")]})
    # In the reader's (active) language; a file question accepts only a file uploaded to this draft.
    errors = form_data_errors(page_schema(schema, page), answers, attachments=form_attachment_ids(request=request))
    if errors:
        raise FormInvalid(errors)

    def save_answers(draft: ServiceRequest) -> None:
        kept = {name: value for name, value in draft.form_data.items() if name not in fields}
        draft.form_data = {**kept, **answers}

    return transition(
        request=request,
        action=Action.STEP_SAVED,
        user=user,
        channel=channel,
        payload={"page": page},
        change=save_answers,
    )


def draft_resume(*, request: ServiceRequest, user: User, channel: Channel = Channel.WEB) -> ServiceRequest:
    """Record that the citizen came back to a saved draft (not a new start)."""
    return transition(request=request, action=Action.RESUMED, user=user, channel=channel)


def request_submit(*, request: ServiceRequest, user: User, channel: Channel = Channel.WEB) -> ServiceRequest:
    """Submit a draft: its answers are validated against the form version it was started on."""
    return transition(request=request, action=Action.SUBMIT, user=user, channel=channel)


def request_withdraw(*, request: ServiceRequest, user: User, channel: Channel = Channel.WEB) -> ServiceRequest:
    """The citizen withdraws their request before a decision; TransitionNotAllowed once it is decided."""
    return transition(request=request, action=Action.WITHDRAW, user=user, channel=channel)


def request_respond(
    *,
    request: ServiceRequest,
    user: User,
    message: str,
    attachments: Sequence[str] = (),
    channel: Channel = Channel.WEB,
) -> ServiceRequest:
    """The citizen answers an information request; the request goes back to review and its clock restarts.

    `attachments` are the public ids of the files sent with the answer (see
    `services.attachments.service.request_respond_with_attachments`); the event lists them. Raises
    FormInvalid ({"message": [...]}, in the active language) for an answer with neither text nor files.
    """
    message = message.strip()
    if not message and not attachments:
        raise FormInvalid({"message": [gettext("Enter your answer to the information request.")]})
    payload: dict[str, Any] = {"message": message}
    if attachments:
        payload["attachments"] = list(attachments)
    return transition(request=request, action=Action.RESPOND, user=user, channel=channel, payload=payload)


def draft_complete(
    *, request: ServiceRequest, user: User, answers: dict[str, Any], channel: Channel = Channel.WEB
) -> ServiceRequest:
    """Save every page of the form from `answers` and submit: one call for a whole form (counter, command line).

    Raises FormInvalid with the problems of every page together; pages that were valid stay saved.
    """
    schema = request.form_version.schema
    errors: dict[str, list[str]] = {}
    for page in form_pages(schema):
        fields = page_fields(schema, page)
        page_answers = {name: value for name, value in answers.items() if name in fields}
        try:
            request = draft_save_step(request=request, user=user, page=page, answers=page_answers, channel=channel)
        except FormInvalid as invalid:
            errors.update(invalid.errors)
    if errors:
        raise FormInvalid(errors)
    return request_submit(request=request, user=user, channel=channel)
