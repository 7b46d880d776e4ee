"""Deliveries: recorded with the state change for clients with standing consent, sent signed,
retried with backoff, failed in the end, cancelled when consent is revoked, swept when lost."""

import contextlib
import socket
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from services.audit.models import AuditAction, AuditEvent
from services.consents.models import Purpose
from services.consents.service import consent_give, consent_revoke
from services.webhooks.models import Delivery, DeliveryAttempt, Subscription
from services.webhooks.service import (
    deliveries_redispatch,
    delivery_send,
    retry_delay,
    secrets_reseal,
    subscription_create,
    subscription_delete,
)
from services.workflow.models import RequestEvent
from services.workflow.service import request_file
from services.workflow.states import Action, Channel, State
from services.workflow.transitions import transition
from tests.factories import VALID_ANSWERS, ServiceFactory, ServiceRequestFactory, ThirdPartyClientFactory, UserFactory
from tests.services.webhooks.receiver import receiving

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_receivers(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10


@pytest.fixture
def bank(db):
    return ThirdPartyClientFactory()


@pytest.fixture
def submitted(bank):
    request = ServiceRequestFactory(submitted=True)
    consent_give(citizen=request.citizen, client=bank, purpose=Purpose.READ_REQUESTS)
    return request


def _subscribe(bank, receiver, states=()):
    subscription, secret = subscription_create(client=bank, url=receiver.url, states=list(states))
    receiver.secret = secret
    return subscription


def _start_checks(request, capture):
    """A state change (submitted -> checking) with no other side effects; dispatched deliveries run in-process."""
    with capture(execute=True):
        transition(request=request, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
    return RequestEvent.objects.get(request=request, action=Action.START_CHECKS)


def test_a_state_change_is_delivered_signed_to_a_client_with_standing_consent(
    bank, submitted, django_capture_on_commit_callbacks
):
    with receiving() as receiver:
        subscription = _subscribe(bank, receiver)
        event = _start_checks(submitted, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert (delivery.subscription, delivery.event, delivery.state) == (subscription, event, Delivery.State.DELIVERED)
    assert delivery.last_status_code == 200
    [received] = receiver.received
    assert received.verified
    assert received.headers["webhook-id"] == str(delivery.pk)
    assert received.body["type"] == "request.state_changed"
    assert received.body["data"] == {
        "reference": submitted.reference,
        "service": submitted.service.code,
        "state": State.CHECKING,
        "previous_state": State.SUBMITTED,
        "sequence": event.sequence,
        "occurred_at": event.created_at.isoformat(),
    }
    [attempt] = DeliveryAttempt.objects.all()
    assert (attempt.number, attempt.status_code, attempt.error) == (1, 200, "")


def test_nothing_is_recorded_without_consent_after_revoking_or_for_another_state(
    bank, submitted, django_capture_on_commit_callbacks
):
    other_bank = ThirdPartyClientFactory()
    with receiving() as receiver:
        _subscribe(other_bank, receiver)  # no consent from this citizen
        _subscribe(bank, receiver, states=[State.APPROVED, State.REJECTED])  # not this change
        _start_checks(submitted, django_capture_on_commit_callbacks)
    assert not Delivery.objects.exists()
    assert receiver.received == []


def test_a_request_filed_in_one_step_is_delivered_as_submitted(bank, django_capture_on_commit_callbacks):
    service = ServiceFactory()
    citizen = UserFactory()
    consent_give(citizen=citizen, client=bank, purpose=Purpose.READ_REQUESTS)
    with receiving() as receiver:
        _subscribe(bank, receiver, states=[State.SUBMITTED])
        with django_capture_on_commit_callbacks(execute=True):
            filed = request_file(citizen=citizen, service=service, answers=dict(VALID_ANSWERS))
    [delivery] = Delivery.objects.all()
    assert delivery.event.request == filed and delivery.event.action == Action.SUBMIT
    assert [(got.verified, got.body["data"]["state"]) for got in receiver.received] == [(True, State.SUBMITTED)]


def test_only_subscriptions_asking_for_the_new_state_and_still_active_get_it(bank, submitted):
    with receiving() as receiver:
        wanted = _subscribe(bank, receiver, states=[State.CHECKING])
        deleted = _subscribe(bank, receiver)
        subscription_delete(subscription=deleted, user=bank.user)
        transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
    assert list(Delivery.objects.values_list("subscription", flat=True)) == [wanted.pk]


def test_recording_is_one_statement_per_state_change_and_none_for_other_events(bank, submitted):
    with receiving() as receiver:
        _subscribe(bank, receiver)
        _subscribe(bank, receiver, states=[State.CHECKING])
    with CaptureQueriesContext(connection) as moved:
        transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
    with CaptureQueriesContext(connection) as escalated:
        transition(request=submitted, action=Action.ESCALATE, user=None, channel=Channel.SYSTEM)
    table = Delivery._meta.db_table
    assert [q["sql"].split()[0] for q in moved.captured_queries if table in q["sql"]] == ["INSERT"]
    assert not [q for q in escalated.captured_queries if table in q["sql"]]
    assert Delivery.objects.count() == 2


def test_a_deactivated_client_hears_nothing(bank, submitted):
    with receiving() as receiver:
        _subscribe(bank, receiver)
    bank.active = False
    bank.save()
    transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
    assert not Delivery.objects.exists()


def test_a_client_that_lost_the_purpose_hears_nothing(bank, submitted):
    with receiving() as receiver:
        _subscribe(bank, receiver)
    bank.purposes = []
    bank.save()
    transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
    assert not Delivery.objects.exists()


def test_the_purpose_is_checked_in_the_same_one_statement(bank, submitted):
    with receiving() as receiver:
        _subscribe(bank, receiver)
    with CaptureQueriesContext(connection) as moved:
        transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
    [recording] = [q["sql"] for q in moved.captured_queries if Delivery._meta.db_table in q["sql"]]
    assert "purposes" in recording
    assert Delivery.objects.count() == 1


def test_a_purpose_lost_between_recording_and_sending_cancels_it_unsent(bank, submitted):
    with receiving() as receiver:
        _subscribe(bank, receiver)
        transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
        bank.purposes = []
        bank.save()
        delivery = Delivery.objects.get()
        assert delivery_send(delivery.pk) == Delivery.State.CANCELLED
    assert receiver.received == []
    assert not DeliveryAttempt.objects.exists()


def test_a_revoked_consent_is_honoured_by_the_query(bank, submitted):
    consent = submitted.citizen.third_party_consents.get()
    consent_revoke(consent=consent)
    with receiving() as receiver:
        _subscribe(bank, receiver)
        transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
    assert not Delivery.objects.exists()


def test_events_that_keep_the_state_record_nothing(bank, submitted):
    with receiving() as receiver:
        _subscribe(bank, receiver)
    transition(request=submitted, action=Action.ESCALATE, user=None, channel=Channel.SYSTEM)
    assert not Delivery.objects.exists()


def test_consent_revoked_between_recording_and_sending_cancels_it_unsent(bank, submitted):
    with receiving() as receiver:
        _subscribe(bank, receiver)
        transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
        consent_revoke(consent=submitted.citizen.third_party_consents.get())
        delivery = Delivery.objects.get()
        assert delivery_send(delivery.pk) == Delivery.State.CANCELLED
    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.CANCELLED
    assert not DeliveryAttempt.objects.exists()


def test_a_failure_is_retried_with_backoff_then_delivered(bank, submitted):
    with receiving(statuses=[500]) as receiver:
        _subscribe(bank, receiver)
        transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
        delivery = Delivery.objects.get()
        assert delivery_send(delivery.pk) == Delivery.State.PENDING
        delivery.refresh_from_db()
        wait = delivery.next_attempt_at - timezone.now()
        assert timedelta(seconds=4) < wait <= timedelta(seconds=10)
        assert delivery_send(delivery.pk) is None  # not due yet
        with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
            assert delivery_send(delivery.pk) == Delivery.State.DELIVERED
    assert [r.headers["webhook-id"] for r in receiver.received] == [str(delivery.pk)] * 2  # the same idempotency key
    assert list(DeliveryAttempt.objects.order_by("number").values_list("number", "status_code")) == [(1, 500), (2, 200)]


def test_after_the_last_attempt_it_is_failed_and_the_request_keeps_its_state(bank, submitted):
    with receiving(statuses=[503, 503, 503]) as receiver:
        _subscribe(bank, receiver)
        transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
        delivery = Delivery.objects.get()
        outcomes = []
        for _ in range(3):
            with time_machine.travel(Delivery.objects.get().next_attempt_at + timedelta(seconds=1)):
                outcomes.append(delivery_send(delivery.pk))
    assert outcomes == [Delivery.State.PENDING, Delivery.State.PENDING, Delivery.State.FAILED]
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code) == (3, 503)
    submitted.refresh_from_db()
    assert submitted.state == State.CHECKING


def test_an_unreachable_receiver_is_an_attempt_with_the_error():
    bank = ThirdPartyClientFactory()
    request = ServiceRequestFactory(submitted=True)
    consent_give(citizen=request.citizen, client=bank, purpose=Purpose.READ_REQUESTS)
    with receiving() as receiver:
        url = receiver.url
    Subscription.objects.create(client=bank, url=url, secret_sealed=_sealed())
    transition(request=request, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
    assert delivery_send(Delivery.objects.get().pk) == Delivery.State.PENDING
    attempt = DeliveryAttempt.objects.get()
    assert attempt.status_code is None
    assert "Connection" in attempt.error or "refused" in attempt.error


@contextlib.contextmanager
def trickling_receiver(seconds_per_byte):
    """A receiver on 127.0.0.1 that answers 200 one byte at a time, so no single read times out."""
    server = socket.create_server(("127.0.0.1", 0))
    answer = b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 40 + b"\r\nContent-Length: 0\r\n\r\n"
    done = threading.Event()

    def serve():
        with contextlib.suppress(OSError), server.accept()[0] as client:
            client.recv(65536)
            for byte in answer:
                if done.wait(seconds_per_byte):
                    return
                client.send(bytes([byte]))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/hooks"
    finally:
        done.set()
        server.close()
        thread.join(timeout=10)


def test_a_receiver_that_answers_a_byte_at_a_time_is_cut_off_at_the_timeout(bank, submitted, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    with trickling_receiver(seconds_per_byte=0.5) as url:  # the whole answer would take 30 s
        Subscription.objects.create(client=bank, url=url, secret_sealed=_sealed())
        transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
        assert delivery_send(Delivery.objects.get().pk) == Delivery.State.PENDING  # to be retried
    attempt = DeliveryAttempt.objects.get()
    assert attempt.status_code is None and attempt.error
    assert attempt.duration_ms < 10_000


def _sealed():
    from services.webhooks.sealing import secret_generate, secret_seal

    return secret_seal(secret_generate())


def test_the_url_is_checked_again_when_sending(bank, submitted, settings):
    with receiving() as receiver:
        _subscribe(bank, receiver)
        transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
        settings.WEBHOOK_ALLOWED_HOSTS = []  # 127.0.0.1 is no longer trusted: loopback, plain http
        assert delivery_send(Delivery.objects.get().pk) == Delivery.State.PENDING
    assert receiver.received == []
    assert DeliveryAttempt.objects.get().error.startswith("UnsafeURL: Webhook URLs must use https.")


def test_the_backoff_doubles_up_to_the_maximum(settings):
    settings.WEBHOOK_RETRY_MAX_SECONDS = 60
    for attempts, ceiling in [(1, 10), (2, 20), (3, 40), (4, 60), (9, 60)]:
        delay = retry_delay(attempts).total_seconds()
        assert ceiling / 2 <= delay <= ceiling


def test_the_sweeper_sends_due_deliveries_that_no_worker_holds(bank, submitted):
    with receiving() as receiver:
        _subscribe(bank, receiver)
        transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
        delivery = Delivery.objects.get()
        assert deliveries_redispatch() == 0  # just recorded: its own message is on its way
        later = timezone.now() + timedelta(minutes=5)
        Delivery.objects.filter(pk=delivery.pk).update(leased_until=later)  # a worker holds it
        with time_machine.travel(timezone.now() + timedelta(minutes=1)):
            assert deliveries_redispatch() == 0
        with time_machine.travel(later + timedelta(seconds=1)):
            assert deliveries_redispatch() == 1  # the worker died: the lease ran out
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.DELIVERED
    assert len(receiver.received) == 1


def test_subscribing_and_deleting_are_audited_and_deleting_cancels_pending_deliveries(bank, submitted):
    with receiving() as receiver:
        subscription = _subscribe(bank, receiver)
    transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
    subscription_delete(subscription=subscription, user=bank.user)
    assert Delivery.objects.get().state == Delivery.State.CANCELLED
    assert list(AuditEvent.objects.order_by("pk").values_list("user", "action", "target")) == [
        (bank.user.pk, AuditAction.WEBHOOK_SUBSCRIBED, f"webhook subscription {subscription.pk}"),
        (bank.user.pk, AuditAction.WEBHOOK_DELETED, f"webhook subscription {subscription.pk}"),
    ]


def test_resealed_secrets_sign_deliveries_once_the_old_key_is_gone(bank, submitted, settings):
    settings.SECRET_KEY_FALLBACKS = []
    old_key = settings.SECRET_KEY
    with receiving() as receiver:
        subscription = _subscribe(bank, receiver)
        Subscription.objects.create(client=bank, url=receiver.url, secret_sealed="sealed under a key long gone")
        settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a newly rotated key " * 3, [old_key]
        assert secrets_reseal() == 1
        settings.SECRET_KEY_FALLBACKS = []
        transition(request=submitted, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
        delivery = Delivery.objects.get(subscription=subscription)
        assert delivery_send(delivery.pk) == Delivery.State.DELIVERED
    assert len(receiver.received) == 1  # the receiver checks the signature with the secret it was given
