"""What one request adds to the rollups, derived from the events seen of it (pure functions).

The events of a request are merged as a set keyed by sequence number, and the contributions are
derived from that set in sequence order, so the same events give the same contributions whatever
order and however many times they were delivered. A request adds nothing until its `started`
event is seen: every counted outcome then has its counted start.
"""

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from services.metrics.dimensions import ALL, CROSSES, CUT_DIMENSIONS, CUTS, age_band
from services.metrics.models import Basis, Grain
from services.workflow.states import FINAL, Action, ActorKind
from services.working_days import add_working_days, local_date, working_days_between

# A rollup key: basis, day (ISO), service, region, age band, channel, measure, bucket.
Key = tuple[str, str, str, str, str, str, str, str]

# A counter: cut, grain, then a rollup key whose day is the first day of the grain's period and whose
# dimensions outside the cut are ALL.
GrainKey = tuple[str, str, str, str, str, str, str, str, str, str]

DECIDING = frozenset({Action.APPROVE, Action.REJECT})


def compact_event(event: Any) -> dict[str, Any]:
    """The parts of a RequestEvent the KPIs use, small enough to keep per request."""
    compact = {
        "a": event.action,
        "s": event.to_state,
        "k": event.actor_kind,
        "c": event.channel,
        "d": local_date(event.created_at).isoformat(),
    }
    payload = event.payload or {}
    if event.action == Action.STEP_SAVED and payload.get("page"):
        compact["p"] = str(payload["page"])
    if payload.get("paused_working_days"):
        compact["w"] = int(payload["paused_working_days"])
    if event.action == Action.SUBMIT and "legal_deadline_days" in payload:
        compact["l"] = int(payload["legal_deadline_days"])
    return compact


@dataclass(frozen=True)
class RequestFacts:
    """The inputs of a request's contributions (the stored fact, as plain values)."""

    service: str
    region: str
    birth_date: date | None
    legal_deadline_days: int
    events: dict[str, dict[str, Any]]
    rating: int | None = None
    rated_on: date | None = None


def contributions(facts: RequestFacts) -> list[Key]:
    """The rollup keys the request adds to now, sorted (a request may add to one key twice)."""
    return sorted(_contributions(facts))


def period_start(day: date, grain: str) -> date:
    """The first day of the week (from Monday) or month that holds `day`; `day` itself for a day."""
    if grain == Grain.WEEK:
        return day - timedelta(days=day.weekday())
    if grain == Grain.MONTH:
        return day.replace(day=1)
    return day


def grain_keys(key: Key) -> Iterator[GrainKey]:
    """The counters one contribution adds to: in each cut (see `CUTS`), its day's, week's and month's,
    but in a cross only its month's; the pages (the funnel) only in the cuts with the service."""
    basis, day, service, region, band, channel, measure, bucket = key
    starts = _period_starts(day)
    for cut, grains, dims in _cut_dimensions(service, region, band, measure == "page"):
        for grain in grains:
            yield (cut, grain, basis, starts[grain], *dims, channel, measure, bucket)


def counters(keys: Mapping[Key, int]) -> dict[GrainKey, int]:
    """What contributions (key -> how many times, or by how much it changes) add to each counter;
    counters whose changes cancel out are left out. Expands each distinct key once."""
    totals: Counter[GrainKey] = Counter()
    for key, number in keys.items():
        if number:
            for counter in grain_keys(key):
                totals[counter] += number
    return {counter: number for counter, number in totals.items() if number}


# Per cut: its name, which of `CUT_DIMENSIONS` it keeps, and its grains.
_CUT_PLANS = tuple(
    (
        cut,
        tuple(name in names for name in CUT_DIMENSIONS),
        (Grain.MONTH.value,) if cut in CROSSES else tuple(grain.value for grain in Grain),
    )
    for cut, names in CUTS.items()
)


# Worked out once per combination of dimensions (a few thousand) rather than per contribution.
@lru_cache(maxsize=16384)
def _cut_dimensions(
    service: str, region: str, band: str, page: bool
) -> tuple[tuple[str, tuple[str, ...], tuple[str, str, str]], ...]:
    """Per cut a contribution of these dimensions adds to (only the cuts with the service for a page):
    the cut, its grains, and the service, region and age band of its counters (ALL outside the cut)."""
    values = (service, region, band)
    return tuple(
        (cut, grains, tuple(value if keep else ALL for value, keep in zip(values, kept, strict=True)))
        for cut, kept, grains in _CUT_PLANS
        if not page or "service" in CUTS[cut]
    )


@lru_cache(maxsize=4096)
def _period_starts(day: str) -> dict[str, str]:
    """Grain -> the first day (ISO) of the period of that grain that holds `day` (ISO); few distinct days."""
    on = date.fromisoformat(day)
    return {grain.value: period_start(on, grain).isoformat() for grain in Grain}


def _contributions(facts: RequestFacts) -> Iterator[Key]:
    ordered = [facts.events[seq] for seq in sorted(facts.events, key=int)]
    started = next((e for e in ordered if e["a"] == Action.STARTED), None)
    if started is None:
        return
    start_day = date.fromisoformat(started["d"])
    dims = (facts.service, facts.region, age_band(facts.birth_date, start_day), started["c"])

    def both(day: str, measure: str, bucket: str = "") -> Iterator[Key]:
        yield (Basis.EVENT.value, day, *dims, measure, bucket)
        yield (Basis.COHORT.value, started["d"], *dims, measure, bucket)

    yield from both(started["d"], "started")
    for page in sorted({e["p"] for e in ordered if "p" in e}):
        yield (Basis.COHORT.value, started["d"], *dims, "page", page)
    submitted = next((e for e in ordered if e["a"] == Action.SUBMIT), None)
    if submitted:
        yield from both(submitted["d"], "submitted")
    ended = next((e for e in ordered if e["s"] in FINAL), None)
    if ended:
        yield from both(ended["d"], ended["s"])
    else:
        yield (Basis.COHORT.value, started["d"], *dims, "in_progress", "")
    # The deadline the request was submitted under; requests submitted before it was recorded
    # fall back to the catalogue's at the request's first ingest.
    legal_days = submitted.get("l", facts.legal_deadline_days) if submitted else facts.legal_deadline_days
    yield from _decision(ordered, submitted, legal_days, both)
    if facts.rating is not None and facts.rated_on is not None:
        yield from both(facts.rated_on.isoformat(), "rating", str(facts.rating))


def _decision(
    ordered: list[dict[str, Any]], submitted: dict[str, Any] | None, legal_days: int, both: Any
) -> Iterator[Key]:
    """A decision (approve or reject), whether the system took it, and its time in working days."""
    position = next((i for i, e in enumerate(ordered) if e["a"] in DECIDING), None)
    if position is None:
        return
    decision = ordered[position]
    yield from both(decision["d"], "decided")
    if decision["k"] == ActorKind.SYSTEM:
        yield from both(decision["d"], "automatic")
    if submitted is None:
        return
    # Days waiting for the citizen do not count, as for the request's own deadline.
    paused = sum(e.get("w", 0) for e in ordered[:position])
    submitted_on, decided_on = date.fromisoformat(submitted["d"]), date.fromisoformat(decision["d"])
    days = max(working_days_between(submitted_on, decided_on) - paused, 0)
    yield from both(decision["d"], "decision_days", str(days))
    if decided_on <= add_working_days(submitted_on, legal_days + paused):
        yield from both(decision["d"], "within_deadline")
