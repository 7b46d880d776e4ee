"""Periodic sweeps (Celery beat). Each is idempotent and safe when two beat processes run it at once:
every change goes through `transition`, which locks the row and re-checks the state, and a
request another sweep changed first is simply skipped.
"""

import logging
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from services.workflow.models import ServiceRequest, SideEffect
from services.workflow.outbox import side_effects_dispatch
from services.workflow.states import Action, Channel, State
from services.workflow.transitions import TransitionNotAllowed, transition
from services.working_days import add_working_days

logger = logging.getLogger(__name__)
BATCH = 500


def outbox_redispatch() -> int:
    """Send again the side effects that were never dispatched, or not finished in time."""
    now = timezone.now()
    stale = SideEffect.objects.filter(status=SideEffect.Status.PENDING).filter(
        Q(dispatched_at__isnull=True, created_at__lt=now - settings.OUTBOX_DISPATCH_GRACE)
        | Q(dispatched_at__lt=now - settings.OUTBOX_RETRY_AFTER)
    )
    claimed: dict[int, list[int]] = defaultdict(list)
    for effect_id, dispatched_at, request_id in stale.values_list("pk", "dispatched_at", "request_id")[:BATCH]:
        # Claim the row first, so a second beat running at the same moment does not send it too.
        if SideEffect.objects.filter(pk=effect_id, dispatched_at=dispatched_at).update(dispatched_at=now):
            claimed[request_id].append(effect_id)
    for effect_ids in claimed.values():  # one message per request: requests still run in parallel
        side_effects_dispatch(effect_ids)
    return sum(len(effect_ids) for effect_ids in claimed.values())


def drafts_abandon() -> int:
    """Drafts untouched for settings.DRAFT_TTL end as `abandoned`."""
    stale = ServiceRequest.objects.filter(state=State.DRAFT, updated_at__lt=timezone.now() - settings.DRAFT_TTL)
    return _apply_to(stale, Action.ABANDON)


def requests_expire() -> int:
    """Unanswered information requests and consents that ran out of time end as `expired`."""
    now = timezone.now()
    unanswered = ServiceRequest.objects.filter(
        state=State.INFO_REQUESTED, clock_paused_at__lt=now - settings.INFO_RESPONSE_TTL
    )
    no_consent = ServiceRequest.objects.filter(state=State.AWAITING_CONSENT, consent__expires_at__lt=now)
    return _apply_to(unanswered, Action.EXPIRE) + _apply_to(no_consent, Action.EXPIRE)


def deadlines_watch(today: date | None = None) -> int:
    """Remind officers of requests due soon; escalate overdue ones to the supervisor."""
    today = today or timezone.localdate()
    in_review = ServiceRequest.objects.filter(state=State.IN_REVIEW)
    overdue = in_review.filter(deadline__lt=today, escalated=False)
    due_soon = in_review.filter(
        deadline__gte=today, deadline__lte=add_working_days(today, settings.DUE_SOON_WORKING_DAYS)
    )
    return _apply_to(overdue, Action.ESCALATE) + sum(_remind(r) for r in due_soon.only("pk", "deadline")[:BATCH])


def _remind(request: ServiceRequest) -> int:
    """One reminder per request and deadline (a moved deadline is reminded of again)."""
    deadline = request.deadline.isoformat()

    def only_once(locked: ServiceRequest) -> None:
        if locked.events.filter(action=Action.REMIND, payload__deadline=deadline).exists():
            raise TransitionNotAllowed(Action.REMIND, locked.state)

    return _move(request.pk, Action.REMIND, payload={"deadline": deadline}, change=only_once)


def _apply_to(requests: QuerySet[ServiceRequest], action: Action) -> int:
    ids = list(requests.values_list("pk", flat=True)[:BATCH])
    return sum(_move(request_id, action) for request_id in ids)


def _move(request_id: int, action: Action, **kwargs: object) -> int:
    try:
        transition(request=request_id, action=action, user=None, channel=Channel.SYSTEM, **kwargs)
    except TransitionNotAllowed:
        return 0  # changed meanwhile (a citizen's answer, or another sweep got there first)
    return 1
