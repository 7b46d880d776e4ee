import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.utils import timezone

from services.processing import sweeps
from services.processing.models import ConsentRequest
from services.workflow.models import RequestEvent, ServiceRequest, SideEffect
from services.workflow.officer import request_info, request_note
from services.workflow.states import Action, Channel, State
from services.workflow.transitions import transition
from tests.factories import ServiceFactory, ServiceRequestFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _actions(request):
    return list(RequestEvent.objects.filter(request=request).values_list("action", flat=True))


def test_undispatched_and_stuck_side_effects_are_sent_again_once(monkeypatch, settings):
    sent = []
    monkeypatch.setattr(sweeps, "side_effects_dispatch", sent.extend)
    request = ServiceRequestFactory(in_review=True)
    clerk = StaffFactory(agency=request.service.agency)
    transition(request=request, action=Action.REQUEST_INFO, user=clerk, channel=Channel.WEB)  # email + sms
    never_sent, stuck = SideEffect.objects.filter(request=request).order_by("kind")
    SideEffect.objects.filter(pk=never_sent.pk).update(dispatched_at=None)  # its publish failed
    SideEffect.objects.filter(pk=stuck.pk).update(dispatched_at=timezone.now())
    assert sweeps.outbox_redispatch() == 0  # too recent: the first dispatch may still be on its way

    later = timezone.now() + settings.OUTBOX_DISPATCH_GRACE + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert sweeps.outbox_redispatch() == 1
        assert sweeps.outbox_redispatch() == 0  # a second beat at the same moment finds nothing to claim
    assert sent == [never_sent.pk]
    with time_machine.travel(timezone.now() + settings.OUTBOX_RETRY_AFTER * 2, tick=False):
        assert sweeps.outbox_redispatch() == 2
    SideEffect.objects.filter(request=request).update(status=SideEffect.Status.DONE)
    with time_machine.travel(timezone.now() + settings.OUTBOX_RETRY_AFTER * 4, tick=False):
        assert sweeps.outbox_redispatch() == 0


def test_stale_drafts_are_abandoned_and_fresh_ones_kept(settings):
    stale = ServiceRequestFactory()
    with time_machine.travel(timezone.now() + settings.DRAFT_TTL - timedelta(minutes=1), tick=False):
        assert sweeps.drafts_abandon() == 0
    fresh_later = timezone.now() + settings.DRAFT_TTL + timedelta(minutes=1)
    with time_machine.travel(fresh_later, tick=False):
        fresh = ServiceRequestFactory()
        assert sweeps.drafts_abandon() == 1
        assert sweeps.drafts_abandon() == 0
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.state, fresh.state) == (State.ABANDONED, State.DRAFT)


def test_unanswered_information_requests_and_consents_expire(settings):
    waiting = ServiceRequestFactory(info_requested=True)
    consent_wait = ServiceRequestFactory(submitted=True, state=State.AWAITING_CONSENT)
    ConsentRequest.objects.create(
        request=consent_wait,
        owner_iin="900101300007",
        owner_phone="+77010000000",
        code="123456",
        expires_at=timezone.now() + timedelta(minutes=settings.CONSENT_TIMEOUT_MINUTES),
    )
    assert sweeps.requests_expire() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.CONSENT_TIMEOUT_MINUTES + 1), tick=False):
        assert sweeps.requests_expire() == 1
    with time_machine.travel(timezone.now() + settings.INFO_RESPONSE_TTL + timedelta(days=1), tick=False):
        assert sweeps.requests_expire() == 1
        assert sweeps.requests_expire() == 0
    waiting.refresh_from_db()
    consent_wait.refresh_from_db()
    assert (waiting.state, consent_wait.state) == (State.EXPIRED, State.EXPIRED)


@time_machine.travel(datetime(2026, 11, 25, 6, 0, tzinfo=UTC), tick=False)  # Wednesday
def test_overdue_requests_are_escalated_and_officers_reminded_once_per_deadline():
    today = date(2026, 11, 25)
    overdue = ServiceRequestFactory(in_review=True, deadline=today - timedelta(days=1))
    due_friday = ServiceRequestFactory(in_review=True, deadline=date(2026, 11, 27))
    due_friday.assignee = StaffFactory(agency=due_friday.service.agency)
    due_friday.save()
    far = ServiceRequestFactory(in_review=True, deadline=date(2026, 12, 10))
    assert sweeps.deadlines_watch(today) == 2
    assert sweeps.deadlines_watch(today) == 0
    overdue.refresh_from_db()
    assert overdue.escalated
    assert _actions(overdue) == ["escalate"]
    assert _actions(due_friday) == ["remind"]
    assert _actions(far) == []
    # a new deadline is reminded of again
    ServiceRequest.objects.filter(pk=due_friday.pk).update(deadline=date(2026, 11, 26))
    assert sweeps.deadlines_watch(today) == 1
    assert _actions(due_friday) == ["remind", "remind"]


@time_machine.travel(datetime(2026, 11, 25, 6, 0, tzinfo=UTC), tick=False)  # Wednesday
def test_reminders_reach_every_assigned_request_due_soon_beyond_one_batch(monkeypatch):
    monkeypatch.setattr(sweeps, "BATCH", 2)
    service = ServiceFactory()
    clerk = StaffFactory(agency=service.agency)
    assigned = ServiceRequestFactory.create_batch(
        5, service=service, in_review=True, deadline=date(2026, 11, 27), assignee=clerk
    )
    unassigned = ServiceRequestFactory(service=service, in_review=True, deadline=date(2026, 11, 27))
    assert sweeps.deadlines_watch(date(2026, 11, 25)) == 5
    assert all(_actions(request) == ["remind"] for request in assigned)
    assert _actions(unassigned) == []  # nobody to remind yet
    ServiceRequest.objects.filter(pk=unassigned.pk).update(assignee=clerk)
    assert sweeps.deadlines_watch(date(2026, 11, 25)) == 1
    assert sweeps.deadlines_watch(date(2026, 11, 25)) == 0


def test_every_stale_draft_is_abandoned_in_one_run_beyond_one_batch(monkeypatch, settings):
    monkeypatch.setattr(sweeps, "BATCH", 2)
    drafts = ServiceRequestFactory.create_batch(5)
    with time_machine.travel(timezone.now() + settings.DRAFT_TTL + timedelta(minutes=1), tick=False):
        assert sweeps.drafts_abandon() == 5
    assert {request.state for request in ServiceRequest.objects.filter(pk__in=[d.pk for d in drafts])} == {
        State.ABANDONED
    }


def test_a_draft_saved_after_the_sweep_chose_it_is_kept(monkeypatch, settings):
    draft = ServiceRequestFactory()
    real_transition = sweeps.transition

    def citizen_saves_first(**kwargs):  # the citizen's save commits between the sweep's SELECT and its lock
        ServiceRequest.objects.get(pk=kwargs["request"]).save()
        return real_transition(**kwargs)

    monkeypatch.setattr(sweeps, "transition", citizen_saves_first)
    with time_machine.travel(timezone.now() + settings.DRAFT_TTL + timedelta(minutes=1), tick=False):
        assert sweeps.drafts_abandon() == 0
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_a_note_while_waiting_for_the_citizen_keeps_the_clock_paused(settings):
    request = ServiceRequestFactory(in_review=True)
    clerk = StaffFactory(agency=request.service.agency)
    request = request_info(request=request, user=clerk, message="Send the lease.", channel=Channel.WEB)
    paused_at = request.clock_paused_at
    request = request_note(request=request, user=clerk, text="Called the citizen.", channel=Channel.WEB)
    assert request.clock_paused_at == paused_at
    with time_machine.travel(timezone.now() + settings.INFO_RESPONSE_TTL + timedelta(days=1), tick=False):
        assert sweeps.requests_expire() == 1
    request.refresh_from_db()
    assert request.state == State.EXPIRED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_side_effect_a_worker_is_running_is_skipped_not_waited_for(monkeypatch, settings):
    assert connection.vendor == "postgresql"
    sent = []
    monkeypatch.setattr(sweeps, "side_effects_dispatch", sent.extend)
    request = ServiceRequestFactory(in_review=True)
    transition(
        request=request,
        action=Action.REQUEST_INFO,
        user=StaffFactory(agency=request.service.agency),
        channel=Channel.WEB,
    )
    running, waiting = SideEffect.objects.filter(request=request).order_by("pk")
    SideEffect.objects.update(dispatched_at=None, status=SideEffect.Status.PENDING)  # as if never sent
    locked, release = threading.Event(), threading.Event()

    def worker_runs_it():  # holds the row's lock as side_effect_run does while a handler runs
        try:
            with transaction.atomic():
                SideEffect.objects.select_for_update().get(pk=running.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    worker = threading.Thread(target=worker_runs_it)
    worker.start()
    try:
        assert locked.wait(timeout=30)
        with time_machine.travel(timezone.now() + settings.OUTBOX_DISPATCH_GRACE * 2, tick=False):
            assert sweeps.outbox_redispatch() == 1
    finally:
        release.set()
        worker.join(timeout=30)
    assert sent == [waiting.pk]


def test_a_sweep_takes_no_more_rows_once_its_time_is_up(settings):
    ServiceRequestFactory.create_batch(3)
    with time_machine.travel(timezone.now() + settings.DRAFT_TTL + timedelta(minutes=1), tick=False):
        settings.CELERY_TASK_SOFT_TIME_LIMIT = 0  # the budget is spent before the first row
        assert sweeps.drafts_abandon() == 0
        settings.CELERY_TASK_SOFT_TIME_LIMIT = 60
        assert sweeps.drafts_abandon() == 3  # the next run takes them
