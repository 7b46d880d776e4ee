"""Webhooks through a real worker: a state change committed here is delivered by a Celery worker
process on a private Redis to a receiver that verifies the signature; its first answer is a 500,
so the delivery is retried (same webhook-id) and then delivered."""

import pytest
from django.db import transaction

from services.consents.models import Purpose
from services.consents.service import consent_give
from services.webhooks.models import Delivery, DeliveryAttempt
from services.webhooks.service import subscription_create
from services.workflow.states import Action, Channel
from services.workflow.transitions import transition
from tests.factories import ServiceRequestFactory, ThirdPartyClientFactory
from tests.reliability.processes import wait_until
from tests.services.webhooks.receiver import receiving

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def webhook_worker(worker_env, start_worker, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    worker_env.update({"WEBHOOK_ALLOWED_HOSTS": "127.0.0.1", "WEBHOOK_RETRY_BASE_SECONDS": "1"})
    return start_worker()


def test_a_real_worker_retries_a_500_and_delivers_a_verified_webhook(webhook_worker):
    bank = ThirdPartyClientFactory()
    request = ServiceRequestFactory(submitted=True)
    consent_give(citizen=request.citizen, client=bank, purpose=Purpose.READ_REQUESTS)
    with receiving(statuses=[500]) as receiver:
        subscription, receiver.secret = subscription_create(client=bank, url=receiver.url, states=[])
        with transaction.atomic():
            transition(request=request, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
        delivery = Delivery.objects.get(subscription=subscription)
        wait_until(
            lambda: Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.DELIVERED).exists(),
            timeout=60,
            what="the worker to deliver the webhook",
            interval=0.2,
        )
    assert [(r.verified, r.headers["webhook-id"]) for r in receiver.received] == [(True, str(delivery.pk))] * 2
    assert receiver.received[0].body == receiver.received[1].body
    assert receiver.received[0].body["data"]["reference"] == request.reference
    attempts = DeliveryAttempt.objects.filter(delivery=delivery).order_by("number")
    assert list(attempts.values_list("number", "status_code")) == [(1, 500), (2, 200)]
