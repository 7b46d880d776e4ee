"""schemathesis against the committed OpenAPI document, in-process over WSGI, as a citizen, as a clerk
and as a bank with a citizen's consent and a webhook subscription.

Every operation, a fixed seed and a bounded number of examples: no 5xx, and every response's status,
content type and body conform to the schema.
"""

import ipaddress
import socket
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from hypothesis import HealthCheck, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from services.accounts.totp import totp_device_ensure
from services.apiclients.tokens import token_create
from services.consents.models import Purpose
from services.consents.service import consent_give
from services.webhooks.service import subscription_create
from tests.factories import ServiceRequestFactory, StaffFactory, ThirdPartyClientFactory

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

schema = schemathesis.openapi.from_path(str(Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml"))
schema.app = get_wsgi_application()

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
BOUNDED = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
CSRF = "a" * 32
PUBLIC_ADDRESS = "93.184.216.34"  # what every webhook host name resolves to here; nothing is sent


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request; the test's transaction needs it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled(settings):
    settings.API_THROTTLE_RATES = dict.fromkeys(settings.API_THROTTLE_RATES, "1000000/min")


@pytest.fixture
def citizen_headers(citizen, service, unthrottled):
    ServiceRequestFactory(citizen=citizen, service=service, in_review=True)
    _token, secret = token_create(user=citizen, name="fuzz")
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}


@pytest.fixture
def clerk_session(service, unthrottled):
    """A clerk signed in with a session verified by a one-time code, sending the CSRF token as the pages do."""
    clerk = StaffFactory(agency=service.agency)
    browser = Client()
    browser.force_login(clerk)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = totp_device_ensure(user=clerk).persistent_id
    session.save()
    ServiceRequestFactory(service=service, in_review=True)
    cookies = {"sessionid": browser.cookies["sessionid"].value, "csrftoken": CSRF}
    return {"X-CSRFToken": CSRF, "Accept-Language": "ru"}, cookies


@pytest.fixture
def resolving_every_host(monkeypatch):
    """Webhook URLs name hosts on the internet: the resolver at the edge answers with one public address."""
    resolve = socket.getaddrinfo

    def public(host, port, *args, **kwargs):
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (PUBLIC_ADDRESS, port))]
        return resolve(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", public)


@pytest.fixture
def bank_headers(citizen, service, unthrottled, resolving_every_host):
    """A bank that a citizen with a request in review consented to, subscribed to its state changes."""
    bank = ThirdPartyClientFactory()
    ServiceRequestFactory(citizen=citizen, service=service, in_review=True)
    consent_give(citizen=citizen, client=bank, purpose=Purpose.READ_REQUESTS)
    subscription_create(client=bank, url="https://hooks.bank.example/portal", states=[])
    _token, secret = token_create(user=bank.user, name="fuzz")
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "kk"}


@schema.parametrize()
@BOUNDED
@seed(20261201)
def test_fuzz_as_a_citizen(case, citizen_headers):
    case.call_and_validate(headers=citizen_headers, checks=CHECKS)


@schema.parametrize()
@BOUNDED
@seed(20261202)
def test_fuzz_as_a_clerk(case, clerk_session):
    headers, cookies = clerk_session
    case.call_and_validate(headers=headers, cookies=cookies, checks=CHECKS)


@schema.parametrize()
@BOUNDED
@seed(20261203)
def test_fuzz_as_a_bank(case, bank_headers):
    case.call_and_validate(headers=bank_headers, checks=CHECKS)
