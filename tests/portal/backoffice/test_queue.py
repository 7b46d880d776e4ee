"""The queue: the agency's open requests, filters with counts, deadline order, pages of constant cost."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ServiceFactory, ServiceRequestFactory
from tests.otp import verified_client

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")
MONDAY = datetime(2026, 2, 2, 10, 0, tzinfo=ALMATY)  # no public holiday near it


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def requests_by_status(service, clerk, monday):
    make = lambda **kwargs: ServiceRequestFactory(service=service, in_review=True, **kwargs)  # noqa: E731
    return {
        "overdue": make(deadline=date(2026, 1, 30)),
        "due_soon": make(deadline=date(2026, 2, 4)),
        "on_track": make(deadline=date(2026, 2, 20), assignee=clerk),
        # Paused the day before its deadline: the clock stopped, so it is not overdue.
        "paused": make(
            state="info_requested", deadline=date(2026, 1, 30), clock_paused_at=datetime(2026, 1, 29, 12, tzinfo=ALMATY)
        ),
        "escalated": make(deadline=date(2026, 2, 25), escalated=True),
    }


def _references(response) -> list[str]:
    return [item.reference for item, _status, _days in response.context["rows"]]


def test_the_queue_lists_the_agencys_open_requests_by_deadline(as_clerk, requests_by_status):
    ServiceRequestFactory(in_review=True)  # another agency's
    ServiceRequestFactory(service=requests_by_status["overdue"].service, state="draft")
    response = as_clerk.get("/backoffice/")
    assert response.status_code == 200
    expected = ["overdue", "paused", "due_soon", "on_track", "escalated"]  # paused keeps its 30 January deadline
    assert _references(response) == [requests_by_status[name].reference for name in expected]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("deadline=overdue", ["overdue"]),
        ("deadline=due_soon", ["due_soon"]),
        ("deadline=on_track", ["paused", "on_track", "escalated"]),
        ("escalated=on", ["escalated"]),
        ("assignment=mine", ["on_track"]),
        ("state=info_requested", ["paused"]),
    ],
)
def test_each_filter_shows_its_requests(as_clerk, requests_by_status, query, expected):
    response = as_clerk.get(f"/backoffice/?{query}")
    assert _references(response) == [requests_by_status[name].reference for name in expected]


def test_every_filter_option_shows_its_count(as_clerk, requests_by_status):
    page = as_clerk.get("/backoffice/").content.decode()
    for label in ("Overdue (1)", "Due within 2 working days (1)", "On track (3)", "Escalated only (1)"):
        assert label in page
    assert "Assigned to me (1)" in page and "Unassigned (4)" in page and "Information requested (1)" in page


def test_the_query_count_does_not_grow_with_the_page_size(as_clerk, service, clerk, settings, monday):
    def queries_for(page_size: int) -> int:
        settings.BACKOFFICE_PAGE_SIZE = page_size
        with CaptureQueriesContext(connection) as captured:
            response = as_clerk.get("/backoffice/")
        assert len(response.context["rows"]) == page_size
        return len(captured)

    for _ in range(12):
        ServiceRequestFactory(service=service, in_review=True, assignee=clerk)
    assert queries_for(3) == queries_for(12)


def test_pages_keep_the_filters(as_clerk, service, settings, monday):
    settings.BACKOFFICE_PAGE_SIZE = 2
    for _ in range(3):
        ServiceRequestFactory(service=service, in_review=True, deadline=date(2026, 1, 20))
    ServiceRequestFactory(service=service, in_review=True, deadline=date(2026, 3, 20))
    first = as_clerk.get("/backoffice/?deadline=overdue")
    assert "deadline=overdue&amp;page=2" in first.content.decode()
    assert len(_references(as_clerk.get("/backoffice/?deadline=overdue&page=2"))) == 1


def test_an_unknown_filter_value_shows_everything_with_the_error(as_clerk, requests_by_status):
    response = as_clerk.get("/backoffice/?deadline=someday")
    assert response.status_code == 200
    assert len(_references(response)) == 5
    assert response.context["form"].errors


def test_a_bad_filter_keeps_the_good_ones_and_says_so_by_its_field(as_clerk, requests_by_status):
    response = as_clerk.get("/backoffice/?deadline=overdue&service=abc&assignment=someone")
    assert _references(response) == [requests_by_status["overdue"].reference]
    errors = response.context["form"].errors
    assert set(errors) == {"service", "assignment"}
    page = response.content.decode()
    assert 'id="id_service-error"' in page and 'id="id_assignment-error"' in page
    assert 'id="id_deadline-error"' not in page
    assert "Clear filters" in page


def test_the_queue_table_scrolls_inside_its_own_region(as_clerk, requests_by_status):
    page = as_clerk.get("/backoffice/").content.decode()
    assert '<div class="table-scroll" role="region" aria-labelledby="results" tabindex="0">\n      <table' in page


def test_a_service_of_another_agency_is_no_filter_option(as_clerk, requests_by_status):
    other = ServiceFactory()
    response = as_clerk.get(f"/backoffice/?service={other.pk}")
    assert response.context["form"].errors and len(_references(response)) == 5


@pytest.mark.parametrize(("language", "heading"), [("kk", "Кезек"), ("ru", "Очередь"), ("en", "Queue")])
def test_the_back_office_speaks_the_three_languages(clerk, in_review, language, heading):
    client = verified_client(clerk, language=language)
    assert f"<h1>{heading}</h1>" in client.get("/backoffice/").content.decode()
    page = client.get(f"/backoffice/requests/{in_review.reference}/").content.decode()
    assert f'<html lang="{language}">' in page
