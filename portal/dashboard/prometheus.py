"""Prometheus at /metrics: a collector that runs a few grouped queries at each scrape.

Not public: the scrape must carry `Authorization: Bearer <METRICS_TOKEN>` or come from an address
in `METRICS_ALLOWED_IPS` (the client's address, not a proxy's: portal/client_address.py); anything
else answers 404, as if there were no such page.
"""

import hmac
import ipaddress
from collections.abc import Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric, SummaryMetricFamily
from prometheus_client.registry import Collector

from portal.client_address import client_address
from services.metrics import operations


class PortalCollector(Collector):
    """The portal's requests, events, queues and outbox, read from the database at scrape time."""

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        since = now - settings.METRICS_SCRAPE_WINDOW
        window = f"{int(settings.METRICS_SCRAPE_WINDOW.total_seconds())}s"

        requests = GaugeMetricFamily("portal_requests", "Requests by service and state.", labels=["service", "state"])
        for (service, state), count in sorted(operations.requests_by_service_and_state().items()):
            requests.add_metric([service, state], count)
        yield requests

        events = GaugeMetricFamily(
            "portal_request_events_recent",
            f"Request events (transitions and draft events) by action over the last {window}.",
            labels=["action"],
        )
        for action, count in sorted(operations.events_by_action(since=since).items()):
            events.add_metric([action], count)
        yield events

        queue = GaugeMetricFamily(
            "portal_queue_depth",
            "Requests in review or waiting for information, per agency.",
            labels=["agency", "state"],
        )
        for (agency, state), count in sorted(operations.queue_depth_by_agency().items()):
            queue.add_metric([agency, state], count)
        yield queue

        pending, oldest = operations.outbox_backlog()
        backlog = GaugeMetricFamily("portal_outbox_pending", "Side effects waiting to run, per kind.", labels=["kind"])
        for kind, count in sorted(pending.items()):
            backlog.add_metric([kind], count)
        yield backlog
        yield GaugeMetricFamily(
            "portal_outbox_oldest_pending_seconds",
            "Age of the oldest pending side effect (0 when none is pending).",
            value=(now - oldest).total_seconds() if oldest else 0,
        )

        failed = GaugeMetricFamily(
            "portal_side_effects_failed", "Side effects that gave up, per kind.", labels=["kind"]
        )
        for kind, count in sorted(operations.side_effects_failed().items()):
            failed.add_metric([kind], count)
        yield failed

        runs = operations.side_effect_runs(since=since)
        durations = SummaryMetricFamily(
            "portal_side_effect_duration_seconds",
            f"Dispatch to finish of the side effects dispatched in the last {window}.",
            labels=["kind", "status"],
        )
        attempts = GaugeMetricFamily(
            "portal_side_effect_attempts_recent",
            f"Attempts made by the side effects dispatched in the last {window}.",
            labels=["kind", "status"],
        )
        for run in sorted(runs, key=lambda run: (run.kind, run.status)):
            durations.add_metric([run.kind, run.status], count_value=run.count, sum_value=run.seconds)
            attempts.add_metric([run.kind, run.status], run.attempts)
        yield durations
        yield attempts


REGISTRY = CollectorRegistry(auto_describe=False)
REGISTRY.register(PortalCollector())


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus text format, for a scraper with the token or from an allowed address."""
    if not (_has_token(request) or _from_allowed_address(request)):
        raise Http404
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)


def _has_token(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def _from_allowed_address(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(allowed, strict=False) for allowed in settings.METRICS_ALLOWED_IPS)
