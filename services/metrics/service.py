"""Keeping the KPI rollups: the incremental ingest production runs, and the full recomputation.

Both fold request events and satisfaction answers into `RequestFact` rows and file each request's
contributions (see `services.metrics.facts`) into `Rollup` counters. The ingest is idempotent per
event: events are merged by sequence number, and a request's counters change by the difference
between what it added before and what it adds now, so duplicates and any order of delivery give
the rollups the full recomputation gives. Writers take one lock (the events cursor row), which no
request's transaction ever takes: the workflow's own writes are not slowed.
"""

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from services.accounts.iin import iin_birth_date
from services.feedback.models import SatisfactionAnswer
from services.metrics.dimensions import UNKNOWN
from services.metrics.facts import GrainKey, Key, RequestFacts, compact_event, contributions, counters
from services.metrics.models import IngestCursor, RequestFact, Rollup
from services.registries.population import person
from services.workflow.models import RequestEvent, ServiceRequest
from services.working_days import local_date

EVENT_FIELDS = ("id", "request_id", "sequence", "action", "to_state", "actor_kind", "channel", "created_at", "payload")
_KEY_COLUMNS = ("cut", "grain", "basis", "day", "service", "region", "age_band", "channel", "measure", "bucket")
# Counters per upsert statement: a catch-up batch of events fits in one, a rebuild takes several.
_UPSERT_ROWS = 20_000


def metrics_ingest(events: Iterable[RequestEvent]) -> int:
    """Fold request events into the rollups, in one transaction; returns how many requests changed.

    Safe to call again with events already seen, in any order: nothing is counted twice.
    """
    seen: dict[int, dict[str, dict[str, Any]]] = {}
    for event in events:
        seen.setdefault(event.request_id, {})[str(event.sequence)] = compact_event(event)
    if not seen:
        return 0
    with transaction.atomic():
        _lock_writers()
        facts = _facts_for(seen)
        changed = []
        for request_id, events_seen in seen.items():
            fact = facts[request_id]
            merged = {**fact.events, **events_seen}
            if merged != fact.events or fact._state.adding:
                fact.events = merged
                changed.append(fact)
        _store(changed)
    return len(changed)


def metrics_ingest_answers(answers: Iterable[SatisfactionAnswer]) -> int:
    """Fold satisfaction answers into the rollups; idempotent like `metrics_ingest`."""
    answers = {answer.request_id: answer for answer in answers}
    if not answers:
        return 0
    with transaction.atomic():
        _lock_writers()
        facts = _facts_for(answers)
        changed = []
        for request_id, answer in answers.items():
            fact, rated_on = facts[request_id], local_date(answer.answered_at)
            if (fact.rating, fact.rated_on) != (answer.rating, rated_on) or fact._state.adding:
                fact.rating, fact.rated_on = answer.rating, rated_on
                changed.append(fact)
        _store(changed)
    return len(changed)


def metrics_catch_up(*, batch_size: int = 1000) -> int:
    """Ingest the events and answers written since the last run (the periodic task); returns rows read.

    Each run reads again a margin (`METRICS_INGEST_LOOKBACK`) before where the last one stopped:
    a transaction that commits late still has its rows read, and rows read twice count once.
    """
    read = _catch_up("events", RequestEvent.objects.only(*EVENT_FIELDS), "created_at", metrics_ingest, batch_size)
    answers = SatisfactionAnswer.objects.only("id", "request_id", "rating", "answered_at")
    return read + _catch_up("answers", answers, "answered_at", metrics_ingest_answers, batch_size)


def metrics_rebuild(*, batch_size: int = 2000) -> int:
    """Recompute every fact and rollup from all events and answers; returns the number of requests.

    Independent of the ingest's arithmetic: contributions are summed afresh and written once. The
    cursors restart where the rebuild began, so the periodic ingest picks up what comes after.
    """
    with transaction.atomic():
        _lock_writers()
        began = timezone.now()
        Rollup.objects.all().delete()
        RequestFact.objects.all().delete()
        # The contributions of every request first, then their counters: far fewer distinct keys.
        totals: Counter[Key] = Counter()
        requests = 0
        for request_ids in _batches(ServiceRequest.objects.order_by("pk").values_list("pk", flat=True), batch_size):
            facts = _facts_for(request_ids)
            for event in RequestEvent.objects.filter(request_id__in=request_ids).only(*EVENT_FIELDS):
                facts[event.request_id].events[str(event.sequence)] = compact_event(event)
            for answer in SatisfactionAnswer.objects.filter(request_id__in=request_ids):
                facts[answer.request_id].rating = answer.rating
                facts[answer.request_id].rated_on = local_date(answer.answered_at)
            for fact in facts.values():
                keys = contributions(_plain(fact))
                totals.update(keys)
                fact.contributions = [list(key) for key in keys]
            RequestFact.objects.bulk_create(facts.values(), batch_size=500)
            requests += len(facts)
        _add_to_rollups(counters(totals))
        for source in ("events", "answers"):
            IngestCursor.objects.update_or_create(source=source, defaults={"read_until": began})
    return requests


def _lock_writers() -> None:
    """One writer of the rollups at a time (a row only the metrics writers lock)."""
    IngestCursor.objects.get_or_create(source="events")
    IngestCursor.objects.select_for_update().get(source="events")


def _facts_for(request_ids: Iterable[int]) -> dict[int, RequestFact]:
    """The stored facts of these requests, and new (unsaved) ones for requests not seen before."""
    request_ids = list(request_ids)
    facts = RequestFact.objects.in_bulk(request_ids)
    missing = [pk for pk in request_ids if pk not in facts]
    rows = ServiceRequest.objects.filter(pk__in=missing).values_list(
        "pk", "service__code", "service__legal_deadline_days", "citizen__iin"
    )
    for pk, service, legal_days, iin in rows:
        facts[pk] = RequestFact(
            request_id=pk,
            service=service,
            region=_region_of(iin),
            birth_date=_birth_date_of(iin),
            legal_deadline_days=legal_days,
        )
    return facts


def _region_of(iin: str) -> str:
    """The region of the citizen's address in the population register."""
    record = person(iin)
    return record.address.region if record else UNKNOWN


def _birth_date_of(iin: str) -> date | None:
    try:
        return iin_birth_date(iin)
    except (ValueError, IndexError):
        return None


def _plain(fact: RequestFact) -> RequestFacts:
    return RequestFacts(
        service=fact.service,
        region=fact.region,
        birth_date=fact.birth_date,
        legal_deadline_days=fact.legal_deadline_days,
        events=fact.events,
        rating=fact.rating,
        rated_on=fact.rated_on,
    )


def _store(changed: list[RequestFact]) -> None:
    """Save the changed facts and move the rollups by the difference in their contributions."""
    delta: Counter[Key] = Counter()
    for fact in changed:
        new = contributions(_plain(fact))
        delta.update(new)
        delta.subtract(tuple(key) for key in fact.contributions)
        fact.contributions = [list(key) for key in new]
    new_facts = [fact for fact in changed if fact._state.adding]
    stored = [fact for fact in changed if not fact._state.adding]
    RequestFact.objects.bulk_create(new_facts, batch_size=500)
    RequestFact.objects.bulk_update(stored, ["events", "rating", "rated_on", "contributions"], batch_size=500)
    _add_to_rollups(counters(delta))


def _add_to_rollups(delta: dict[GrainKey, int]) -> None:
    """Add each count to its counter, creating the counter if needed: one upsert statement per
    `_UPSERT_ROWS` counters, the rows passed as one JSON array (no per-row statement or parameters)."""
    rows = [[*key, number] for key, number in delta.items()]
    if not rows:
        return
    sql = _upsert_sql()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _UPSERT_ROWS):
            cursor.execute(sql, [json.dumps(rows[start : start + _UPSERT_ROWS])])


def _upsert_sql() -> str:
    """INSERT ... ON CONFLICT DO UPDATE of the rollup rows in a JSON array parameter (lists of
    `_KEY_COLUMNS` and the count), on PostgreSQL or SQLite."""
    quote = connection.ops.quote_name
    table, count = quote(Rollup._meta.db_table), quote("count")
    columns = (*_KEY_COLUMNS, "count")
    if connection.vendor == "postgresql":
        casts = {"day": "::date", "count": "::bigint"}
        values = ", ".join(f"(element ->> {i}){casts.get(column, '')}" for i, column in enumerate(columns))
        # jsonb, parsed once: a json value would be parsed again by each ->>.
        rows = f"SELECT {values} FROM jsonb_array_elements(%s::jsonb) AS element"  # noqa: S608 (constants only)
    else:
        values = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(columns)))
        # SQLite's upsert needs a WHERE after a SELECT, to tell its ON CONFLICT from a join's ON.
        rows = f"SELECT {values} FROM json_each(%s) WHERE true"  # noqa: S608 (constants only)
    return (
        f"INSERT INTO {table} ({', '.join(quote(column) for column in columns)}) {rows} "
        f"ON CONFLICT ({', '.join(quote(column) for column in _KEY_COLUMNS)}) "
        f"DO UPDATE SET {count} = {table}.{count} + EXCLUDED.{count}"
    )


def _catch_up(source: str, rows: QuerySet, time_field: str, ingest: Callable[[list[Any]], int], batch_size: int) -> int:
    cursor, _created = IngestCursor.objects.get_or_create(source=source)
    if cursor.read_until is not None:
        rows = rows.filter(**{f"{time_field}__gte": cursor.read_until - settings.METRICS_INGEST_LOOKBACK})
    read, latest = 0, cursor.read_until
    for batch in _batches(rows.order_by("pk"), batch_size):
        ingest(batch)
        read += len(batch)
        newest = max(getattr(row, time_field) for row in batch)
        latest = newest if latest is None else max(latest, newest)
        IngestCursor.objects.filter(source=source).update(read_until=latest, updated_at=timezone.now())
    return read


def _batches(rows: QuerySet, size: int) -> Iterator[list[Model | int]]:
    """Rows in primary-key order, `size` at a time, each batch its own query (keyset pagination)."""
    last = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        batch = list(page[:size])
        if not batch:
            return
        yield batch
        last = batch[-1] if isinstance(batch[-1], int) else batch[-1].pk
        if len(batch) < size:
            return
