"""Webhooks by API: a bank subscribes, lists, reads, deletes, and reads the attempts log; nobody else may."""

import pytest

from services.audit.models import AuditAction, AuditEvent
from services.consents.models import Consent, Purpose
from services.consents.service import consent_give, consent_revoke
from services.webhooks.models import Delivery, Subscription
from services.webhooks.sealing import secret_unseal
from services.webhooks.service import delivery_send
from services.workflow.states import Action, Channel, State
from services.workflow.transitions import transition
from tests.factories import ServiceRequestFactory, ThirdPartyClientFactory
from tests.portal.api.conftest import bearer, session
from tests.services.webhooks.receiver import receiving

pytestmark = pytest.mark.django_db
WEBHOOKS = "/api/v1/webhooks/"


@pytest.fixture(autouse=True)
def local_receivers(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]


@pytest.fixture
def bank(db):
    return ThirdPartyClientFactory()


def test_a_bank_subscribes_and_sees_the_secret_once(bank):
    api = bearer(bank.user)
    created = api.post(WEBHOOKS, {"url": "http://127.0.0.1:9/hooks", "states": ["approved", "rejected"]}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    subscription = Subscription.objects.get(pk=body["id"])
    assert body["secret"].startswith("whsec_")
    assert secret_unseal(subscription.secret_sealed) == body["secret"]
    assert body["secret"] not in subscription.secret_sealed
    assert body["states"] == ["approved", "rejected"]
    shown = api.get(f"{WEBHOOKS}{body['id']}/").json()
    assert "secret" not in shown
    assert shown["url"] == "http://127.0.0.1:9/hooks"
    assert [row["id"] for row in api.get(WEBHOOKS).json()["results"]] == [body["id"]]
    assert AuditEvent.objects.filter(user=bank.user, action=AuditAction.WEBHOOK_SUBSCRIBED).count() == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://127.0.0.2/hooks", "private or reserved"),
        ("https://169.254.169.254/latest", "private or reserved"),
        ("https://[::ffff:10.0.0.1]/", "private or reserved"),
        ("http://1.1.1.1/hooks", "https"),
        ("https://user:secret@1.1.1.1/", "user name or password"),
    ],
)
def test_an_unsafe_url_is_a_field_error(bank, url, message):
    response = bearer(bank.user).post(WEBHOOKS, {"url": url}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert message in response.json()["errors"]["url"][0]
    assert not Subscription.objects.exists()


def test_the_refusal_is_in_the_readers_language(bank):
    response = bearer(bank.user).post(WEBHOOKS, {"url": "https://10.0.0.1/"}, format="json", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert "private or reserved" not in response.json()["errors"]["url"][0]


def test_an_unknown_state_is_a_field_error(bank):
    response = bearer(bank.user).post(WEBHOOKS, {"url": "http://127.0.0.1/", "states": ["nope"]}, format="json")
    assert response.status_code == 400
    assert "states.0" in response.json()["errors"]


def test_citizens_get_403_and_another_banks_subscription_is_404(bank, citizen):
    created = bearer(bank.user).post(WEBHOOKS, {"url": "http://127.0.0.1/hooks"}, format="json").json()
    assert session(citizen).get(WEBHOOKS).status_code == 403
    assert bearer(citizen).post(WEBHOOKS, {"url": "http://127.0.0.1/hooks"}, format="json").status_code == 403
    other = bearer(ThirdPartyClientFactory().user)
    assert other.get(WEBHOOKS).json()["results"] == []
    assert other.get(f"{WEBHOOKS}{created['id']}/").status_code == 404
    assert other.delete(f"{WEBHOOKS}{created['id']}/").status_code == 404
    assert other.get(f"{WEBHOOKS}{created['id']}/deliveries/").status_code == 404
    assert Subscription.objects.get().deleted_at is None


def test_deleting_stops_the_subscription_and_is_audited(bank):
    api = bearer(bank.user)
    created = api.post(WEBHOOKS, {"url": "http://127.0.0.1/hooks"}, format="json").json()
    assert api.delete(f"{WEBHOOKS}{created['id']}/").status_code == 204
    assert api.get(f"{WEBHOOKS}{created['id']}/").status_code == 404
    assert api.get(WEBHOOKS).json()["results"] == []
    assert Subscription.objects.get().deleted_at is not None
    assert AuditEvent.objects.filter(user=bank.user, action=AuditAction.WEBHOOK_DELETED).count() == 1


def test_the_attempts_log_shows_each_attempt(bank):
    request = ServiceRequestFactory(submitted=True)
    consent_give(citizen=request.citizen, client=bank, purpose=Purpose.READ_REQUESTS)
    api = bearer(bank.user)
    with receiving(statuses=[500]) as receiver:
        created = api.post(WEBHOOKS, {"url": receiver.url}, format="json").json()
        receiver.secret = created["secret"]
        transition(request=request, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
        delivery = Delivery.objects.get()
        delivery_send(delivery.pk)
    log = api.get(f"{WEBHOOKS}{created['id']}/deliveries/").json()["results"]
    assert [
        (row["delivery"], row["delivery_state"], row["reference"], row["state"], row["number"], row["status_code"])
        for row in log
    ] == [(delivery.pk, "pending", request.reference, State.CHECKING, 1, 500)]
    consent_revoke(consent=Consent.objects.get(citizen=request.citizen))
    assert api.get(f"{WEBHOOKS}{created['id']}/deliveries/").json()["results"] == []  # revoking hides the log too
