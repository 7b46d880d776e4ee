"""The service KPIs, read from the rollups (a few grouped rows, never the events).

Definitions (GOV.UK Service Standard, REFERENCE.md section 1):
- started: the citizen moved past the start page (`started`; a resumed draft is not a new start);
- completed: issued or rejected (a refusal on the merits is a completion);
- completion rate: completed / started among the requests started in the period (their cohort),
  summed over services before dividing (volume-weighted), so it never exceeds 100%;
- time to decision: working days from submission to approval or refusal, waiting for the citizen
  excluded; within deadline: decided on or before the legal deadline;
- digital take-up: completed on the web or through the API / all completed;
- automatic share: decisions the system took / all decisions;
- satisfaction: share answering 4 or 5, score (mean - 1) / 4, number of answers and per level,
  low confidence under METRICS_SATISFACTION_CONFIDENT_ANSWERS answers (400);
- cost per transaction: the cost model's total cost (failed transactions' cost included) / completed.

With `Filters.cohort` False the counts are of events in the period (a request started in March and
issued in April counts as issued in April); with it True every figure is of the requests started
in the period, whose outcomes, with those still in progress, add up to the started. The
completion rate and "in progress" are always of the cohort (the requests started in the period).
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from math import ceil, floor

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from services.catalogue.models import Service
from services.i18n import pick
from services.metrics.dimensions import CROSSES, CUT_DIMENSIONS, DIMENSIONS, cut_of
from services.metrics.facts import period_start
from services.metrics.models import Basis, Grain, Rollup
from services.workflow.states import Channel, State

DIGITAL = frozenset({Channel.WEB.value, Channel.API.value})
SATISFIED = (4, 5)
BUCKETS = ("day", "week", "month")
# The measures a funnel counts (see `funnel`).
FUNNEL_MEASURES = ("started", "page", "submitted", State.ISSUED, State.REJECTED)


@dataclass(frozen=True)
class Filters:
    start: date | None = None  # local (Asia/Almaty) dates, inclusive
    end: date | None = None
    service: str | None = None  # service code
    region: str | None = None  # region code (services/registries/regions.py)
    age_band: str | None = None  # "0-17", "18-29", "30-44", "45-59", "60+"
    channel: str | None = None  # services.workflow.states.Channel values
    cohort: bool = False  # False: events in the period; True: requests started in it


class PeriodNotWholeMonths(ValueError):
    """A read that crosses two dimensions (a filter with a breakdown) for a period that is not whole months.

    Crosses are kept per month only (see `services.metrics.dimensions.CUTS`); widen the period with
    `whole_months` first.
    """

    def __init__(self, cut: str) -> None:
        super().__init__(f"the cut {cut!r} is kept per month only: choose a period of whole months")
        self.cut = cut


def crosses(filters: Filters, dimension: str | None = None) -> bool:
    """Whether reading `filters` broken down by `dimension` needs a cross (kept per month only)."""
    return _cut(filters, dimension) in CROSSES


def whole_months(filters: Filters) -> Filters:
    """The filters with the period widened to the whole months it touches."""
    end = filters.end and _next_period(filters.end, Grain.MONTH) - timedelta(days=1)
    return replace(filters, start=filters.start and filters.start.replace(day=1), end=end)


@dataclass(frozen=True)
class Kpis:
    started: int
    submitted: int
    completed: int
    issued: int
    rejected: int
    abandoned: int
    withdrawn: int
    expired: int
    failed: int
    in_progress: int
    completion_rate: float | None  # 0..1, completed / started of the cohort, never > 1
    decision_days_median: float | None  # working days
    decision_days_p90: float | None
    within_deadline_share: float | None  # 0..1
    digital_take_up: float | None  # 0..1, (web+api completed) / all completed
    automatic_share: float | None  # 0..1 of decisions
    satisfied_share: float | None  # 0..1
    satisfaction_score: float | None  # (mean rating - 1) / 4
    satisfaction_answers: int
    cost_per_transaction: Decimal | None
    decisions: int = 0
    satisfaction_per_level: dict[int, int] = field(default_factory=dict)
    satisfaction_low_confidence: bool | None = None  # fewer answers than METRICS_SATISFACTION_CONFIDENT_ANSWERS


@dataclass(frozen=True)
class FunnelStep:
    key: str
    label: str | Promise
    reached: int


@dataclass(frozen=True)
class Point:
    day: date
    started: int
    completed: int
    rate: float | None


class _Tally:
    """Summed counters of one group: measure -> (channel, bucket) -> count."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))

    def add(self, channel: str, measure: str, bucket: str, count: int) -> None:
        self.counts[measure][(channel, bucket)] += count

    def total(self, measure: str, channels: frozenset[str] | None = None) -> int:
        counts = self.counts.get(measure, {})
        return sum(n for (c, _b), n in counts.items() if channels is None or c in channels)

    def by_channel(self, measure: str) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for (channel, _b), n in self.counts.get(measure, {}).items():
            totals[channel] += n
        return totals

    def histogram(self, measure: str) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for (_c, bucket), n in self.counts.get(measure, {}).items():
            totals[bucket] += n
        return totals


def kpis(filters: Filters) -> Kpis:
    """The KPIs of everything the filters select (portal-wide without a service)."""
    primary, cohort = _tallies(filters, dimension=None)
    return _kpis(primary.get("", _Tally()), cohort.get("", _Tally()))


def kpis_by(dimension: str, filters: Filters) -> list[tuple[str, Kpis]]:
    """The KPIs per value of one dimension ("service", "region", "age_band", "channel"), in value order."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    primary, cohort = _tallies(filters, dimension=dimension)
    return [
        (value, _kpis(primary.get(value, _Tally()), cohort.get(value, _Tally())))
        for value in sorted(primary.keys() | cohort.keys())
    ]


def funnel(service: str, filters: Filters) -> list[FunnelStep]:
    """How far the requests of one service started in the period got: started, each page, submitted, completed.

    A page counts a request once however often it was saved. Pages follow the service's current
    form; pages of older versions come after them.
    """
    return funnels([service], filters)[service]


def funnels(services: list[str], filters: Filters) -> dict[str, list[FunnelStep]]:
    """The `funnel` of each of `services` (service codes), in two queries however many services."""
    rows = _rollups(Basis.COHORT, replace(filters, service=None), dimension="service").filter(
        service__in=services, measure__in=FUNNEL_MEASURES
    )
    tallies = _group(rows, dimension="service")
    schemas = dict(Service.objects.filter(code__in=services).values_list("code", "form__schema_json"))
    return {code: _funnel_steps(tallies.get(code, _Tally()), schemas.get(code)) for code in services}


def _funnel_steps(tally: _Tally, schema_json: str | None) -> list[FunnelStep]:
    pages = tally.histogram("page")
    titles = {page["id"]: pick(page.get("title")) for page in _pages_of(schema_json)}
    ordered = [*titles, *sorted(set(pages) - set(titles))]
    return [
        FunnelStep("started", _("Started"), tally.total("started")),
        *(FunnelStep(f"page:{page}", titles.get(page, page), pages.get(page, 0)) for page in ordered),
        FunnelStep("submitted", _("Submitted"), tally.total("submitted")),
        FunnelStep("completed", _("Completed"), _completed(tally)),
    ]


def completion_over_time(filters: Filters, bucket: str = "week") -> list[Point]:
    """Started and completed of each day's, week's (from Monday) or month's cohort, with the rate."""
    if bucket not in BUCKETS:
        raise ValueError(f"unknown bucket {bucket!r}")
    rows = (
        _rollups(Basis.COHORT, filters, grain=Grain(bucket))
        .filter(measure__in=["started", State.ISSUED, State.REJECTED])
        .values("day", "measure")
        .annotate(total=Sum("count"))
    )
    started: dict[date, int] = defaultdict(int)
    completed: dict[date, int] = defaultdict(int)
    for row in rows:
        target = started if row["measure"] == "started" else completed
        target[period_start(row["day"], bucket)] += row["total"]
    return [
        Point(day, started[day], completed[day], completed[day] / started[day] if started[day] else None)
        for day in sorted(started.keys() | completed.keys())
    ]


def _pages_of(schema_json: str | None) -> list[dict]:
    return json.loads(schema_json).get("x-pages", []) if schema_json else []


def _cut(filters: Filters, dimension: str | None) -> str:
    """The cut a read sums: the dimensions it filters or groups by (the channel is in every cut)."""
    return cut_of({name for name in CUT_DIMENSIONS if name == dimension or getattr(filters, name)})


def _rollups(
    basis: Basis, filters: Filters, dimension: str | None = None, grain: Grain = Grain.MONTH
) -> QuerySet[Rollup]:
    """The counters the filters select, from the cut of the dimensions the read filters or groups by:
    the period's whole weeks or months from their `grain` counters, its days before the first and
    after the last whole one from day counters. A cross has month counters only: its period must be
    whole months (else `PeriodNotWholeMonths`)."""
    cut = _cut(filters, dimension)
    if cut in CROSSES and (grain != Grain.MONTH or whole_months(filters) != filters):
        raise PeriodNotWholeMonths(cut)
    rows = Rollup.objects.filter(cut=cut, basis=basis).filter(_period(filters.start, filters.end, grain))
    for name in DIMENSIONS:
        value = getattr(filters, name)
        if value:
            rows = rows.filter(**{name: value})
    return rows


def _period(start: date | None, end: date | None, grain: Grain) -> Q:
    """The counters that add up to the days from `start` to `end` (inclusive; None: unbounded)."""
    if grain == Grain.DAY:
        return Q(grain=Grain.DAY, **_between(start, end + timedelta(days=1) if end else None))
    # The whole periods are those starting on or after `first` and before `after`.
    first = start if start is None or period_start(start, grain) == start else _next_period(start, grain)
    after = None if end is None else period_start(end + timedelta(days=1), grain)
    if first is not None and after is not None and first >= after:
        return _period(start, end, Grain.DAY)
    counters = Q(grain=grain, **_between(first, after))
    if start != first:
        counters |= Q(grain=Grain.DAY, **_between(start, first))
    if end is not None and after <= end:
        counters |= Q(grain=Grain.DAY, **_between(after, end + timedelta(days=1)))
    return counters


def _next_period(day: date, grain: Grain) -> date:
    if grain == Grain.WEEK:
        return period_start(day, grain) + timedelta(days=7)
    return (period_start(day, grain) + timedelta(days=31)).replace(day=1)


def _between(start: date | None, before: date | None) -> dict[str, date]:
    """Lookups for days on or after `start` and before `before` (each optional)."""
    bounds = {}
    if start is not None:
        bounds["day__gte"] = start
    if before is not None:
        bounds["day__lt"] = before
    return bounds


def _group(rows: QuerySet[Rollup], dimension: str | None) -> dict[str, _Tally]:
    columns = [dimension] if dimension else []
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    grouped = rows.order_by().values(*columns, "channel", "measure", "bucket").annotate(total=Sum("count"))
    for row in grouped:
        tallies[row[dimension] if dimension else ""].add(row["channel"], row["measure"], row["bucket"], row["total"])
    return tallies


def _tallies(filters: Filters, dimension: str | None) -> tuple[dict[str, _Tally], dict[str, _Tally]]:
    """The tallies of the figures' basis, and of the cohort (for the completion rate and in progress)."""
    cohort = _group(_rollups(Basis.COHORT, filters, dimension), dimension)
    if filters.cohort:
        return cohort, cohort
    return _group(_rollups(Basis.EVENT, filters, dimension), dimension), cohort


def _completed(tally: _Tally, channels: frozenset[str] | None = None) -> int:
    return tally.total(State.ISSUED, channels) + tally.total(State.REJECTED, channels)


def _kpis(tally: _Tally, cohort: _Tally) -> Kpis:
    completed = _completed(tally)
    cohort_started = cohort.total("started")
    decisions = tally.total("decided")
    days = {int(bucket): n for bucket, n in tally.histogram("decision_days").items()}
    ratings = {int(bucket): n for bucket, n in tally.histogram("rating").items()}
    answers = sum(ratings.values())
    return Kpis(
        started=tally.total("started"),
        submitted=tally.total("submitted"),
        completed=completed,
        issued=tally.total(State.ISSUED),
        rejected=tally.total(State.REJECTED),
        abandoned=tally.total(State.ABANDONED),
        withdrawn=tally.total(State.WITHDRAWN),
        expired=tally.total(State.EXPIRED),
        failed=tally.total(State.FAILED),
        in_progress=cohort.total("in_progress"),
        completion_rate=_share(_completed(cohort), cohort_started),
        decision_days_median=_percentile(days, 0.5),
        decision_days_p90=_percentile(days, 0.9),
        within_deadline_share=_share(tally.total("within_deadline"), decisions),
        digital_take_up=_share(_completed(tally, DIGITAL), completed),
        automatic_share=_share(tally.total("automatic"), decisions),
        satisfied_share=_share(sum(ratings.get(level, 0) for level in SATISFIED), answers),
        satisfaction_score=(sum(level * n for level, n in ratings.items()) / answers - 1) / 4 if answers else None,
        satisfaction_answers=answers,
        cost_per_transaction=_cost_per_transaction(tally, completed),
        decisions=decisions,
        satisfaction_per_level={level: ratings.get(level, 0) for level in range(1, 6)},
        satisfaction_low_confidence=answers < settings.METRICS_SATISFACTION_CONFIDENT_ANSWERS,
    )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percentile(histogram: dict[int, int], fraction: float) -> float | None:
    """The `fraction` quantile of the values counted in `histogram`, interpolated between neighbours."""
    count = sum(histogram.values())
    if not count:
        return None
    position = fraction * (count - 1)
    lower, upper = _ranked(histogram, floor(position)), _ranked(histogram, ceil(position))
    return lower + (upper - lower) * (position - floor(position))


def _ranked(histogram: dict[int, int], rank: int) -> int:
    """The value at 0-based `rank` in the sorted values."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if rank < seen:
            return value
    raise IndexError(rank)


def _cost_per_transaction(tally: _Tally, completed: int) -> Decimal | None:
    """Total cost under the configured cost model / completed transactions."""
    if not completed:
        return None
    per_minute = Decimal(settings.METRICS_COST_PER_STAFF_MINUTE)
    fixed = {channel: Decimal(cost) for channel, cost in settings.METRICS_FIXED_COST_PER_CHANNEL.items()}
    started = tally.by_channel("started")
    manual_decisions = tally.total("decided") - tally.total("automatic")
    staff_minutes = (
        manual_decisions * settings.METRICS_STAFF_MINUTES_PER_MANUAL_DECISION
        + started.get(Channel.ASSISTED, 0) * settings.METRICS_STAFF_MINUTES_PER_ASSISTED_FILING
    )
    total = per_minute * staff_minutes + sum(
        (fixed.get(channel, Decimal(0)) * n for channel, n in started.items()), Decimal(0)
    )
    return (total / completed).quantize(Decimal("0.01"))
