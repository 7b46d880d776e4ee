from dataclasses import replace

import pytest
from django.db import transaction

from services.workflow import outbox
from services.workflow.models import SideEffect
from services.workflow.outbox import side_effect_handler, side_effect_run
from services.workflow.states import Action, Channel
from services.workflow.tasks import run_side_effects
from services.workflow.transitions import transition
from tests.factories import ServiceRequestFactory, StaffFactory


class Recorder:
    """A side-effect handler that counts what it did, and can be told to fail."""

    def __init__(self):
        self.done = []
        self.given_up = []
        self.failing = False

    def run(self, effect):
        if self.failing:
            raise RuntimeError("the other side is down")
        self.done.append(effect.pk)

    def give_up(self, effect):
        self.given_up.append(effect.pk)


@pytest.fixture
def recorder(monkeypatch):
    monkeypatch.setattr(outbox, "_HANDLERS", {})
    recorder = Recorder()
    for kind in ("email", "sms", "document", "process"):
        side_effect_handler(kind, on_give_up=recorder.give_up)(recorder.run)
    return recorder


def _reject(request):
    clerk = StaffFactory(agency=request.service.agency)
    return transition(request=request, action=Action.REJECT, user=clerk, channel=Channel.WEB, reason="no grounds")


@pytest.mark.django_db(transaction=True)
def test_side_effects_of_a_rolled_back_transaction_are_never_dispatched(recorder):
    request = ServiceRequestFactory(in_review=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        _reject(request)
        assert SideEffect.objects.filter(request=request).count() == 3
        raise RuntimeError("something later in the same transaction failed")
    assert not SideEffect.objects.filter(request=request).exists()
    assert recorder.done == []


@pytest.mark.django_db(transaction=True)
def test_side_effects_are_dispatched_after_commit_and_done_once(recorder):
    request = ServiceRequestFactory(in_review=True)
    _reject(request)
    effects = SideEffect.objects.filter(request=request)
    assert sorted(effects.values_list("kind", flat=True)) == ["document", "email", "sms"]
    assert set(effects.values_list("status", flat=True)) == {SideEffect.Status.DONE}
    assert all(e.dispatched_at and e.attempts == 1 for e in effects)
    assert sorted(recorder.done) == sorted(e.pk for e in effects)
    for effect in effects:  # a second delivery of the same message does nothing
        side_effect_run(effect.pk)
    assert len(recorder.done) == 3


@pytest.mark.django_db(transaction=True)
def test_a_publish_that_fails_leaves_the_rows_undispatched_for_the_sweeper(recorder, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionError("the broker is down")

    monkeypatch.setattr(run_side_effects, "apply_async", broker_down)
    request = _reject(ServiceRequestFactory(in_review=True))
    effects = SideEffect.objects.filter(request=request)
    assert effects.count() == 3
    assert set(effects.values_list("status", "dispatched_at")) == {(SideEffect.Status.PENDING, None)}
    assert recorder.done == []


@pytest.mark.django_db
def test_a_failing_side_effect_is_retried_then_marked_failed_without_touching_the_request(recorder, settings):
    settings.SIDE_EFFECT_MAX_ATTEMPTS = 3
    request = ServiceRequestFactory(in_review=True)
    request = _reject(request)
    effect = SideEffect.objects.get(request=request, kind="sms")
    recorder.failing = True
    for _ in range(3):
        with pytest.raises(RuntimeError):
            side_effect_run(effect.pk)
    effect.refresh_from_db()
    assert (effect.status, effect.attempts) == (SideEffect.Status.PENDING, 3)
    assert effect.last_error == "RuntimeError: the other side is down"
    side_effect_run(effect.pk)  # the attempt limit is reached: it gives up
    effect.refresh_from_db()
    assert effect.status == SideEffect.Status.FAILED
    assert "gave up after 3 attempts" in effect.last_error
    assert recorder.given_up == [effect.pk]
    request.refresh_from_db()
    assert request.state == "rejected"


@pytest.fixture
def used_up(recorder, settings, monkeypatch):
    """An SMS that failed its two attempts, whose kind's reaction to giving up fails."""
    settings.SIDE_EFFECT_MAX_ATTEMPTS = 2
    effect = SideEffect.objects.get(request=_reject(ServiceRequestFactory(in_review=True)), kind="sms")
    recorder.failing = True
    for _ in range(2):
        with pytest.raises(RuntimeError):
            side_effect_run(effect.pk)

    def reaction_fails(effect):
        raise RuntimeError("the reaction failed")

    monkeypatch.setitem(outbox._HANDLERS, "sms", replace(outbox._HANDLERS["sms"], on_give_up=reaction_fails))
    return effect


@pytest.mark.django_db
def test_a_reaction_to_giving_up_that_fails_leaves_the_row_pending_for_the_next_sweep(used_up, recorder):
    side_effect_run(used_up.pk)  # gives up, but the reaction fails: nothing is marked
    used_up.refresh_from_db()
    assert used_up.status == SideEffect.Status.PENDING
    outbox._HANDLERS["sms"] = replace(outbox._HANDLERS["sms"], on_give_up=recorder.give_up)
    side_effect_run(used_up.pk)  # the sweeper's next dispatch
    used_up.refresh_from_db()
    assert used_up.status == SideEffect.Status.FAILED
    assert recorder.given_up == [used_up.pk]


@pytest.mark.django_db
def test_a_reaction_that_keeps_failing_is_given_up_on_too(used_up):
    side_effect_run(used_up.pk)  # the first give-up's reaction fails: still pending
    used_up.refresh_from_db()
    assert used_up.status == SideEffect.Status.PENDING
    side_effect_run(used_up.pk)  # the second: twice the attempt limit, failed without its reaction
    used_up.refresh_from_db()
    assert used_up.status == SideEffect.Status.FAILED
    assert used_up.last_error == "gave up, and reacting to that failed: RuntimeError: the reaction failed"


@pytest.mark.django_db
def test_a_kind_without_a_handler_fails_with_a_clear_error(monkeypatch):
    monkeypatch.setattr(outbox, "_HANDLERS", {})
    request = _reject(ServiceRequestFactory(in_review=True))
    effect = SideEffect.objects.filter(request=request).first()
    with pytest.raises(outbox.NoHandler):
        side_effect_run(effect.pk)
    effect.refresh_from_db()
    assert effect.last_error.startswith("NoHandler: no handler for side effect")
