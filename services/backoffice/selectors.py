"""What the back office reads: an agency's queue with its filters and counts, a request's deadline, the team.

Every selector starts from the officer's own agency, so staff never see another agency's requests.
Deadline status is worked out in the database: working days come from services.working_days, and
a request whose clock is paused (waiting for the citizen) is measured at the moment it was paused.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.accounts.models import User
from services.catalogue.models import Service
from services.workflow.models import RequestEvent, ServiceRequest
from services.workflow.states import OPEN, Action, State
from services.working_days import add_working_days, local_date, working_days_between


class DeadlineStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    DUE_SOON = "due_soon", _("Due within 2 working days")
    OVERDUE = "overdue", _("Overdue")


class Assignment(models.TextChoices):
    MINE = "mine", _("Assigned to me")
    UNASSIGNED = "unassigned", _("Unassigned")


# The states a queue shows: submitted and not yet finished.
QUEUE_STATES = [state for state in State if state in OPEN]


@dataclass(frozen=True)
class QueueCounts:
    """How many of the agency's open requests each filter value would show."""

    total: int
    by_deadline: dict[str, int]
    by_assignment: dict[str, int]
    escalated: int
    by_state: dict[str, int]
    by_service: dict[int, int]


def _today() -> date:
    return local_date(timezone.now())


def deadline_conditions(today: date | None = None) -> dict[DeadlineStatus, Q]:
    """A Q per deadline status. A running clock is compared with today; a paused one with the day it paused."""
    today = today or _today()
    soon = add_working_days(today, settings.DUE_SOON_WORKING_DAYS)
    running = Q(clock_paused_at__isnull=True)
    paused = Q(clock_paused_at__isnull=False)
    paused_on = TruncDate("clock_paused_at")
    overdue = (running & Q(deadline__lt=today)) | (paused & Q(deadline__lt=paused_on))
    return {
        DeadlineStatus.OVERDUE: overdue,
        DeadlineStatus.DUE_SOON: running & Q(deadline__gte=today, deadline__lte=soon),
        DeadlineStatus.ON_TRACK: (running & Q(deadline__gt=soon)) | (paused & Q(deadline__gte=paused_on)),
    }


def agency_requests(*, user: User) -> QuerySet[ServiceRequest]:
    """Every request (any state but draft) of the officer's agency; none for anyone else."""
    if not user.staff_role:
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.filter(service__agency_id=user.agency_id).exclude(state=State.DRAFT)


def queue_for_agency(
    *,
    user: User,
    service: int | None = None,
    state: str = "",
    deadline: str = "",
    escalated: bool = False,
    assignment: str = "",
) -> QuerySet[ServiceRequest]:
    """The officer's agency's open requests, filtered, earliest deadline first (then the oldest)."""
    queryset = agency_requests(user=user).filter(state__in=QUEUE_STATES)
    if service:
        queryset = queryset.filter(service_id=service)
    if state:
        queryset = queryset.filter(state=state)
    if deadline:
        queryset = queryset.filter(deadline_conditions()[DeadlineStatus(deadline)])
    if escalated:
        queryset = queryset.filter(escalated=True)
    if assignment == Assignment.MINE:
        queryset = queryset.filter(assignee=user)
    elif assignment == Assignment.UNASSIGNED:
        queryset = queryset.filter(assignee__isnull=True)
    return queryset.select_related("service", "citizen", "assignee").order_by(
        models.F("deadline").asc(nulls_last=True), "submitted_at", "pk"
    )


def queue_counts(*, user: User) -> QueueCounts:
    """Counts per filter value over the agency's open requests, in three queries whatever their number."""
    queryset = agency_requests(user=user).filter(state__in=QUEUE_STATES)
    conditions = deadline_conditions()
    totals = queryset.aggregate(
        total=Count("pk"),
        escalated=Count("pk", filter=Q(escalated=True)),
        mine=Count("pk", filter=Q(assignee=user)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        **{status.value: Count("pk", filter=condition) for status, condition in conditions.items()},
    )
    by_state = dict(queryset.order_by().values_list("state").annotate(count=Count("pk")))
    by_service = dict(queryset.order_by().values_list("service").annotate(count=Count("pk")))
    return QueueCounts(
        total=totals["total"],
        by_deadline={status.value: totals[status.value] for status in DeadlineStatus},
        by_assignment={Assignment.MINE.value: totals["mine"], Assignment.UNASSIGNED.value: totals["unassigned"]},
        escalated=totals["escalated"],
        by_state=by_state,
        by_service=by_service,
    )


def agency_services(*, user: User) -> QuerySet[Service]:
    """The services the officer's agency provides, for the queue's service filter."""
    return Service.objects.filter(agency_id=user.agency_id).order_by("code")


def deadline_status(request: ServiceRequest, today: date | None = None) -> DeadlineStatus | None:
    """The request's deadline status (None when it has no running deadline), as the queue's filter counts it."""
    if request.deadline is None or request.state not in OPEN:
        return None
    measured_on = local_date(request.clock_paused_at) if request.clock_paused_at else (today or _today())
    if request.deadline < measured_on:
        return DeadlineStatus.OVERDUE
    if request.clock_paused_at is None and request.deadline <= add_working_days(
        measured_on, settings.DUE_SOON_WORKING_DAYS
    ):
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.ON_TRACK


def working_days_left(request: ServiceRequest, today: date | None = None) -> int | None:
    """Working days to the deadline (negative: days overdue); a paused clock keeps the count it paused at."""
    if request.deadline is None or request.state not in OPEN:
        return None
    measured_on = local_date(request.clock_paused_at) if request.clock_paused_at else (today or _today())
    if request.deadline < measured_on:
        return -working_days_between(request.deadline, measured_on)
    return working_days_between(measured_on, request.deadline)


def request_for_staff(*, user: User, reference: str) -> ServiceRequest:
    """One request of the officer's agency, with what its page shows; DoesNotExist for any other."""
    return (
        agency_requests(user=user)
        .select_related("service", "service__agency", "citizen", "assignee", "filed_by", "form_version")
        .get(reference=reference)
    )


def request_timeline(*, request: ServiceRequest) -> QuerySet[RequestEvent]:
    """Every event of the request, internal ones included, oldest first."""
    return request.events.select_related("actor").order_by("sequence")


def request_notes(*, request: ServiceRequest) -> QuerySet[RequestEvent]:
    """The request's internal notes, newest first. Staff only: the citizen's pages never show them."""
    return request.events.filter(action=Action.NOTE).select_related("actor").order_by("-sequence")


def agency_staff(*, user: User) -> QuerySet[User]:
    """The officers of the user's agency, by name."""
    return (
        User.objects.filter(agency_id=user.agency_id, is_active=True)
        .exclude(staff_role="")
        .order_by("last_name", "first_name", "pk")
    )


@dataclass(frozen=True)
class Workload:
    officer: User
    open: int
    overdue: int
    escalated: int


def workload_per_officer(*, user: User) -> list[Workload]:
    """Each officer of the agency with their open, overdue and escalated requests (two queries in all)."""
    queue = agency_requests(user=user).filter(state__in=QUEUE_STATES, assignee__isnull=False).order_by()
    counts = {
        row["assignee"]: row
        for row in queue.values("assignee").annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=deadline_conditions()[DeadlineStatus.OVERDUE]),
            escalated=Count("pk", filter=Q(escalated=True)),
        )
    }
    empty = {"open": 0, "overdue": 0, "escalated": 0}
    return [
        Workload(officer, **{key: counts.get(officer.pk, empty)[key] for key in empty})
        for officer in agency_staff(user=user)
    ]
