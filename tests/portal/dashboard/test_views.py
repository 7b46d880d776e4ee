"""The dashboard pages: who may see them, what they show, the exports, and a fixed number of queries."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from services.metrics.service import metrics_catch_up
from services.workflow.states import Action
from tests.factories import ServiceFactory, StaffFactory, UserFactory
from tests.otp import verified_client
from tests.services.metrics.histories import decided_by_officer, issued_automatically, start

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 2, 2)
FEBRUARY = {"start": "2026-02-01", "end": "2026-02-28"}


@pytest.fixture
def service():
    return ServiceFactory(code="certificate", legal_deadline_days=5, name_en="Birth certificate")


@pytest.fixture
def clerk(service):
    return StaffFactory(agency=service.agency)


def history(service, clerk, requests: int) -> None:
    """`requests` requests in February: one started and left, the others issued automatically or by an officer."""
    start(service, UserFactory(), MONDAY)
    for i in range(requests - 1):
        if i % 2:
            issued_automatically(service, UserFactory(), MONDAY + timedelta(days=i % 5))
        else:
            decided_by_officer(service, UserFactory(), clerk, Action.APPROVE, MONDAY, MONDAY + timedelta(days=1))
    metrics_catch_up()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/login/")


def test_a_citizen_is_refused(client):
    client.force_login(UserFactory())

    assert client.get("/dashboard/").status_code == 403


def test_staff_without_a_verified_code_log_in_again(clerk):
    client = Client()
    client.force_login(clerk)

    assert client.get("/dashboard/").status_code == 302


def test_an_administrator_with_a_code_sees_the_dashboard():
    admin = UserFactory(is_staff=True, is_superuser=True)

    assert verified_client(admin).get("/dashboard/").status_code == 200


def test_staff_see_the_charts_with_their_numbers(service, clerk):
    history(service, clerk, 3)

    response = verified_client(clerk).get("/dashboard/", FEBRUARY)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<svg class="chart" role="img"') >= 6
    assert "How far the requests for “Birth certificate” got" in page
    assert "Completion rate by region" in page
    assert "Benchmark score and its pillars, against the reference lines" in page
    assert "<figcaption" in page and "<table" in page


def test_the_filters_are_checked(clerk):
    response = verified_client(clerk).get("/dashboard/", {"start": "2026-03-01", "end": "2026-02-01"})

    assert response.status_code == 400
    assert "The end of the period must not be before its start." in response.content.decode()


def test_the_csv_export_has_the_total_and_a_row_per_service(service, clerk):
    history(service, clerk, 3)

    response = verified_client(clerk).get("/dashboard/", {**FEBRUARY, "format": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    total = next(row for row in rows if row["dimension"] == "all")
    by_service = next(row for row in rows if row["dimension"] == "service" and row["value"] == "certificate")
    assert total["started"] == by_service["started"] == "3"
    assert total["completed"] == "2"


def test_the_json_export_has_the_same_figures_and_the_filters(service, clerk):
    history(service, clerk, 3)

    data = verified_client(clerk).get("/dashboard/", {**FEBRUARY, "format": "json", "basis": "cohort"}).json()

    assert data["filters"]["start"] == "2026-02-01"
    assert data["filters"]["cohort"] is True
    total = next(row for row in data["figures"] if row["dimension"] == "all")
    assert (total["started"], total["completed"]) == (3, 2)


def test_an_unknown_format_is_refused(clerk):
    assert verified_client(clerk).get("/dashboard/", {"format": "xml"}).status_code == 400


def test_the_public_page_needs_no_login_and_names_no_officer(client, settings, service, clerk):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    clerk.last_name = "Officerova"
    clerk.save()
    history(service, clerk, 3)

    response = client.get("/dashboard/public/", FEBRUARY)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Birth certificate" in page
    assert "Officerova" not in page


def test_the_public_export_has_only_the_total_and_the_services(client, service, clerk):
    history(service, clerk, 3)

    data = client.get("/dashboard/public/", {**FEBRUARY, "format": "json"}).json()

    assert {row["dimension"] for row in data["figures"]} == {"all", "service"}


def test_the_public_page_is_rate_limited(client, settings):
    settings.DASHBOARD_PUBLIC_RATE_LIMIT = "2/m"

    statuses = [client.get("/dashboard/public/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/public/"])
def test_the_queries_do_not_grow_with_the_requests(path, service, clerk, django_assert_num_queries):
    viewer = verified_client(clerk)
    history(service, clerk, 1)
    with CaptureQueriesContext(connection) as few:
        viewer.get(path, FEBRUARY)
    history(service, clerk, 8)

    with django_assert_num_queries(len(few.captured_queries)):
        assert viewer.get(path, FEBRUARY).status_code == 200
