"""The dashboard's figures by API: public service performance; the full breakdown for staff only."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from services.metrics.service import metrics_catch_up, metrics_rebuild
from services.workflow.states import Action
from tests.factories import ServiceFactory, StaffFactory, UserFactory
from tests.portal.api.conftest import session, staff_session
from tests.services.metrics.histories import decided_by_officer, issued_automatically

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 2, 2)
FEBRUARY = {"start": "2026-02-01", "end": "2026-02-28"}


@pytest.fixture
def history(service):
    clerk = StaffFactory(agency=service.agency)
    issued_automatically(service, UserFactory(), MONDAY)
    decided_by_officer(service, UserFactory(), clerk, Action.REJECT, MONDAY, MONDAY)
    metrics_catch_up()
    return clerk


def total(body):
    return next(row for row in body["figures"] if row["dimension"] == "all")


def test_anyone_reads_the_service_performance(history, service, settings):
    settings.METRICS_PUBLIC_MIN_COUNT = 1
    body = APIClient().get("/api/v1/performance/", FEBRUARY).json()

    assert {row["dimension"] for row in body["figures"]} == {"all", "service"}
    assert (total(body)["started"], total(body)["completed"]) == (2, 2)
    assert any(row["value"] == service.code for row in body["figures"])


def test_staff_read_the_full_breakdown(history):
    body = staff_session(history).get("/api/v1/dashboard/", {**FEBRUARY, "basis": "cohort"}).json()

    assert {row["dimension"] for row in body["figures"]} == {"all", "service", "region", "age_band", "channel"}
    assert total(body)["rejected"] == 1
    assert {"funnels", "completion_over_time", "score"} <= body.keys()


def test_a_citizen_may_not_read_the_breakdown():
    response = session(UserFactory()).get("/api/v1/dashboard/")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_invalid_filters_are_a_problem(history):
    response = APIClient().get("/api/v1/performance/", {"start": "2026-03-01", "end": "2026-02-01"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "end" in response.content.decode()


def test_the_service_performance_withholds_a_small_service(history, service, settings):
    settings.METRICS_PUBLIC_MIN_COUNT = 2
    for code in ("rare", "scarce"):  # two small ones: neither can be had from the total and the rest
        issued_automatically(ServiceFactory(code=code), UserFactory(), MONDAY)
    metrics_rebuild()

    rows = {row["value"]: row for row in APIClient().get("/api/v1/performance/", FEBRUARY).json()["figures"]}

    assert (rows[service.code]["started"], rows[service.code]["withheld"]) == (2, False)
    assert rows["rare"] | {"started": None, "completion_rate": None, "withheld": True, "fewer_than": 2} == rows["rare"]
    assert (rows[""]["started"], rows[""]["withheld"]) == (4, False)
    staff = staff_session(history).get("/api/v1/dashboard/", FEBRUARY).json()["figures"]
    assert next(row for row in staff if row["value"] == "rare")["started"] == 1
