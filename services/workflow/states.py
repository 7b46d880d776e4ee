"""The request lifecycle in one table: states, actions, who may take them, and their side effects.

Every move and every non-state event (claim, notes, escalation, the draft's own events) is a row
of `RULES`; `services.workflow.transitions.transition` is the only code that applies them.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHECKING = "checking", _("Being checked")
    AWAITING_CONSENT = "awaiting_consent", _("Waiting for consent")
    IN_REVIEW = "in_review", _("In review")
    INFO_REQUESTED = "info_requested", _("Information requested")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")
    REJECTED = "rejected", _("Rejected")
    ABANDONED = "abandoned", _("Abandoned")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
    FAILED = "failed", _("Failed")


class Action(models.TextChoices):
    # Draft events: recorded by the pages, the API and the simulator alike.
    STARTED = "started", _("Started")
    STEP_SAVED = "step_saved", _("Page saved")
    RESUMED = "resumed", _("Resumed")
    # Moves.
    SUBMIT = "submit", _("Submitted")
    ABANDON = "abandon", _("Abandoned")
    START_CHECKS = "start_checks", _("Checks started")
    AWAIT_CONSENT = "await_consent", _("Waiting for consent")
    CONSENT_ANSWERED = "consent_answered", _("Third party answered")
    ROUTE_TO_REVIEW = "route_to_review", _("Sent to an officer")
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    REQUEST_INFO = "request_info", _("Information requested")
    RESPOND = "respond", _("Information provided")
    ISSUE = "issue", _("Result issued")
    WITHDRAW = "withdraw", _("Withdrawn")
    EXPIRE = "expire", _("Expired")
    FAIL = "fail", _("Failed")
    # Events on a request that leave its state as it is.
    CLAIM = "claim", _("Claimed")
    REASSIGN = "reassign", _("Reassigned")
    NOTE = "note", _("Internal note")
    ESCALATE = "escalate", _("Escalated")
    REMIND = "remind", _("Deadline reminder sent")


class ActorKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    CLERK = "clerk", _("Clerk")
    SUPERVISOR = "supervisor", _("Supervisor")
    SYSTEM = "system", _("System")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    ASSISTED = "assisted", _("Service counter")
    SYSTEM = "system", _("System")


COMPLETED = frozenset({State.ISSUED, State.REJECTED})
NOT_COMPLETED = frozenset({State.ABANDONED, State.WITHDRAWN, State.EXPIRED, State.FAILED})
FINAL = COMPLETED | NOT_COMPLETED
OPEN = frozenset(State) - FINAL - {State.DRAFT}

# Officers' decisions: nobody takes them on a request they filed or one filed for their own IIN.
DECISIONS = frozenset({Action.APPROVE, Action.REJECT, Action.REQUEST_INFO})

CITIZEN = frozenset({ActorKind.CITIZEN})
OFFICER = frozenset({ActorKind.CLERK, ActorKind.SUPERVISOR})
SUPERVISOR = frozenset({ActorKind.SUPERVISOR})
SYSTEM = frozenset({ActorKind.SYSTEM})


@dataclass(frozen=True)
class Rule:
    action: Action
    source: State
    target: State | None  # None: an event that does not change the state
    actors: frozenset[ActorKind]


def _rules(action: Action, sources: Iterable[State], target: State | None, actors: frozenset[ActorKind]) -> list[Rule]:
    return [Rule(action, source, target, actors) for source in sources]


_STAFF_WORK = (State.IN_REVIEW, State.INFO_REQUESTED)
_WITHDRAWABLE = (State.SUBMITTED, State.CHECKING, State.AWAITING_CONSENT, State.IN_REVIEW, State.INFO_REQUESTED)

RULES: dict[tuple[Action, State], Rule] = {
    (rule.action, rule.source): rule
    for rule in [
        *_rules(Action.STARTED, [State.DRAFT], None, CITIZEN),
        *_rules(Action.STEP_SAVED, [State.DRAFT], None, CITIZEN),
        *_rules(Action.RESUMED, [State.DRAFT], None, CITIZEN),
        *_rules(Action.SUBMIT, [State.DRAFT], State.SUBMITTED, CITIZEN),
        *_rules(Action.ABANDON, [State.DRAFT], State.ABANDONED, SYSTEM),
        *_rules(Action.START_CHECKS, [State.SUBMITTED], State.CHECKING, SYSTEM),
        *_rules(Action.AWAIT_CONSENT, [State.CHECKING], State.AWAITING_CONSENT, SYSTEM),
        *_rules(Action.CONSENT_ANSWERED, [State.AWAITING_CONSENT], State.CHECKING, SYSTEM),
        *_rules(Action.ROUTE_TO_REVIEW, [State.CHECKING], State.IN_REVIEW, SYSTEM),
        *_rules(Action.APPROVE, [State.CHECKING], State.APPROVED, SYSTEM),
        *_rules(Action.APPROVE, [State.IN_REVIEW], State.APPROVED, OFFICER),
        *_rules(Action.REJECT, [State.CHECKING], State.REJECTED, SYSTEM),
        *_rules(Action.REJECT, [State.IN_REVIEW], State.REJECTED, OFFICER),
        *_rules(Action.REQUEST_INFO, [State.IN_REVIEW], State.INFO_REQUESTED, OFFICER),
        *_rules(Action.RESPOND, [State.INFO_REQUESTED], State.IN_REVIEW, CITIZEN),
        *_rules(Action.ISSUE, [State.APPROVED], State.ISSUED, SYSTEM),
        *_rules(Action.WITHDRAW, _WITHDRAWABLE, State.WITHDRAWN, CITIZEN),
        *_rules(Action.EXPIRE, [State.INFO_REQUESTED, State.AWAITING_CONSENT], State.EXPIRED, SYSTEM),
        *_rules(Action.FAIL, [State.SUBMITTED, State.CHECKING], State.FAILED, SYSTEM),
        *_rules(Action.CLAIM, _STAFF_WORK, None, OFFICER),
        *_rules(Action.REASSIGN, _STAFF_WORK, None, SUPERVISOR),
        *_rules(Action.NOTE, sorted(OPEN | FINAL), None, OFFICER),
        *_rules(Action.ESCALATE, sorted(OPEN), None, SYSTEM | SUPERVISOR),
        *_rules(Action.REMIND, [State.IN_REVIEW], None, SYSTEM),  # waiting for the citizen, the clock stands
    ]
}

# Side effects each action records in the outbox, run by Celery after the transaction commits:
# "process" runs the automated checks and the decision, "document" issues the result document,
# "email" and "sms" send the message that belongs to the event.
EFFECTS: dict[Action, tuple[str, ...]] = {
    Action.SUBMIT: ("email", "sms", "process"),
    Action.AWAIT_CONSENT: ("sms",),
    Action.CONSENT_ANSWERED: ("process",),
    Action.REQUEST_INFO: ("email", "sms"),
    Action.RESPOND: ("email",),
    Action.APPROVE: ("document",),
    Action.REJECT: ("document", "email", "sms"),
    Action.ISSUE: ("email", "sms"),
    Action.EXPIRE: ("email", "sms"),
    Action.FAIL: ("email", "sms"),
    Action.REMIND: ("email",),
}
