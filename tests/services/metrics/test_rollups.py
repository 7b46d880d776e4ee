"""The rollups kept incrementally equal a full recomputation, whatever the delivery of the events."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.feedback.models import SatisfactionAnswer
from services.feedback.service import ASKED_AT, satisfaction_record
from services.metrics.models import IngestCursor, Rollup
from services.metrics.selectors import Filters, completion_over_time, funnel, kpis, kpis_by
from services.metrics.service import (
    EVENT_FIELDS,
    metrics_catch_up,
    metrics_ingest,
    metrics_ingest_answers,
    metrics_rebuild,
)
from services.workflow.models import RequestEvent
from services.workflow.states import Action, Channel, State
from tests.factories import ServiceFactory, StaffFactory, UserFactory
from tests.services.metrics import histories as h

pytestmark = pytest.mark.django_db

FIRST_DAY = date(2026, 2, 2)


def rollups() -> set[tuple]:
    """The counters that are not zero (a counter emptied by an update stays as a zero row)."""
    return set(
        Rollup.objects.exclude(count=0).values_list(
            "basis", "grain", "day", "service", "region", "age_band", "channel", "measure", "bucket", "count"
        )
    )


@pytest.fixture
def world():
    service = ServiceFactory(code="certificate")
    return service, StaffFactory(agency=service.agency)


def _moves(request, clerk, day):
    """The moves this test can make from the request's state, as (name, function) pairs."""
    citizen_moves = {
        State.DRAFT: [
            ("save purpose", lambda: h.save_page(request, "purpose", day)),
            ("save contact", lambda: h.save_page(request, "contact", day)),
            ("resume", lambda: h.resume(request, day)),
            ("submit", lambda: h.submit(request, day)),
            ("abandon", lambda: h.system(request, Action.ABANDON, day)),
        ],
        State.CHECKING: [
            ("route", lambda: h.system(request, Action.ROUTE_TO_REVIEW, day)),
            ("approve", lambda: h.system(request, Action.APPROVE, day)),
            ("reject", lambda: h.system(request, Action.REJECT, day)),
            ("wait for consent", lambda: h.system(request, Action.AWAIT_CONSENT, day)),
            ("fail", lambda: h.system(request, Action.FAIL, day)),
            ("withdraw", lambda: h.withdraw(request, day)),
        ],
        State.AWAITING_CONSENT: [
            ("consent", lambda: h.system(request, Action.CONSENT_ANSWERED, day)),
            ("expire", lambda: h.system(request, Action.EXPIRE, day)),
        ],
        State.IN_REVIEW: [
            ("claim", lambda: h.officer(request, clerk, Action.CLAIM, day)),
            ("approve", lambda: h.officer(request, clerk, Action.APPROVE, day)),
            ("reject", lambda: h.officer(request, clerk, Action.REJECT, day)),
            ("ask", lambda: h.officer(request, clerk, Action.REQUEST_INFO, day)),
            ("withdraw", lambda: h.withdraw(request, day)),
        ],
        State.INFO_REQUESTED: [
            ("respond", lambda: h.respond(request, day)),
            ("expire", lambda: h.system(request, Action.EXPIRE, day)),
        ],
        State.APPROVED: [("issue", lambda: h.system(request, Action.ISSUE, day))],
    }
    return citizen_moves.get(State(request.state), [])


def _history(data, service, clerk, number: int):
    day = FIRST_DAY + timedelta(days=data.draw(st.integers(0, 20), label="start day"))
    channel = data.draw(st.sampled_from([Channel.WEB, Channel.API]), label="channel")
    request = h.start(service, UserFactory(), day, channel)
    for _ in range(data.draw(st.integers(0, 8), label="moves")):
        day += timedelta(days=data.draw(st.integers(0, 4), label="days later"))
        moves = _moves(request, clerk, day)
        if not moves:
            break
        _name, move = data.draw(st.sampled_from(moves), label=f"move of request {number}")
        request = move()
    if request.state in ASKED_AT and data.draw(st.booleans(), label="answers"):
        with h.at(day, hour=20):
            satisfaction_record(request=request, user=request.citizen, rating=data.draw(st.integers(1, 5)))


@settings(
    max_examples=15,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_incremental_rollups_equal_a_full_recomputation(data, world):
    service, clerk = world
    with transaction.atomic():  # each example in its own transaction, rolled back at its end
        for number in range(data.draw(st.integers(1, 4), label="requests")):
            _history(data, service, clerk, number)
        events = list(RequestEvent.objects.only(*EVENT_FIELDS))
        answers = list(SatisfactionAnswer.objects.all())
        copies = data.draw(st.lists(st.sampled_from(events), max_size=len(events)), label="duplicates")
        delivery = data.draw(st.permutations(events + copies), label="delivery order")
        answers_after = data.draw(st.integers(0, len(delivery)), label="answers delivered after")
        position = 0
        while position < len(delivery):
            size = data.draw(st.integers(1, 6), label="chunk")
            if position <= answers_after < position + size:
                metrics_ingest_answers(answers + answers[:1])
            metrics_ingest(delivery[position : position + size])
            position += size
        metrics_ingest_answers(answers)
        incremental = rollups()

        metrics_rebuild()

        assert rollups() == incremental
        transaction.set_rollback(True)


def test_the_catch_up_reads_again_a_margin_and_counts_nothing_twice(world, settings):
    service, _clerk = world
    h.issued_automatically(service, UserFactory(), FIRST_DAY)  # its last events at 11:00
    with h.at(FIRST_DAY, hour=18):
        metrics_catch_up()
        first = rollups()
        assert metrics_catch_up() == 3  # the margin before 11:00 is read again...
    assert rollups() == first  # ...and counts nothing twice

    # A transaction that began at 10:00 and committed after the run: within a long enough margin.
    h.start(service, UserFactory(), FIRST_DAY)
    with h.at(FIRST_DAY, hour=18):
        metrics_catch_up()
    assert kpis(Filters()).started == 1
    settings.METRICS_INGEST_LOOKBACK = timedelta(hours=2)
    with h.at(FIRST_DAY, hour=18):
        metrics_catch_up()
    assert kpis(Filters()).started == 2
    after = rollups()
    metrics_rebuild()
    assert rollups() == after


def test_the_rebuild_command_recomputes_and_resets_the_cursors(world):
    service, _clerk = world
    h.issued_automatically(service, UserFactory(), FIRST_DAY)
    metrics_catch_up()
    before = rollups()
    Rollup.objects.all().delete()

    call_command("metrics_rebuild", stdout=StringIO())

    assert rollups() == before
    assert set(IngestCursor.objects.values_list("source", flat=True)) == {"events", "answers"}


def test_dashboard_reads_never_touch_the_events(world):
    service, _clerk = world
    h.issued_automatically(service, UserFactory(), FIRST_DAY)
    metrics_catch_up()
    filters = Filters(start=FIRST_DAY, end=FIRST_DAY, region=None)
    with CaptureQueriesContext(connection) as queries:
        kpis(filters)
        kpis_by("region", filters)
        funnel(service.code, filters)
        completion_over_time(filters)
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert RequestEvent._meta.db_table not in sql
    assert "metrics_rollup" in sql


def test_beat_runs_the_catch_up_task(world, settings):
    from services.metrics import tasks

    service, _clerk = world
    h.issued_automatically(service, UserFactory(), FIRST_DAY)
    entry = settings.CELERY_BEAT_SCHEDULE["metrics-catch-up"]
    assert entry["task"] == tasks.metrics_catch_up.name

    tasks.metrics_catch_up.delay()

    assert kpis(Filters()).completed == 1
