"""Periodic sweeps (Celery beat). Each is idempotent and safe when two beat processes run it at once:
every change goes through `transition`, which locks the row and re-checks the state, and a
request another sweep changed first is simply skipped.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from services.workflow.models import ServiceRequest, SideEffect
from services.workflow.outbox import side_effects_dispatch
from services.workflow.states import Action, Channel, State
from services.workflow.transitions import Change, TransitionNotAllowed, transition
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
    # Claim the rows first, all in one statement, so a second beat running at the same moment does
    # not send them too; rows a worker is running (locked) are skipped, not waited for.
    with transaction.atomic():
        rows = list(stale.select_for_update(skip_locked=True).order_by("pk").values_list("pk", "request_id")[:BATCH])
        SideEffect.objects.filter(pk__in=[effect_id for effect_id, _ in rows]).update(dispatched_at=now)
    for effect_id, request_id in rows:
        claimed[request_id].append(effect_id)
    for effect_ids in claimed.values():  # one message per request: requests still run in parallel
        side_effects_dispatch(effect_ids)
    return len(rows)


def drafts_abandon() -> int:
    """Drafts untouched for settings.DRAFT_TTL end as `abandoned`."""
    cutoff = timezone.now() - settings.DRAFT_TTL
    stale = ServiceRequest.objects.filter(state=State.DRAFT, updated_at__lt=cutoff)

    def still_untouched(locked: ServiceRequest) -> None:  # the citizen may have saved a page meanwhile
        if locked.updated_at >= cutoff:
            raise TransitionNotAllowed(Action.ABANDON, locked.state)

    return _apply_to(stale, Action.ABANDON, stop_at=_stop_at(), change=still_untouched)


def requests_expire() -> int:
    """Unanswered information requests and consents that ran out of time end as `expired`."""
    now = timezone.now()
    cutoff = now - settings.INFO_RESPONSE_TTL
    unanswered = ServiceRequest.objects.filter(state=State.INFO_REQUESTED, clock_paused_at__lt=cutoff)
    no_consent = ServiceRequest.objects.filter(state=State.AWAITING_CONSENT, consent__expires_at__lt=now)

    def still_unanswered(locked: ServiceRequest) -> None:  # answered and asked again meanwhile
        if locked.clock_paused_at is None or locked.clock_paused_at >= cutoff:
            raise TransitionNotAllowed(Action.EXPIRE, locked.state)

    stop_at = _stop_at()
    expired = _apply_to(unanswered, Action.EXPIRE, stop_at=stop_at, change=still_unanswered)
    return expired + _apply_to(no_consent, Action.EXPIRE, stop_at=stop_at)


def deadlines_watch(today: date | None = None) -> int:
    """Remind assignees of requests due soon; escalate overdue ones to the supervisor."""
    today = today or timezone.localdate()
    in_review = ServiceRequest.objects.filter(state=State.IN_REVIEW)
    overdue = in_review.filter(deadline__lt=today, escalated=False)
    # A request nobody has claimed has nobody to remind: it is reminded once someone claims it.
    due_soon = in_review.filter(
        deadline__gte=today,
        deadline__lte=add_working_days(today, settings.DUE_SOON_WORKING_DAYS),
        assignee__isnull=False,
    ).exclude(reminded_deadline=F("deadline"))
    stop_at = _stop_at()
    escalated = _apply_to(overdue, Action.ESCALATE, stop_at=stop_at)
    return escalated + sum(
        _remind(pk, deadline) for pk, deadline in _rows_in_batches(due_soon, "deadline", stop_at=stop_at)
    )


def _remind(request_id: int, deadline: date) -> int:
    """One reminder per request and deadline (a moved deadline is reminded of again)."""

    def only_once(locked: ServiceRequest) -> None:
        if locked.deadline != deadline or locked.reminded_deadline == deadline or locked.assignee_id is None:
            raise TransitionNotAllowed(Action.REMIND, locked.state)
        locked.reminded_deadline = deadline

    return _move(request_id, Action.REMIND, payload={"deadline": deadline.isoformat()}, change=only_once)


def _stop_at() -> float:
    """When a sweep stops taking rows: half the task's soft time limit from now (what is left waits
    for the next run), so a task is never cut off in the middle of a move."""
    return time.monotonic() + settings.CELERY_TASK_SOFT_TIME_LIMIT / 2


def _apply_to(
    requests: QuerySet[ServiceRequest], action: Action, *, stop_at: float, change: Change | None = None
) -> int:
    rows = _rows_in_batches(requests, stop_at=stop_at)
    return sum(_move(request_id, action, change=change) for (request_id,) in rows)


def _rows_in_batches(requests: QuerySet[ServiceRequest], *fields: str, stop_at: float) -> Iterator[tuple[Any, ...]]:
    """`(pk, *fields)` of the requests, read BATCH at a time in id order, until none are left or `stop_at`."""
    after = 0
    while True:
        rows = list(requests.filter(pk__gt=after).order_by("pk").values_list("pk", *fields)[:BATCH])
        for row in rows:
            if time.monotonic() >= stop_at:
                return
            yield row
        if len(rows) < BATCH:
            return
        after = rows[-1][0]


def _move(request_id: int, action: Action, **kwargs: Any) -> int:
    try:
        transition(request=request_id, action=action, user=None, channel=Channel.SYSTEM, **kwargs)
    except TransitionNotAllowed:
        return 0  # changed meanwhile (a citizen's answer, or another sweep got there first)
    return 1
