"""Failed bearer tokens count against the anonymous rate of the client's address (DRF authenticates first)."""

import pytest
from rest_framework.test import APIClient

from tests.portal.api.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "3/min"}


def _guessing(address="203.0.113.7", **headers):
    client = APIClient(REMOTE_ADDR=address, **headers)
    client.credentials(HTTP_AUTHORIZATION="Bearer egov_wrong")
    return client


def test_wrong_tokens_are_throttled_per_address_with_retry_after(three_a_minute, citizen):
    guesser = _guessing()
    assert [guesser.get("/api/v1/requests/").status_code for _ in range(3)] == [401, 401, 401]
    refused = guesser.get("/api/v1/requests/")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 0 < int(refused["Retry-After"]) <= 60
    malformed = APIClient(REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer two parts")
    assert malformed.get("/api/v1/requests/").status_code == 429
    # The same counter as the address's anonymous calls; other addresses and real tokens are not held up.
    assert APIClient(REMOTE_ADDR="203.0.113.7").get("/api/v1/services/").status_code == 429
    assert _guessing("198.51.100.2").get("/api/v1/requests/").status_code == 401
    assert bearer(citizen).get("/api/v1/requests/", REMOTE_ADDR="203.0.113.7").status_code == 200


def test_a_forwarded_for_header_the_client_chose_does_not_reset_the_count(three_a_minute, settings):
    settings.PROXY_COUNT = 1
    statuses = [
        _guessing("10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7").get("/api/v1/requests/").status_code
        for n in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
