"""Exactly once through worker crashes and broker outages, with real worker processes on a
private Redis and the PostgreSQL test database. A gate holds a task in flight while the test
kills the worker under it; the sweeper recovers what a lost message left behind."""

import os
import signal
from collections import Counter

import pytest
from django.db import transaction

from services.catalogue.models import Service
from services.documents.models import ResultDocument
from services.notifications.models import Notification
from services.processing.sweeps import outbox_redispatch
from services.registries import demo
from services.workflow.models import ServiceRequest, SideEffect
from services.workflow.service import draft_start, request_submit
from services.workflow.states import FINAL, State
from services.workflow.tasks import run_side_effects
from tests.factories import UserFactory
from tests.reliability.processes import wait_until
from tests.reliability.provider import calls

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

# Per issued request: email and SMS on submit, email and SMS when the document is issued.
MESSAGES_PER_ISSUED_REQUEST = 4


@pytest.fixture
def citizen(catalogue):
    return UserFactory(iin=demo.CITIZEN, email="aidos@example.kz", phone="+77011234567", preferred_language="kk")


def _submit(citizen) -> ServiceRequest:
    draft = draft_start(citizen=citizen, service=Service.objects.get(code="criminal-record-certificate"))
    draft.form_data = {"purpose": "employment"}
    draft.save(update_fields=["form_data"])
    return request_submit(request=draft, user=citizen)


def _all_settled(requests) -> bool:
    outbox_redispatch()  # what beat does in production: resend what a lost message left behind
    ids = [r.pk for r in requests]
    finished = ServiceRequest.objects.filter(pk__in=ids, state__in=FINAL).count() == len(ids)
    return finished and not SideEffect.objects.filter(request__in=ids, status=SideEffect.Status.PENDING).exists()


def _wait_settled(requests, timeout=120):
    wait_until(lambda: _all_settled(requests), timeout=timeout, what="every request to settle", interval=0.5)


def _assert_exactly_once(requests, directory):
    ids = [r.pk for r in requests]
    assert set(ServiceRequest.objects.filter(pk__in=ids).values_list("state", flat=True)) == {State.ISSUED}
    assert ResultDocument.objects.filter(request__in=ids).count() == len(ids)
    sent = Notification.objects.filter(request__in=ids, status="sent")
    assert sent.count() == MESSAGES_PER_ISSUED_REQUEST * len(ids)
    accepted = Counter(call["key"] for call in calls(directory) if call["accepted"])
    assert len(accepted) == MESSAGES_PER_ISSUED_REQUEST * len(ids)
    assert set(accepted.values()) == {1}, "a provider accepted the same message twice"
    assert set(sent.values_list("idempotency_key", flat=True)) == set(accepted)


def _received(directory) -> int:
    lines = (directory / "worker.log").read_text().splitlines()
    return sum(1 for line in lines if "run_side_effects[" in line and line.endswith("received"))


def _hold(directory, kind):
    (directory / f"hold-{kind}").touch()


def _inflight(directory):
    return sorted(directory.glob("inflight-*"))


def test_killing_a_pool_process_mid_task_loses_and_duplicates_nothing(
    citizen, start_worker, reliability_dir, quick_sweeps
):
    worker = start_worker()
    _hold(reliability_dir, "document")
    requests = [_submit(citizen) for _ in range(3)]
    wait_until(lambda: _inflight(reliability_dir), timeout=60, what="a document task in flight")
    for pid in worker.pool_pids():
        os.kill(pid, signal.SIGKILL)
    (reliability_dir / "release").touch()
    _wait_settled(requests)
    _assert_exactly_once(requests, reliability_dir)


def test_killing_the_whole_worker_and_starting_a_new_one_loses_and_duplicates_nothing(
    citizen, start_worker, reliability_dir, quick_sweeps
):
    first = start_worker()
    _hold(reliability_dir, "process")
    requests = [_submit(citizen) for _ in range(3)]
    wait_until(lambda: _inflight(reliability_dir), timeout=60, what="a processing task in flight")
    os.killpg(first.process.pid, signal.SIGKILL)  # main and pool processes, as when a machine dies
    first.process.wait(timeout=20)
    (reliability_dir / "release").touch()
    start_worker()
    _wait_settled(requests)
    _assert_exactly_once(requests, reliability_dir)


def test_a_redis_outage_during_submissions_loses_no_request(
    citizen, start_worker, reliability_dir, broker, quick_sweeps
):
    start_worker()
    requests = [_submit(citizen) for _ in range(2)]
    broker.stop()
    during_outage = [_submit(citizen) for _ in range(3)]  # accepted: the outbox keeps their work
    assert all(r.state == State.SUBMITTED for r in during_outage)
    assert SideEffect.objects.filter(request__in=during_outage, dispatched_at__isnull=True).count() == 3 * 3
    broker.start()
    requests += during_outage + [_submit(citizen) for _ in range(2)]
    _wait_settled(requests)
    _assert_exactly_once(requests, reliability_dir)


def test_the_same_task_delivered_twice_at_once_has_one_effect(citizen, start_worker, reliability_dir, quick_sweeps):
    start_worker(concurrency=2)
    _hold(reliability_dir, "document")
    request = _submit(citizen)
    wait_until(lambda: _inflight(reliability_dir), timeout=60, what="the document task in flight")
    effect = SideEffect.objects.get(request=request, kind="document")
    run_side_effects.delay([effect.pk])  # a second delivery while the first is still running
    # the submission's message (its email, sms and process, whose worker now holds the document
    # it recorded), and now the duplicate: two received
    wait_until(lambda: _received(reliability_dir) >= 2, timeout=30, what="the duplicate to reach the worker")
    (reliability_dir / "release").touch()
    _wait_settled([request])
    _assert_exactly_once([request], reliability_dir)
    effect.refresh_from_db()
    assert effect.attempts == 1


def test_a_task_that_always_crashes_fails_its_request_after_the_attempt_limit(
    citizen, start_worker, reliability_dir, quick_sweeps
):
    start_worker()
    (reliability_dir / "crash-process").touch()
    request = _submit(citizen)
    _wait_settled([request])
    request.refresh_from_db()
    assert request.state == State.FAILED
    effect = SideEffect.objects.get(request=request, kind="process")
    assert (effect.status, effect.attempts) == (SideEffect.Status.FAILED, 3)
    assert "process is told to crash" in request.events.get(action="fail").payload["reason"]


def test_a_notification_that_always_fails_is_marked_failed_and_the_request_keeps_its_state(
    citizen, start_worker, reliability_dir, quick_sweeps
):
    start_worker()
    (reliability_dir / "fail-sms").touch()
    request = _submit(citizen)
    _wait_settled([request])
    request.refresh_from_db()
    assert request.state == State.ISSUED
    sms = Notification.objects.filter(request=request, channel="sms")
    assert sms.count() == 2
    assert set(sms.values_list("status", flat=True)) == {"failed"}
    assert all("told to fail" in n.error for n in sms)
    assert Notification.objects.filter(request=request, channel="email", status="sent").count() == 2


def test_a_rolled_back_state_change_dispatches_nothing(citizen, start_worker, reliability_dir, quick_sweeps):
    start_worker()
    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = _submit(citizen)
        raise RuntimeError("the rest of the transaction failed")
    assert not ServiceRequest.objects.filter(pk=rolled_back.pk).exists()
    request = _submit(citizen)  # the queue is first in, first out: once this one is done, any other would be too
    _wait_settled([request])
    _assert_exactly_once([request], reliability_dir)
    assert {call["key"] for call in calls(reliability_dir)} == set(
        Notification.objects.filter(request=request).values_list("idempotency_key", flat=True)
    )
