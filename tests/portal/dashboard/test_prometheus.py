"""/metrics: answers only a scraper with the token or from an allowed address; the values on a small history."""

from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from services.workflow.models import RequestEvent, SideEffect
from services.workflow.states import Action, State
from tests.factories import ServiceFactory, ServiceRequestFactory, UserFactory
from tests.services.metrics.histories import issued_automatically

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-scrape-token"


@pytest.fixture(autouse=True)
def scrape_settings(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = ["10.1.0.0/16"]
    settings.METRICS_SCRAPE_WINDOW = timedelta(days=2)


def scrape(client, **headers):
    return client.get("/metrics", **headers)


def samples(response) -> dict[tuple[str, tuple], float]:
    text = response.content.decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_AUTHORIZATION": "Bearer wrong"}, {"HTTP_AUTHORIZATION": TOKEN}, {"REMOTE_ADDR": "10.2.0.1"}],
    ids=["nothing", "wrong token", "no bearer", "other address"],
)
def test_without_the_token_or_an_allowed_address_there_is_no_such_page(client, headers):
    assert scrape(client, **headers).status_code == 404


def test_with_no_token_configured_an_empty_bearer_is_refused(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []

    assert scrape(client, HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_the_token_or_an_allowed_address_gets_the_text_format(client):
    by_token = scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    by_address = scrape(client, REMOTE_ADDR="10.1.4.2")

    assert by_token.status_code == by_address.status_code == 200
    assert by_token["Content-Type"].startswith("text/plain; version=")
    assert "no-cache" in by_token["Cache-Control"]


def test_metric_values_on_a_small_history(client):
    service = ServiceFactory(code="certificate")
    ServiceRequestFactory.create_batch(2, service=service, in_review=True)
    ServiceRequestFactory(service=service, info_requested=True)
    issued = issued_automatically(service, UserFactory(), timezone.localdate())
    event = RequestEvent.objects.filter(request=issued).first()
    now = timezone.now()
    SideEffect.objects.create(
        request=issued,
        event=event,
        kind="probe-a",
        status=SideEffect.Status.DONE,
        attempts=1,
        dispatched_at=now - timedelta(seconds=10),
        finished_at=now - timedelta(seconds=7),
    )
    SideEffect.objects.create(
        request=issued,
        event=event,
        kind="probe-b",
        status=SideEffect.Status.FAILED,
        attempts=5,
        dispatched_at=now - timedelta(seconds=60),
        finished_at=now - timedelta(seconds=30),
    )
    SideEffect.objects.create(request=issued, event=event, kind="probe-c")
    agency = service.agency.code

    values = samples(scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}"))

    def value(name, **labels):
        return values.get((name, tuple(sorted(labels.items()))))

    assert value("portal_requests", service="certificate", state=State.IN_REVIEW) == 2
    assert value("portal_requests", service="certificate", state=State.ISSUED) == 1
    assert value("portal_queue_depth", agency=agency, state=State.IN_REVIEW) == 2
    assert value("portal_queue_depth", agency=agency, state=State.INFO_REQUESTED) == 1
    assert value("portal_request_events_recent", action=Action.ISSUE) == 1
    assert value("portal_request_events_recent", action=Action.APPROVE) == 1
    assert value("portal_outbox_pending", kind="probe-c") == 1
    assert value("portal_outbox_oldest_pending_seconds") >= 0
    assert value("portal_side_effects_failed", kind="probe-b") == 1
    assert value("portal_side_effect_duration_seconds_count", kind="probe-a", status="done") == 1
    assert value("portal_side_effect_duration_seconds_sum", kind="probe-a", status="done") == pytest.approx(3)
    assert value("portal_side_effect_duration_seconds_sum", kind="probe-b", status="failed") == pytest.approx(30)
    assert value("portal_side_effect_attempts_recent", kind="probe-b", status="failed") == 5


def test_the_scrape_costs_the_same_few_queries_however_many_requests(client, django_assert_max_num_queries):
    service = ServiceFactory()
    ServiceRequestFactory.create_batch(5, service=service, in_review=True)

    with django_assert_max_num_queries(7):
        scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
