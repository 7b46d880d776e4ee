"""The staff dashboard and the public service performance page: who may see them, filters, figures, exports."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.feedback.service import satisfaction_record
from services.metrics.service import metrics_catch_up
from services.workflow.states import Channel
from tests.factories import ServiceFactory, UserFactory
from tests.otp import verified_client
from tests.portal.dashboard.conftest import MONDAY
from tests.services.metrics.histories import at, issued_automatically

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


STAFF = "/dashboard/"
PUBLIC = "/dashboard/public/"
FEBRUARY = {"start": "2026-02-01", "end": "2026-02-28"}


def test_an_anonymous_visitor_is_sent_to_the_staff_login(client):
    response = client.get(STAFF)

    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/login/?next=/dashboard/")


def test_a_citizen_is_refused(client):
    client.force_login(UserFactory())

    assert client.get(STAFF).status_code == 403
    assert client.get(STAFF, {"format": "csv"}).status_code == 403


def test_staff_without_a_one_time_code_are_sent_to_log_in(client, clerk):
    client.force_login(clerk)

    assert client.get(STAFF)["Location"].startswith("/backoffice/login/")


def test_an_administrator_signs_in_through_the_admin_with_a_code(client):
    administrator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(administrator)
    assert client.get(STAFF)["Location"].startswith("/admin/login/")

    assert verified_client(administrator).get(STAFF).status_code == 200


def test_staff_see_every_figure_with_its_chart_and_table(as_clerk, history):
    response = as_clerk.get(STAFF, FEBRUARY)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<figure") == page.count("<figcaption") == page.count('role="img"') >= 6
    assert "How far the requests for “Certificate of address” got" in page
    assert "Completion rate by region" in page and "Digital take-up by region" in page
    assert "Decided within the legal deadline, by service" in page
    assert "the reference lines are an orientation, not a rank" in page
    dashboard = response.context["dashboard"]
    assert (dashboard.total.started, dashboard.total.completed) == (4, 3)
    assert dashboard.funnels[0].steps[0].reached == 4


def test_the_filters_select_the_figures(as_clerk, history):
    api = as_clerk.get(STAFF, {**FEBRUARY, "channel": Channel.API}).context["dashboard"]
    march = as_clerk.get(STAFF, {"start": "2026-03-01", "end": "2026-03-31"}).context["dashboard"]
    cohort = as_clerk.get(STAFF, {**FEBRUARY, "basis": "cohort"}).context["dashboard"]

    assert (api.total.started, api.total.completed) == (1, 1)
    assert march.total.started == 0
    assert cohort.filters.cohort and cohort.total.in_progress == 1


def test_a_breakdown_within_a_service_widens_the_period_to_whole_months(as_clerk, history):
    response = as_clerk.get(STAFF, {"start": "2026-02-02", "end": "2026-02-20", "service": "certificate"})

    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert dashboard.widened and (dashboard.filters.start.day, dashboard.filters.end.day) == (1, 28)
    assert "the figures are of the whole months" in response.content.decode()
    assert sum(row.kpis.started for row in dashboard.groups["region"]) == dashboard.total.started == 4
    unwidened = as_clerk.get(STAFF, {"start": "2026-02-02", "end": "2026-02-20"}).context["dashboard"]
    assert not unwidened.widened


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-02-10", "end": "2026-02-01"}, "end", "must not be before its start"),
        ({"start": "yesterday"}, "start", "Enter a valid date"),
        ({"region": "atlantis"}, "region", "Select a valid choice"),
    ],
)
def test_a_bad_filter_is_explained_next_to_its_field(as_clerk, query, field, message):
    response = as_clerk.get(STAFF, query)

    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}-error"' in page and message in page
    assert f'href="#id_{field}"' in page  # the error summary links to the field
    assert response.context.get("dashboard") is None


def test_a_bad_filter_in_an_export_answers_400_with_the_errors(as_clerk):
    response = as_clerk.get(STAFF, {"start": "nonsense", "format": "json"})

    assert response.status_code == 400 and list(response.json()) == ["start"]
    assert as_clerk.get(STAFF, {"format": "xml"}).status_code == 400


def test_the_csv_export_has_a_row_per_group_value(as_clerk, history):
    response = as_clerk.get(STAFF, {**FEBRUARY, "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="dashboard.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    total = rows[0]
    assert (total["dimension"], total["started"], total["completed"], total["issued"]) == ("all", "4", "3", "2")
    service = next(row for row in rows if row["dimension"] == "service")
    assert (service["value"], service["label"], service["rejected"]) == ("certificate", "Certificate of address", "1")
    assert {row["value"] for row in rows if row["dimension"] == "channel"} == {"web", "api"}


def test_the_json_export_has_the_figures_funnels_series_and_score(as_clerk, history):
    data = as_clerk.get(STAFF, {**FEBRUARY, "service": "certificate", "format": "json"}).json()

    assert data["filters"] == {
        **FEBRUARY,
        "service": "certificate",
        "region": None,
        "age_band": None,
        "channel": None,
        "cohort": False,
    }
    assert data["figures"][0]["completion_rate"] == 0.75
    (item,) = data["funnels"]
    assert item["service"] == "certificate" and item["steps"][0] == {"key": "started", "label": "Started", "reached": 4}
    assert data["completion_over_time"] == [{"week_from": "2026-02-02", "started": 4, "completed": 3, "rate": 0.75}]
    assert [p["key"] for p in data["score"]["pillars"]] == ["completion", "timeliness", "satisfaction", "supply"]
    assert data["score"]["reference_lines"] and "proxy" in data["score"]["note"]


def test_the_number_of_queries_does_not_grow_with_the_requests(as_clerk, service, history, django_assert_num_queries):
    with CaptureQueriesContext(connection) as few:
        assert as_clerk.get(STAFF, FEBRUARY).status_code == 200
    for _ in range(5):  # later than the history, so the incremental ingest takes them
        issued_automatically(service, UserFactory(), MONDAY + timedelta(days=7))
    metrics_catch_up()

    with django_assert_num_queries(len(few.captured_queries)):
        response = as_clerk.get(STAFF, FEBRUARY)
    assert response.context["dashboard"].total.started == 9


def test_the_public_page_is_open_and_shows_each_service(client, settings, history):
    settings.METRICS_PUBLIC_MIN_COUNT = 1
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(PUBLIC, FEBRUARY)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Service performance" in page and "Certificate of address" in page
    assert "75%" in page
    ((row),) = response.context["rows"]
    assert (row.value, row.kpis.started) == ("certificate", 4)


def test_the_public_export_has_only_service_rows(client, history):
    rows = list(csv.DictReader(io.StringIO(client.get(PUBLIC, {"format": "csv"}).content.decode())))

    assert [row["dimension"] for row in rows] == ["all", "service"]
    assert client.get(PUBLIC, {"format": "json"}).json()["figures"][1]["value"] == "certificate"


def test_the_public_page_explains_a_bad_period(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(PUBLIC, {"start": "2026-03-01", "end": "2026-02-01"})

    assert response.status_code == 400
    assert "must not be before its start" in response.content.decode()


def test_the_public_page_limits_each_address(client, settings, db):
    settings.DASHBOARD_PUBLIC_RATE_LIMIT = "2/m"
    ServiceFactory()

    assert [client.get(PUBLIC).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_pages_are_translated(as_clerk, history, language, clerk):
    browser = verified_client(clerk, language=language)

    page = browser.get(STAFF, FEBRUARY).content.decode()

    assert "Completion rate by region" not in page and "How far the requests" not in page


@pytest.fixture
def small_and_large(settings, service):
    """`service` started as often as the public threshold, two other services started once each (two
    withheld groups, so the total reveals neither and `service` needs no secondary suppression)."""
    settings.METRICS_PUBLIC_MIN_COUNT = 3
    for _ in range(settings.METRICS_PUBLIC_MIN_COUNT):
        issued_automatically(service, UserFactory(), MONDAY)
    for code, name in (("rare", "Rare permit"), ("scarce", "Scarce licence")):
        issued_automatically(ServiceFactory(code=code, name_en=name), UserFactory(), MONDAY)
    metrics_catch_up()
    return settings.METRICS_PUBLIC_MIN_COUNT


def test_the_public_page_withholds_a_small_service_and_says_why(client, settings, small_and_large):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(PUBLIC, FEBRUARY)

    page = response.content.decode()
    rows = {row.value: row for row in response.context["rows"]}
    large, small = rows["certificate"], rows["rare"]
    assert (large.withheld, large.kpis.started, large.kpis.completion_rate) == (False, small_and_large, 1.0)
    assert small.withheld and small.kpis.started is None and small.kpis.completion_rate is None
    assert not response.context["total"].withheld
    assert response.context["total"].kpis.started == small_and_large + 2
    assert f"Fewer than {small_and_large} requests</td>" in page
    assert f"To protect privacy, figures for fewer than {small_and_large} requests are not shown" in page


def test_the_public_exports_withhold_a_small_service(client, small_and_large):
    rows = {
        row["value"]: row for row in csv.DictReader(io.StringIO(client.get(PUBLIC, {"format": "csv"}).content.decode()))
    }
    figures = {row["value"]: row for row in client.get(PUBLIC, {"format": "json"}).json()["figures"]}

    assert (rows["certificate"]["started"], rows["certificate"]["withheld"]) == (str(small_and_large), "False")
    assert (rows["rare"]["started"], rows["rare"]["completion_rate"], rows["rare"]["withheld"]) == ("", "", "True")
    assert rows["rare"]["fewer_than"] == str(small_and_large)
    assert figures["rare"]["started"] is None and figures["rare"]["withheld"] is True
    assert figures[""]["withheld"] is False and figures[""]["started"] == small_and_large + 2


def test_staff_see_the_small_service_in_full(as_clerk, small_and_large):
    response = as_clerk.get(STAFF, FEBRUARY)

    services = {row.value: row.kpis.started for row in response.context["dashboard"].groups["service"]}
    assert services == {"certificate": small_and_large, "rare": 1, "scarce": 1}
    rows = {
        row["value"]: row
        for row in csv.DictReader(io.StringIO(as_clerk.get(STAFF, {**FEBRUARY, "format": "csv"}).content.decode()))
    }
    assert rows["rare"]["started"] == "1" and "withheld" not in rows["rare"]


def test_the_public_total_under_the_threshold_is_withheld(client, settings, history):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(PUBLIC, FEBRUARY)

    assert response.context["total"].withheld
    assert f"Fewer than {settings.METRICS_PUBLIC_MIN_COUNT} requests were started" in response.content.decode()


@pytest.mark.parametrize(("language", "fewer_than"), [("kk", "{} өтініштен аз"), ("ru", "Менее {} заявок")])
def test_the_withheld_figures_are_explained_in_each_language(client, settings, small_and_large, language, fewer_than):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(PUBLIC, FEBRUARY).content.decode()

    assert "To protect privacy" not in page and "Fewer than" not in page
    assert f"{fewer_than.format(small_and_large)}</td>" in page


def test_a_lone_small_service_takes_the_next_smallest_with_it_on_the_public_page(client, settings, service):
    settings.METRICS_PUBLIC_MIN_COUNT = 2
    for code, starts in (("rare", 1), ("common", 3)):
        other = ServiceFactory(code=code)
        for _ in range(starts):
            issued_automatically(other, UserFactory(), MONDAY)
    for _ in range(2):
        issued_automatically(service, UserFactory(), MONDAY)
    metrics_catch_up()

    response = client.get(PUBLIC, FEBRUARY)

    withheld = {row.value: row.withheld for row in response.context["rows"]}
    assert withheld == {"rare": True, service.code: True, "common": False}
    assert response.context["total"].kpis.started == 6


@pytest.fixture
def answers(service, settings):
    """Three requests issued in February, two of them answered; a confidence line of three answers."""
    settings.METRICS_SATISFACTION_CONFIDENT_ANSWERS = 3
    issued_automatically(service, UserFactory(), MONDAY)
    for rating in (5, 2):
        request = issued_automatically(service, UserFactory(), MONDAY)
        with at(MONDAY, hour=15):
            satisfaction_record(request=request, user=request.citizen, rating=rating)
    metrics_catch_up()


def test_staff_see_the_answers_per_level_and_that_few_answers_are_low_confidence(as_clerk, answers, settings):
    page = as_clerk.get(STAFF, FEBRUARY).content.decode()
    assert "2 answers to “How satisfied were you?”" in page
    assert "Low confidence: fewer than 3 answers." in page
    levels = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="numeric">(\d+)</td></tr>', page)
    assert levels[:5] == [
        ("Very satisfied", "1"),
        ("Satisfied", "0"),
        ("Neither satisfied nor dissatisfied", "0"),
        ("Dissatisfied", "1"),
        ("Very dissatisfied", "0"),
    ]

    settings.METRICS_SATISFACTION_CONFIDENT_ANSWERS = 2
    assert "Low confidence" not in as_clerk.get(STAFF, FEBRUARY).content.decode()


def test_the_public_page_withholds_the_answers_per_level_of_too_few_answers(client, answers, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    settings.METRICS_PUBLIC_MIN_COUNT = 2
    assert "2 answers to “How satisfied were you?”" in client.get(PUBLIC, FEBRUARY).content.decode()
    settings.METRICS_PUBLIC_MIN_COUNT = 3
    cache.clear()
    page = client.get(PUBLIC, FEBRUARY).content.decode()
    assert "Not shown: too few answers in this period." in page
