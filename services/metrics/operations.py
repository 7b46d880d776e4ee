"""Operational counts for monitoring (Prometheus at /metrics): small grouped queries on indexed columns.

Unlike the KPIs these read the live tables, so each query is chosen to stay cheap at scrape time:
requests by service and state use the (service, state) index; the queue and the outbox read only
open states or pending rows through their indexes; events and finished side effects are counted
over a recent window only, through the index on the event time and on (status, dispatched_at).
Events are counted per action here rather than from the rollups, which keep outcomes, not actions.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Sum

from services.workflow.models import RequestEvent, ServiceRequest, SideEffect
from services.workflow.states import State

QUEUE_STATES = (State.IN_REVIEW, State.INFO_REQUESTED)


@dataclass(frozen=True)
class SideEffectRun:
    """The side effects of one kind that ended with one status in the window."""

    kind: str
    status: str
    count: int
    seconds: float  # dispatch to finish, summed
    attempts: int


def requests_by_service_and_state() -> dict[tuple[str, str], int]:
    """How many requests each service has in each state: (service code, state) -> count."""
    rows = ServiceRequest.objects.order_by().values("service__code", "state").annotate(n=Count("id"))
    return {(row["service__code"], row["state"]): row["n"] for row in rows}


def events_by_action(*, since: datetime) -> dict[str, int]:
    """Events recorded since `since`, per action (transitions and draft events)."""
    rows = RequestEvent.objects.filter(created_at__gte=since).order_by().values("action").annotate(n=Count("id"))
    return {row["action"]: row["n"] for row in rows}


def queue_depth_by_agency() -> dict[tuple[str, str], int]:
    """Requests waiting on an agency (in review) or on the citizen (information requested): (agency, state) -> count."""
    rows = (
        ServiceRequest.objects.filter(state__in=QUEUE_STATES)
        .order_by()
        .values("service__agency__code", "state")
        .annotate(n=Count("id"))
    )
    return {(row["service__agency__code"], row["state"]): row["n"] for row in rows}


def outbox_backlog() -> tuple[dict[str, int], datetime | None]:
    """Pending side effects per kind, and when the oldest of them was written."""
    pending = SideEffect.objects.filter(status=SideEffect.Status.PENDING).order_by()
    counts = {row["kind"]: row["n"] for row in pending.values("kind").annotate(n=Count("id"))}
    return counts, pending.aggregate(oldest=Min("created_at"))["oldest"]


def side_effects_failed() -> dict[str, int]:
    """Side effects that gave up after their attempts, per kind (all time)."""
    rows = SideEffect.objects.filter(status=SideEffect.Status.FAILED).order_by().values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}


def side_effect_runs(*, since: datetime) -> list[SideEffectRun]:
    """Side effects dispatched since `since` that have finished, per kind and status, with their durations."""
    duration = ExpressionWrapper(F("finished_at") - F("dispatched_at"), output_field=DurationField())
    rows = (
        SideEffect.objects.filter(
            status__in=[SideEffect.Status.DONE, SideEffect.Status.FAILED],
            dispatched_at__gte=since,
            finished_at__isnull=False,
        )
        .order_by()
        .values("kind", "status")
        .annotate(n=Count("id"), took=Sum(duration), attempts=Sum("attempts"))
    )
    return [
        SideEffectRun(
            row["kind"], row["status"], row["n"], (row["took"] or timedelta()).total_seconds(), row["attempts"]
        )
        for row in rows
    ]
