"""/metrics: only for the token or an allowed address, and the figures of a small history."""

from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from services.workflow.models import ServiceRequest, SideEffect
from services.workflow.states import State
from tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db

TOKEN = "scrape-secret-for-tests"


@pytest.fixture(autouse=True)
def scrape_settings(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    settings.METRICS_SCRAPE_WINDOW = timedelta(days=3650)


def scrape(client, **headers):
    return client.get("/metrics", headers=headers)


def samples(response):
    """{(name, sorted labels): value} of every sample."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"}]
)
def test_without_the_token_metrics_do_not_exist(client, headers):
    assert scrape(client, **headers).status_code == 404


def test_no_token_configured_lets_no_bearer_in(client, settings):
    settings.METRICS_TOKEN = ""

    assert scrape(client, Authorization="Bearer ").status_code == 404


def test_the_token_or_an_allowed_address_lets_the_scraper_in(client):
    assert scrape(client, Authorization=f"Bearer {TOKEN}").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.168.1.1").status_code == 404


def test_the_figures_of_a_small_history(client, service, clerk, history):
    ServiceRequestFactory(service=service, submitted=True, state=State.IN_REVIEW)
    effects = list(SideEffect.objects.order_by("pk"))
    now = timezone.now()
    SideEffect.objects.filter(pk=effects[0].pk).update(
        status=SideEffect.Status.PENDING, created_at=now - timedelta(minutes=5)
    )
    SideEffect.objects.filter(pk=effects[1].pk).update(
        status=SideEffect.Status.FAILED, attempts=5, dispatched_at=now - timedelta(seconds=30), finished_at=now
    )
    SideEffect.objects.filter(pk__in=[e.pk for e in effects[2:]]).update(
        status=SideEffect.Status.DONE, attempts=1, dispatched_at=now - timedelta(seconds=2), finished_at=now
    )
    failed_kind, pending_kind = effects[1].kind, effects[0].kind

    values = samples(scrape(client, Authorization=f"Bearer {TOKEN}"))

    by_state = ServiceRequest.objects.filter(service=service, state=State.ISSUED).count()
    assert values[("portal_requests", (("service", "certificate"), ("state", "issued")))] == by_state == 2
    assert values[("portal_queue_depth", (("agency", service.agency.code), ("state", "in_review")))] == 1
    assert values[("portal_request_events_recent", (("action", "started"),))] == 4
    assert values[("portal_request_events_recent", (("action", "reject"),))] == 1
    assert values[("portal_outbox_pending", (("kind", pending_kind),))] == 1
    assert 299 <= values[("portal_outbox_oldest_pending_seconds", ())] < 360
    assert values[("portal_side_effects_failed", (("kind", failed_kind),))] == 1
    failed = (("kind", failed_kind), ("status", "failed"))
    assert values[("portal_side_effect_duration_seconds_count", failed)] == 1
    assert values[("portal_side_effect_duration_seconds_sum", failed)] == pytest.approx(30)
    assert values[("portal_side_effect_attempts_recent", failed)] == 5
    done = sum(
        v
        for (name, labels), v in values.items()
        if name == "portal_side_effect_duration_seconds_count" and ("status", "done") in labels
    )
    assert done == len(effects) - 2
