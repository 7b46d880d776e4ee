"""Behind the proxy, rate limits, the login lockout and /metrics see the client's address, never the proxy's."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from portal.client_address import client_address
from tests.factories import ServiceFactory, UserFactory
from tests.portal.accounts.test_login import log_in

PROXY = "10.1.0.5"


def _request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR=meta.pop("remote", PROXY), **meta)


def test_without_a_proxy_a_forwarded_header_is_not_believed(settings):
    settings.PROXY_COUNT = 0
    assert client_address(_request(remote="203.0.113.9", HTTP_X_FORWARDED_FOR="10.1.4.2")) == "203.0.113.9"


def test_behind_one_proxy_the_client_is_the_last_hop_and_what_it_sent_itself_is_ignored(settings):
    settings.PROXY_COUNT = 1
    assert client_address(_request(HTTP_X_FORWARDED_FOR="203.0.113.9")) == "203.0.113.9"
    assert client_address(_request(HTTP_X_FORWARDED_FOR="10.1.4.2, 203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies_the_client_is_two_hops_from_the_end(settings):
    settings.PROXY_COUNT = 2
    assert client_address(_request(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 10.1.0.7")) == "203.0.113.9"


def test_a_direct_call_behind_the_proxy_counts_its_own_address(settings):
    settings.PROXY_COUNT = 1
    assert client_address(_request(remote="10.1.4.2")) == "10.1.4.2"


@pytest.fixture
def behind_proxy(settings):
    settings.PROXY_COUNT = 1
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.1.0.0/16"]  # the internal network, the proxy's included
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_a_public_request_relayed_by_an_allowed_proxy_does_not_reach_the_metrics(client, behind_proxy):
    relayed = client.get("/metrics", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    spoofed = client.get("/metrics", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.1.4.2, 203.0.113.9")
    scraper = client.get("/metrics", REMOTE_ADDR="10.1.4.2")

    assert (relayed.status_code, spoofed.status_code, scraper.status_code) == (404, 404, 200)


@pytest.mark.django_db
def test_two_citizens_behind_the_same_proxy_have_their_own_rate_limit(client, settings, behind_proxy):
    settings.DASHBOARD_PUBLIC_RATE_LIMIT = "1/m"
    ServiceFactory()

    first = [client.get("/dashboard/public/", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code for _ in range(2)]
    second = client.get("/dashboard/public/", HTTP_X_FORWARDED_FOR="198.51.100.4").status_code

    assert first == [200, 429] and second == 200


@pytest.mark.django_db
def test_the_login_lockout_counts_the_client_not_the_proxy(client, behind_proxy):
    user = UserFactory()
    for _ in range(5):
        log_in(client, user.iin, "wrong password", HTTP_X_FORWARDED_FOR="203.0.113.9")

    locked = log_in(client, user.iin, HTTP_X_FORWARDED_FOR="203.0.113.9")
    other_citizen_same_proxy = log_in(client, user.iin, HTTP_X_FORWARDED_FOR="198.51.100.4")

    assert locked.status_code == 429
    assert other_citizen_same_proxy.status_code == 302
