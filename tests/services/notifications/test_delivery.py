"""Each event's email and SMS go out exactly once, through the real outbox -> Celery -> handler path."""

import pytest
from django.core import mail
from django.db import OperationalError

from services.notifications import handlers
from services.notifications.models import Notification
from services.notifications.sms import LocmemSmsBackend
from services.workflow import outbox
from services.workflow.models import SideEffect
from services.workflow.outbox import side_effect_run
from services.workflow.states import Action, State
from tests.factories import ServiceRequestFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _citizen(**kwargs):
    return UserFactory(email="aigerim@example.kz", phone="+77011112233", **kwargs)


def _draft(language="kk", **kwargs):
    return ServiceRequestFactory(citizen=_citizen(preferred_language=language), language=language, **kwargs)


def _sms_to(phone):
    return [message for message in LocmemSmsBackend.outbox if message.phone == phone]


def test_the_handlers_are_registered_when_django_starts():
    assert outbox._HANDLERS["email"].run is handlers.email_effect
    assert outbox._HANDLERS["email"].on_give_up is handlers.email_given_up
    assert outbox._HANDLERS["sms"].run is handlers.sms_effect
    assert outbox._HANDLERS["sms"].on_give_up is handlers.sms_given_up


def test_a_second_run_of_the_same_effect_sends_nothing_more(act):
    request = _draft()
    act(request, Action.SUBMIT, user=request.citizen)
    assert (len(mail.outbox), len(LocmemSmsBackend.outbox)) == (1, 1)
    effects = SideEffect.objects.filter(request=request, kind__in=["email", "sms"])
    for effect in effects:  # a second delivery of the task
        side_effect_run(effect.pk)
    effects.update(status=SideEffect.Status.PENDING)  # even a row run again finds its notification sent
    for effect in effects:
        side_effect_run(effect.pk)
    assert (len(mail.outbox), len(LocmemSmsBackend.outbox)) == (1, 1)
    assert Notification.objects.filter(request=request).count() == 2


def test_two_information_requests_give_two_notifications_one_per_event(act):
    request = _draft(language="ru", state=State.IN_REVIEW)
    clerk = StaffFactory(agency=request.service.agency)
    first = act(request, Action.REQUEST_INFO, user=clerk, payload={"message": "Приложите копию договора."})
    act(first, Action.RESPOND, user=request.citizen)  # the same day: no deadline moved, no message
    act(first, Action.REQUEST_INFO, user=clerk, payload={"message": "Уточните адрес."})
    asked = Notification.objects.filter(event__action=Action.REQUEST_INFO)
    assert asked.filter(channel="email").count() == 2
    assert asked.filter(channel="sms").count() == 2
    assert asked.values("event").distinct().count() == 2
    assert [m.body.count("Приложите копию договора.") for m in mail.outbox] == [1, 0]
    assert [m.body.count("Уточните адрес.") for m in mail.outbox] == [0, 1]
    assert len(LocmemSmsBackend.outbox) == 2


def test_a_crash_after_sending_but_before_commit_resends_with_the_same_key_and_the_provider_drops_it(act, monkeypatch):
    sends = []
    original_send = LocmemSmsBackend.send

    def counting_send(self, **kwargs):
        sends.append(kwargs["idempotency_key"])
        return original_send(self, **kwargs)

    original_save = Notification.save
    crashed = []

    def save_crashing_once(self, *args, **kwargs):
        if self.channel == "sms" and not crashed:
            crashed.append(self.idempotency_key)
            raise OperationalError("the connection dropped before commit")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(LocmemSmsBackend, "send", counting_send)
    monkeypatch.setattr(Notification, "save", save_crashing_once)
    request = _draft()
    act(request, Action.SUBMIT, user=request.citizen)

    event = request.events.get(action=Action.SUBMIT)
    key = f"notification-{event.pk}-sms"
    assert crashed == [key]
    assert sends == [key, key]  # sent, rolled back, sent again with the same key
    assert len(LocmemSmsBackend.outbox) == 1  # which the provider recognised
    notification = Notification.objects.get(event=event, channel="sms")
    assert notification.status == Notification.Status.SENT
    assert notification.provider_message_id == LocmemSmsBackend.outbox[0].message_id
    assert SideEffect.objects.get(event=event, kind="sms").attempts == 2


def test_an_email_resent_after_a_crash_carries_the_same_message_id_and_key(act, monkeypatch):
    original_save = Notification.save
    crashed = []

    def save_crashing_once(self, *args, **kwargs):
        if self.channel == "email" and not crashed:
            crashed.append(True)
            raise OperationalError("the connection dropped before commit")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Notification, "save", save_crashing_once)
    request = _draft()
    act(request, Action.SUBMIT, user=request.citizen)

    event = request.events.get(action=Action.SUBMIT)
    assert len(mail.outbox) == 2  # Django's locmem backend does not de-duplicate; a receiver can
    first, second = (message.message() for message in mail.outbox)
    assert first["Message-ID"] == second["Message-ID"] == f"<notification-{event.pk}-email@portal.localhost>"
    assert first["X-Idempotency-Key"] == second["X-Idempotency-Key"] == f"notification-{event.pk}-email"
    notification = Notification.objects.get(event=event, channel="email")
    assert notification.provider_message_id == first["Message-ID"]


def test_an_sms_provider_that_always_fails_marks_the_notification_failed_and_leaves_the_request(act, settings):
    settings.SIDE_EFFECT_MAX_ATTEMPTS = 3
    LocmemSmsBackend.failing = True
    request = _draft(state=State.IN_REVIEW)
    clerk = StaffFactory(agency=request.service.agency)
    act(request, Action.REJECT, user=clerk, reason="Нет оснований.")

    effect = SideEffect.objects.get(request=request, kind="sms")
    assert (effect.status, effect.attempts) == (SideEffect.Status.FAILED, 3)
    notification = Notification.objects.get(request=request, channel="sms")
    assert notification.status == Notification.Status.FAILED
    assert "gave up after 3 attempts" in notification.error
    assert "SmsError: the SMS provider is unavailable" in notification.error
    assert notification.recipient == request.citizen.phone
    assert notification.sent_at is None
    assert LocmemSmsBackend.outbox == []
    assert Notification.objects.get(request=request, channel="email").status == Notification.Status.SENT
    request.refresh_from_db()
    assert request.state == State.REJECTED


def test_the_consent_sms_goes_to_the_owner_not_to_the_applicant(act):
    request = _draft(language="ru", submitted=True, state=State.CHECKING)
    payload = {"owner_phone": "+77019998877", "consent_code": "482913", "expires_at": "2026-06-15T05:30:00+00:00"}
    act(request, Action.AWAIT_CONSENT, payload=payload)
    assert _sms_to(request.citizen.phone) == []
    [sms] = _sms_to("+77019998877")
    assert "482913" in sms.text
    assert "15.06.2026 10:30" in sms.text  # the limit in Almaty time (UTC+5)
    assert "Aigerim Nurlanova" in sms.text
    assert mail.outbox == []
    notification = Notification.objects.get(request=request)
    assert (notification.channel, notification.recipient) == ("sms", "+77019998877")


def test_respond_without_paused_days_sends_nothing(act):
    request = _draft(info_requested=True)
    request = act(request, Action.RESPOND, user=request.citizen)
    event = request.events.get(action=Action.RESPOND)
    assert event.payload["paused_working_days"] == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(event=event).exists()
    assert SideEffect.objects.get(event=event).status == SideEffect.Status.DONE


def test_respond_after_paused_working_days_tells_the_new_deadline(act, time_machine):
    time_machine.move_to("2026-06-15 10:00 +05:00")  # a Monday
    request = _draft(language="en", in_review=True)
    request = act(request, Action.REQUEST_INFO, user=StaffFactory(agency=request.service.agency))
    time_machine.move_to("2026-06-18 10:00 +05:00")  # Thursday: three working days later
    request = act(request, Action.RESPOND, user=request.citizen)
    assert request.events.get(action=Action.RESPOND).payload["paused_working_days"] == 3
    [_asked, answered] = mail.outbox
    assert answered.to == ["aigerim@example.kz"]
    assert request.deadline.strftime("%d.%m.%Y") in answered.body
    assert "waited for your answer" in answered.body


def test_a_citizen_without_email_gets_only_the_sms_and_the_email_effect_is_done(act):
    request = ServiceRequestFactory(citizen=UserFactory(email="", phone="+77011112233"))
    act(request, Action.SUBMIT, user=request.citizen)
    assert mail.outbox == []
    assert len(LocmemSmsBackend.outbox) == 1
    assert list(Notification.objects.filter(request=request).values_list("channel", flat=True)) == ["sms"]
    assert SideEffect.objects.get(request=request, kind="email").status == SideEffect.Status.DONE


def test_the_reminder_goes_to_the_assigned_officer_in_their_language(act):
    request = _draft(language="kk", state=State.IN_REVIEW, deadline="2026-06-19")
    clerk = StaffFactory(agency=request.service.agency, email="officer@agency.kz", preferred_language="ru")
    request.assignee = clerk
    request.save()
    act(request, Action.REMIND, payload={"deadline": "2026-06-19"})
    [email] = mail.outbox
    assert email.to == ["officer@agency.kz"]
    assert "19.06.2026" in email.subject
    assert "Справка" in email.body  # the officer's language, not the request's
    assert LocmemSmsBackend.outbox == []


def test_no_reminder_without_an_assigned_officer(act):
    request = _draft(state=State.IN_REVIEW, deadline="2026-06-19")
    act(request, Action.REMIND, payload={"deadline": "2026-06-19"})
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert SideEffect.objects.get(request=request, kind="email").status == SideEffect.Status.DONE


def test_a_notification_that_cannot_even_be_recorded_still_lets_the_outbox_row_fail(act, settings, monkeypatch):
    settings.SIDE_EFFECT_MAX_ATTEMPTS = 2
    original_save = Notification.save

    def save_failing_for_sms(self, *args, **kwargs):
        if self.channel == "sms":
            raise OperationalError("the notifications table is unavailable")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Notification, "save", save_failing_for_sms)
    request = _draft()
    act(request, Action.SUBMIT, user=request.citizen)
    effect = SideEffect.objects.get(request=request, kind="sms")
    assert effect.status == SideEffect.Status.FAILED
    assert "the notifications table is unavailable" in effect.last_error
    assert not Notification.objects.filter(request=request, channel="sms").exists()
    assert Notification.objects.get(request=request, channel="email").status == Notification.Status.SENT
