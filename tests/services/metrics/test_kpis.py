"""Each KPI on a hand-built history, made with the workflow's own functions and read from the rollups."""

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from services.accounts.iin import make_iin
from services.feedback.service import satisfaction_record
from services.metrics.dimensions import dimension_label
from services.metrics.models import Basis, Grain
from services.metrics.selectors import (
    Filters,
    PeriodNotWholeMonths,
    Point,
    _group,
    _rollups,
    completion_over_time,
    funnel,
    kpis,
    kpis_by,
)
from services.metrics.service import metrics_catch_up, metrics_rebuild
from services.registries.population import person
from services.workflow.states import Action, Channel
from tests.factories import ServiceFactory, StaffFactory, UserFactory
from tests.services.metrics.histories import (
    at,
    decided_by_officer,
    issued_automatically,
    officer,
    respond,
    resume,
    save_page,
    start,
    submit,
    system,
    withdraw,
)

pytestmark = pytest.mark.django_db

# A quiet fortnight: no public holidays in Kazakhstan between these dates.
MONDAY = date(2026, 2, 2)
WEDNESDAY = MONDAY + timedelta(days=2)
NEXT_MONDAY = MONDAY + timedelta(days=7)
FEBRUARY = Filters(start=date(2026, 2, 1), end=date(2026, 2, 28))


@pytest.fixture
def service():
    return ServiceFactory(code="certificate", legal_deadline_days=5)


@pytest.fixture
def clerk(service):
    return StaffFactory(agency=service.agency)


def read(filters=FEBRUARY, **changes):
    metrics_catch_up()
    return kpis(replace(filters, **changes))


def test_a_resumed_draft_is_one_start(service):
    citizen = UserFactory()
    draft = save_page(start(service, citizen, MONDAY), "purpose", MONDAY)
    draft = resume(draft, WEDNESDAY)
    save_page(draft, "contact", WEDNESDAY)

    figures = read()

    assert (figures.started, figures.submitted, figures.in_progress) == (1, 0, 1)


def test_a_start_page_view_without_a_start_is_not_counted(client, service):
    citizen = UserFactory()
    client.force_login(citizen)
    with at(MONDAY):
        assert client.get(f"/services/{service.code}/apply/").status_code == 200
    assert read().started == 0

    with at(MONDAY):
        client.post(f"/services/{service.code}/apply/", {"action": "start"})
    assert read().started == 1


def test_a_refusal_on_the_merits_is_a_completion(service, clerk):
    decided_by_officer(service, UserFactory(), clerk, Action.REJECT, MONDAY, WEDNESDAY)

    figures = read()

    assert (figures.started, figures.completed, figures.rejected, figures.issued) == (1, 1, 1, 0)
    assert figures.completion_rate == 1.0


def test_outcomes_each_counted_on_their_own(service, clerk):
    issued_automatically(service, UserFactory(), MONDAY)
    decided_by_officer(service, UserFactory(), clerk, Action.REJECT, MONDAY, WEDNESDAY)
    start(service, UserFactory(), MONDAY)  # still a draft
    abandoned = start(service, UserFactory(), MONDAY)
    system(abandoned, Action.ABANDON, NEXT_MONDAY)
    withdraw(submit(start(service, UserFactory(), MONDAY), MONDAY), WEDNESDAY)
    system(submit(start(service, UserFactory(), MONDAY), MONDAY), Action.FAIL, MONDAY)
    asked = officer(
        system(submit(start(service, UserFactory(), MONDAY), MONDAY), Action.ROUTE_TO_REVIEW, MONDAY),
        clerk,
        Action.REQUEST_INFO,
        MONDAY,
    )
    system(asked, Action.EXPIRE, NEXT_MONDAY)
    system(submit(start(service, UserFactory(), MONDAY), MONDAY), Action.ROUTE_TO_REVIEW, MONDAY)  # in review

    figures = read(cohort=True)

    assert figures.started == 8
    assert figures.submitted == 6
    counted = (figures.issued, figures.rejected, figures.abandoned, figures.withdrawn, figures.expired, figures.failed)
    assert counted == (1, 1, 1, 1, 1, 1)
    assert figures.in_progress == 2
    assert (
        figures.completed
        + figures.abandoned
        + figures.withdrawn
        + figures.expired
        + figures.failed
        + (figures.in_progress)
        == figures.started
    )
    assert figures.completion_rate == 2 / 8


def test_completion_never_exceeds_100_percent_when_earlier_starts_finish_in_the_period(service, clerk):
    for _ in range(3):
        decided_by_officer(service, UserFactory(), clerk, Action.APPROVE, date(2026, 1, 26), MONDAY)
    start(service, UserFactory(), MONDAY)

    figures = read()

    assert (figures.started, figures.completed) == (1, 3)  # events in February
    assert figures.completion_rate == 0.0  # of February's one start, none completed
    january = read(Filters(start=date(2026, 1, 1), end=date(2026, 1, 31)))
    assert january.completion_rate == 1.0


def test_time_to_decision_in_working_days_and_the_share_within_the_deadline(service, clerk):
    decided_by_officer(service, UserFactory(), clerk, Action.APPROVE, MONDAY, MONDAY)  # 0 days
    decided_by_officer(service, UserFactory(), clerk, Action.APPROVE, MONDAY, WEDNESDAY)  # 2
    decided_by_officer(service, UserFactory(), clerk, Action.REJECT, MONDAY, NEXT_MONDAY)  # 5: the last day
    decided_by_officer(service, UserFactory(), clerk, Action.REJECT, MONDAY, date(2026, 2, 16))  # 10: late

    figures = read()

    assert figures.decision_days_median == 3.5
    assert figures.decision_days_p90 == pytest.approx(5 + 0.7 * 5)
    assert figures.within_deadline_share == 3 / 4


def test_a_decision_is_judged_by_the_deadline_it_was_submitted_under(service, clerk):
    decided_by_officer(service, UserFactory(), clerk, Action.APPROVE, MONDAY, NEXT_MONDAY)  # 5 of 5 days
    service.legal_deadline_days = 2  # the catalogue shortens the deadline afterwards
    service.save()
    metrics_rebuild()

    assert read().within_deadline_share == 1.0


def test_days_waiting_for_the_citizen_do_not_count(service, clerk):
    request = submit(start(service, UserFactory(), MONDAY), MONDAY)
    request = officer(system(request, Action.ROUTE_TO_REVIEW, MONDAY), clerk, Action.REQUEST_INFO, MONDAY)
    request = respond(request, NEXT_MONDAY)  # five working days waiting
    officer(request, clerk, Action.APPROVE, date(2026, 2, 11))  # seven after submission

    figures = read()

    assert figures.decision_days_median == 2.0
    assert figures.within_deadline_share == 1.0


def test_digital_take_up_counts_the_counter_in_the_denominator(service, clerk):
    issued_automatically(service, UserFactory(), MONDAY, Channel.WEB)
    issued_automatically(service, UserFactory(), MONDAY, Channel.API)
    counter = start(service, UserFactory(), MONDAY, Channel.ASSISTED, filed_by=clerk)
    system(system(submit(counter, MONDAY), Action.APPROVE, MONDAY), Action.ISSUE, MONDAY)

    figures = read()

    assert figures.completed == 3
    assert figures.digital_take_up == 2 / 3
    assert [value for value, _figures in kpis_by("channel", FEBRUARY)] == ["api", "assisted", "web"]


def test_automatic_share_counts_decisions_by_the_system(service, clerk):
    issued_automatically(service, UserFactory(), MONDAY)
    decided_by_officer(service, UserFactory(), clerk, Action.APPROVE, MONDAY, WEDNESDAY)
    decided_by_officer(service, UserFactory(), clerk, Action.REJECT, MONDAY, WEDNESDAY)

    assert read().automatic_share == 1 / 3


def test_user_satisfaction(service, clerk):
    for rating in (5, 4, 2):
        request = issued_automatically(service, UserFactory(), MONDAY)
        with at(MONDAY, hour=15):
            satisfaction_record(request=request, user=request.citizen, rating=rating)

    figures = read()

    assert figures.satisfaction_answers == 3
    assert figures.satisfied_share == 2 / 3
    assert figures.satisfaction_score == pytest.approx((11 / 3 - 1) / 4)
    assert figures.satisfaction_per_level == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert figures.satisfaction_low_confidence  # 3 answers, fewer than 400


def test_satisfaction_is_low_confidence_under_the_configured_number_of_answers(settings, service):
    for rating in (5, 4):
        request = issued_automatically(service, UserFactory(), MONDAY)
        with at(MONDAY, hour=15):
            satisfaction_record(request=request, user=request.citizen, rating=rating)
    settings.METRICS_SATISFACTION_CONFIDENT_ANSWERS = 3
    assert read().satisfaction_low_confidence
    settings.METRICS_SATISFACTION_CONFIDENT_ANSWERS = 2
    assert not read().satisfaction_low_confidence


def test_cost_per_transaction_from_the_cost_model(settings, service, clerk):
    settings.METRICS_COST_PER_STAFF_MINUTE = "10"
    settings.METRICS_STAFF_MINUTES_PER_MANUAL_DECISION = 30
    settings.METRICS_STAFF_MINUTES_PER_ASSISTED_FILING = 20
    settings.METRICS_FIXED_COST_PER_CHANNEL = {"web": "1", "api": "1", "assisted": "100", "system": "0"}
    issued_automatically(service, UserFactory(), MONDAY)  # web: 1
    decided_by_officer(service, UserFactory(), clerk, Action.REJECT, MONDAY, WEDNESDAY)  # web 1 + 300
    start(service, UserFactory(), MONDAY)  # a draft's cost stays in: 1
    counter = start(service, UserFactory(), MONDAY, Channel.ASSISTED, filed_by=clerk)
    system(system(submit(counter, MONDAY), Action.APPROVE, MONDAY), Action.ISSUE, MONDAY)  # 100 + 200

    assert read().cost_per_transaction == Decimal(603) / 3


def test_every_kpi_by_region_age_band_and_channel(service):
    older = UserFactory(iin=make_iin(date(1950, 5, 5), female=True, serial=17))
    younger = UserFactory(iin=make_iin(date(2000, 5, 5), female=False, serial=18))
    issued_automatically(service, older, MONDAY)
    start(service, younger, MONDAY, Channel.API)

    metrics_catch_up()
    by_age = dict(kpis_by("age_band", FEBRUARY))
    assert set(by_age) == {"60+", "18-29"}
    assert (by_age["60+"].completion_rate, by_age["18-29"].completion_rate) == (1.0, 0.0)
    regions = {person(older.iin).address.region, person(younger.iin).address.region}
    assert {value for value, _figures in kpis_by("region", FEBRUARY)} == regions
    assert kpis(replace(FEBRUARY, age_band="60+")).started == 1
    assert kpis(replace(FEBRUARY, channel="api")).in_progress == 1
    assert dict(kpis_by("service", FEBRUARY))["certificate"].started == 2
    region = person(older.iin).address.region
    both = kpis(replace(FEBRUARY, region=region, age_band="60+"))
    assert (both.started, both.completed) == (1, 1)


def test_the_lens_adds_up_to_the_portal_wide_figures(service, clerk):
    for year in (1950, 1970, 1990, 2000):
        issued_automatically(service, UserFactory(iin=make_iin(date(year, 3, 3), female=True, serial=year)), MONDAY)
    decided_by_officer(service, UserFactory(), clerk, Action.REJECT, MONDAY, WEDNESDAY)
    start(service, UserFactory(), MONDAY, Channel.API)
    portal = read()

    for dimension in ("region", "age_band", "channel", "service"):
        groups = [figures for _value, figures in kpis_by(dimension, FEBRUARY)]
        assert sum(g.started for g in groups) == portal.started == 6
        assert sum(g.completed for g in groups) == portal.completed == 5
        assert sum(g.decisions for g in groups) == portal.decisions == 5


def test_the_funnel_counts_each_page_once_and_shows_where_people_stop(service):
    draft = save_page(start(service, UserFactory(), MONDAY), "purpose", MONDAY)
    save_page(resume(save_page(draft, "purpose", MONDAY), WEDNESDAY), "purpose", WEDNESDAY)
    start(service, UserFactory(), MONDAY)
    issued_automatically(service, UserFactory(), MONDAY)
    metrics_catch_up()

    with translation.override("en"):
        steps = funnel("certificate", FEBRUARY)

    assert [(step.key, step.reached) for step in steps] == [
        ("started", 3),
        ("page:purpose", 2),
        ("page:contact", 1),
        ("submitted", 1),
        ("completed", 1),
    ]
    assert str(steps[1].label) == "Purpose"


def test_a_page_nobody_reached_is_in_the_funnel_with_none(service):
    save_page(start(service, UserFactory(), MONDAY), "purpose", MONDAY)
    metrics_catch_up()

    steps = funnel("certificate", FEBRUARY)

    assert [(step.key, step.reached) for step in steps][1:3] == [("page:purpose", 1), ("page:contact", 0)]


def test_completion_over_time_by_week_of_start(service):
    issued_automatically(service, UserFactory(), MONDAY)
    start(service, UserFactory(), WEDNESDAY)
    issued_automatically(service, UserFactory(), NEXT_MONDAY)
    metrics_catch_up()

    points = completion_over_time(FEBRUARY, bucket="week")

    assert [(p.day, p.started, p.completed, p.rate) for p in points] == [
        (MONDAY, 2, 1, 0.5),
        (NEXT_MONDAY, 1, 1, 1.0),
    ]


def test_the_portal_wide_rate_is_volume_weighted(clerk):
    big, small = ServiceFactory(code="big", agency=clerk.agency), ServiceFactory(code="small", agency=clerk.agency)
    for _ in range(3):
        issued_automatically(big, UserFactory(), MONDAY)
    start(big, UserFactory(), MONDAY)
    start(small, UserFactory(), MONDAY)

    figures = read()

    assert figures.completion_rate == 3 / 5  # not the mean of 3/4 and 0/1


def test_dimension_values_have_labels_in_the_readers_language(service):
    with translation.override("ru"):
        assert dimension_label("region", "astana") == "город Астана"
        assert dimension_label("channel", "assisted") == "Центр обслуживания"
        assert dimension_label("service", "certificate") == "Справка"
        assert dimension_label("age_band", "60+") == "60+"
        assert dimension_label("region", "unknown") == "Неизвестно"


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2026, 1, 20), date(2026, 3, 10)),  # partial months at both ends, one whole month
        (date(2026, 2, 1), date(2026, 2, 28)),  # one whole month, no edge days
        (date(2026, 2, 3), date(2026, 2, 20)),  # inside one month: day counters only
        (None, date(2026, 2, 15)),
        (date(2026, 2, 15), None),
    ],
)
def test_month_and_week_counters_give_the_figures_of_the_day_counters(first, last, clerk, service):
    day = date(2026, 1, 12)
    while day < date(2026, 3, 20):
        issued_automatically(service, UserFactory(), day, channel=Channel.API)
        decided_by_officer(service, UserFactory(), clerk, Action.REJECT, day, day + timedelta(days=9))
        start(service, UserFactory(), day + timedelta(days=1))
        day += timedelta(days=4)
    metrics_catch_up()
    filters = Filters(start=first, end=last)

    for basis in Basis:
        by_day = _group(_rollups(basis, filters, grain=Grain.DAY), dimension=None)[""].counts
        assert by_day
        for grain in (Grain.WEEK, Grain.MONTH):
            assert _group(_rollups(basis, filters, grain=grain), dimension=None)[""].counts == by_day
    weekly = completion_over_time(filters, bucket="week")
    assert weekly == _weekly_from(completion_over_time(filters, bucket="day"))


def _weekly_from(daily):
    started, completed = Counter(), Counter()
    for point in daily:
        monday = point.day - timedelta(days=point.day.weekday())
        started[monday] += point.started
        completed[monday] += point.completed
    return [
        Point(
            monday, started[monday], completed[monday], completed[monday] / started[monday] if started[monday] else None
        )
        for monday in sorted(started | completed)
    ]


def test_each_cut_adds_up_to_the_cut_above_it(service, clerk):
    other = ServiceFactory(code="licence")
    other_clerk = StaffFactory(agency=other.agency)
    for offset in range(3):
        citizen = UserFactory()
        issued_automatically(service, citizen, MONDAY + timedelta(days=offset))
        decided_by_officer(other, citizen, other_clerk, Action.REJECT, MONDAY, WEDNESDAY)
    metrics_catch_up()

    region = kpis_by("region", FEBRUARY)[0][0]
    assert kpis(FEBRUARY).started == 6
    for chosen in (Filters(), Filters(service="certificate"), Filters(region=region), Filters(age_band="30-44")):
        whole = kpis(replace(FEBRUARY, **vars(chosen)))
        for dimension in ("service", "region", "age_band", "channel"):
            parts = kpis_by(dimension, replace(FEBRUARY, **vars(chosen)))
            assert sum(figures.started for _value, figures in parts) == whole.started
            assert sum(figures.completed for _value, figures in parts) == whole.completed


def test_a_cross_for_a_period_that_is_not_whole_months_is_refused(service, clerk):
    issued_automatically(service, UserFactory(), MONDAY)
    metrics_catch_up()
    part_of_february = replace(FEBRUARY, start=MONDAY, service="certificate")

    assert kpis_by("channel", part_of_february)[0][1].started == 1  # one dimension: any period
    with pytest.raises(PeriodNotWholeMonths):
        kpis_by("region", part_of_february)
    with pytest.raises(PeriodNotWholeMonths):
        completion_over_time(replace(FEBRUARY, service="certificate", age_band="30-44"), bucket="week")
    assert sum(figures.started for _value, figures in kpis_by("region", replace(FEBRUARY, service="certificate"))) == 1
