"""The one function that moves a request: `transition`.

It locks the row, checks the rule table and the actor's right, applies the change, writes one
event and records the side effects, all in one transaction. A request being created takes its
first moves through `transition_new`, by the same rules, with no row yet to lock.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.accounts.models import User
from services.attachments.selectors import form_attachment_ids
from services.catalogue.forms import FieldErrors, form_data_errors
from services.webhooks.service import deliveries_record
from services.workflow.models import RequestEvent, ServiceRequest
from services.workflow.outbox import side_effects_record
from services.workflow.states import (
    COMPLETED,
    DECISIONS,
    EFFECTS,
    OFFICER,
    RULES,
    Action,
    ActorKind,
    Channel,
    Rule,
    State,
)
from services.working_days import add_working_days, local_date, working_days_between

Change = Callable[[ServiceRequest], None]


class WorkflowError(Exception):
    """A move that was refused; nothing was written."""


class TransitionNotAllowed(WorkflowError):
    """The action is not possible in the request's current state (it may have just changed)."""

    def __init__(self, action: Action, state: State):
        self.action = action
        self.state = state
        super().__init__(
            _("This request is now “%(state)s”, so “%(action)s” is no longer possible.")
            % {"state": State(state).label, "action": Action(action).label}
        )


class AlreadyClaimed(TransitionNotAllowed):
    """Someone holds the request already (a supervisor may reassign it)."""

    def __init__(self, request: ServiceRequest, user: User | None):
        self.action = Action.CLAIM
        self.state = request.state
        if request.assignee_id == getattr(user, "pk", None):
            message = _("You have already claimed this request.")
        else:
            holder = request.assignee
            message = _("%(name)s has already claimed this request: a supervisor can reassign it.") % {
                "name": holder.get_full_name() or holder.iin
            }
        WorkflowError.__init__(self, message)


class NotPermitted(WorkflowError):
    """The user may not take this action on this request."""


class FormInvalid(WorkflowError):
    """The answers do not satisfy the form; `errors` maps each field to messages."""

    def __init__(self, errors: FieldErrors):
        self.errors = errors
        super().__init__(_("Some answers need correcting."))


def transition(
    *,
    request: ServiceRequest | int,
    action: Action,
    user: User | None,
    channel: Channel,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    change: Change | None = None,
) -> ServiceRequest:
    """Take `action` on a request as `user` (None: the system) and return the updated request.

    `change`, when given, edits the locked request before it is saved (draft answers, an assignee).
    Raises TransitionNotAllowed, NotPermitted or FormInvalid, having written nothing.
    """
    with transaction.atomic():
        locked = _locked(request)
        rule, actor_kind = _allowed(action, user, locked)
        now = timezone.now()
        payload = dict(payload or {})
        if change is not None:
            change(locked)
        _apply(locked, rule, user=user, now=now, reason=reason, payload=payload)
        event = _moved(locked, rule, actor_kind, user=user, channel=channel, now=now, payload=payload)
        locked.save()
        event.save(force_insert=True)
        _record_effects(locked, event)
    return locked


def transition_new(
    *, request: ServiceRequest, moves: Sequence[tuple[Action, dict[str, Any]]], user: User, channel: Channel
) -> ServiceRequest:
    """Insert a new (unsaved) request together with its first moves, each `(action, payload)`, and return it.

    The same rule table, rights and changes as `transition`, one move after another; there is no
    row to lock yet, and the events go in one INSERT. Raises TransitionNotAllowed, NotPermitted or
    FormInvalid, having written nothing.
    """
    now = timezone.now()
    events = []
    for action, payload in moves:
        rule, actor_kind = _allowed(action, user, request)
        payload = dict(payload)
        _apply(request, rule, user=user, now=now, reason="", payload=payload)
        events.append(_moved(request, rule, actor_kind, user=user, channel=channel, now=now, payload=payload))
    # Every check is behind us: an exception from here on is the database's, and rolls back the
    # caller's transaction too, so a savepoint inside it would buy nothing.
    with transaction.atomic(savepoint=False):
        request.save(force_insert=True)
        for event in RequestEvent.objects.bulk_create(events):
            _record_effects(request, event)
    return request


def _moved(
    request: ServiceRequest,
    rule: Rule,
    actor_kind: ActorKind,
    *,
    user: User | None,
    channel: Channel,
    now: datetime,
    payload: dict[str, Any],
) -> RequestEvent:
    """Move the request to the rule's target and count the event; the event, not saved yet."""
    from_state = request.state
    if rule.target is not None:
        request.state = rule.target
    request.event_count += 1
    return RequestEvent(
        request=request,
        sequence=request.event_count,
        action=rule.action,
        from_state=from_state,
        to_state=request.state,
        actor=user,
        actor_kind=actor_kind,
        channel=channel,
        created_at=now,
        payload=payload,
    )


def _record_effects(request: ServiceRequest, event: RequestEvent) -> None:
    """The outbox rows and webhook deliveries of one event, in its transaction."""
    side_effects_record(request=request, event=event, kinds=EFFECTS.get(event.action, ()))
    deliveries_record(event=event)


def _allowed(action: Action, user: User | None, request: ServiceRequest) -> tuple[Rule, ActorKind]:
    """The rule of `action` in the request's state and the actor's kind; raises if either refuses."""
    rule = RULES.get((action, request.state))
    if rule is None:
        raise TransitionNotAllowed(action, request.state)
    actor_kind = _actor_kind(user, request)
    if actor_kind not in rule.actors:
        if actor_kind == ActorKind.CITIZEN and user is not None and user.staff_role and rule.actors & OFFICER:
            raise NotPermitted(_OWN_REQUEST)  # an officer's own request, found in their queue
        raise NotPermitted(_("You may not do this on this request."))
    _check_segregation_of_duties(action, user, request)
    return rule, actor_kind


_RELATED = ("service", "form_version", "citizen")
_OWN_REQUEST = _("You filed this request or it is your own: another officer must decide it.")


def _locked(request: ServiceRequest | int) -> ServiceRequest:
    """The request row, locked, as it is now. Only that row is locked: locking the joined service
    row would make every request of a service wait for the others. The service, form version and
    citizen the caller already has are kept (rows the move does not change); others are joined."""
    if not isinstance(request, ServiceRequest):
        return ServiceRequest.objects.select_for_update(of=("self",)).select_related(*_RELATED).get(pk=request)
    locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    for name in _RELATED:
        field = ServiceRequest._meta.get_field(name)
        if field.is_cached(request) and getattr(request, field.attname) == getattr(locked, field.attname):
            field.set_cached_value(locked, field.get_cached_value(request))
    return locked


def _actor_kind(user: User | None, request: ServiceRequest) -> ActorKind:
    if user is None:
        return ActorKind.SYSTEM
    if user.pk == request.citizen_id:
        return ActorKind.CITIZEN
    if user.pk == request.filed_by_id and request.state == State.DRAFT:
        return ActorKind.CITIZEN  # the clerk at the counter fills in the draft for the citizen
    if user.staff_role and user.agency_id == request.service.agency_id:
        return ActorKind(user.staff_role)
    raise NotPermitted(_("You may not do this on this request."))


def _check_segregation_of_duties(action: Action, user: User | None, request: ServiceRequest) -> None:
    """Nobody decides a request they filed themselves or one filed for their own IIN."""
    if user is None or action not in DECISIONS:
        return
    if user.pk == request.filed_by_id or user.iin == request.citizen.iin:
        raise NotPermitted(_OWN_REQUEST)


def _apply(
    request: ServiceRequest, rule: Rule, *, user: User | None, now: datetime, reason: str, payload: dict[str, Any]
) -> None:
    """The changes an action makes to the request's columns, beyond its state."""
    action, target = rule.action, rule.target
    if action == Action.STARTED and request.event_count:
        raise TransitionNotAllowed(action, request.state)
    if action == Action.SUBMIT:
        _check_answers(request)
        request.submitted_at = now
        request.deadline = add_working_days(local_date(now), request.service.legal_deadline_days)
        payload["legal_deadline_days"] = request.service.legal_deadline_days  # the KPIs judge by it, not a later edit
    if action == Action.REQUEST_INFO:
        request.clock_paused_at = now
    if rule.source == State.INFO_REQUESTED and rule.target is not None and request.clock_paused_at:
        # Only leaving the wait restarts the clock: a note or a claim meanwhile leaves it paused.
        _restart_clock(request, now, payload)
    if target in (State.APPROVED, State.REJECTED):
        request.decided_at = now
        request.decision_reason = reason
    if target in COMPLETED:
        request.completed_at = now
    if action == Action.CLAIM:
        _claim(request, user)
    if action == Action.ESCALATE:
        if request.escalated:
            raise TransitionNotAllowed(action, request.state)
        request.escalated = True
    if reason:
        payload.setdefault("reason", reason)


def _check_answers(request: ServiceRequest) -> None:
    errors = form_data_errors(  # in the reader's language
        request.form_version.schema, request.form_data, attachments=form_attachment_ids(request=request)
    )
    if errors:
        raise FormInvalid(errors)


def _restart_clock(request: ServiceRequest, now: datetime, payload: dict[str, Any]) -> None:
    """Days spent waiting for the citizen do not count: move the deadline on by that many working days."""
    paused = working_days_between(local_date(request.clock_paused_at), local_date(now))
    if request.deadline is not None:
        request.deadline = add_working_days(request.deadline, paused)
    request.clock_paused_at = None
    payload["paused_working_days"] = paused


def _claim(request: ServiceRequest, user: User | None) -> None:
    if request.assignee_id is not None:
        raise AlreadyClaimed(request, user)
    request.assignee = user
