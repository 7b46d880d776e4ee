from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import translation

from services.catalogue.loading import schema_digest
from services.catalogue.models import FormVersion
from services.workflow.models import RequestEvent
from services.workflow.service import draft_resume, draft_save_step, draft_start, request_submit
from services.workflow.states import Action, Channel, State
from services.workflow.transitions import FormInvalid, NotPermitted, TransitionNotAllowed, transition
from tests.factories import FORM_SCHEMA, ServiceFactory, ServiceRequestFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _actions(request):
    return list(RequestEvent.objects.filter(request=request).values_list("action", flat=True))


def test_a_draft_records_started_step_saved_resumed_and_submit():
    citizen = UserFactory()
    draft = draft_start(citizen=citizen, service=ServiceFactory(), channel=Channel.API)
    draft = draft_save_step(request=draft, user=citizen, page="purpose", answers={"purpose": "visa"})
    draft = draft_resume(request=draft, user=citizen)
    draft = draft_save_step(request=draft, user=citizen, page="contact", answers={"phone": "+77017654321"})
    submitted = request_submit(request=draft, user=citizen)

    assert submitted.state == State.SUBMITTED
    assert submitted.form_data == {"purpose": "visa", "phone": "+77017654321"}
    assert _actions(submitted) == ["started", "step_saved", "resumed", "step_saved", "submit"]
    assert list(RequestEvent.objects.filter(request=submitted).values_list("sequence", flat=True)) == [1, 2, 3, 4, 5]
    assert RequestEvent.objects.get(request=submitted, sequence=2).payload == {"page": "purpose"}
    assert submitted.channel == Channel.API


def test_started_is_recorded_once_only():
    citizen = UserFactory()
    draft = draft_start(citizen=citizen, service=ServiceFactory())
    with pytest.raises(TransitionNotAllowed):
        transition(request=draft, action=Action.STARTED, user=citizen, channel=Channel.WEB)
    assert _actions(draft) == ["started"]


def test_a_page_with_bad_answers_gets_messages_in_the_readers_language_and_keeps_what_was_saved():
    citizen = UserFactory(preferred_language="ru")
    draft = draft_start(citizen=citizen, service=ServiceFactory())
    draft = draft_save_step(request=draft, user=citizen, page="purpose", answers={"purpose": "work", "details": "abcd"})
    with pytest.raises(FormInvalid) as invalid, translation.override("ru"):
        draft_save_step(request=draft, user=citizen, page="purpose", answers={"purpose": "holiday", "details": "ab"})
    assert invalid.value.errors == {
        "purpose": ["Выберите один из вариантов для поля «Цель»."],
        "details": ["Поле «Details (рус.)» должно содержать не менее 3 символов."],
    }
    draft.refresh_from_db()
    assert draft.form_data == {"purpose": "work", "details": "abcd"}
    assert _actions(draft) == ["started", "step_saved"]


def test_an_invalid_submission_gets_field_errors_and_the_draft_is_kept():
    citizen = UserFactory(preferred_language="kk")
    draft = draft_start(citizen=citizen, service=ServiceFactory())
    draft = draft_save_step(request=draft, user=citizen, page="purpose", answers={"purpose": "work"})
    with pytest.raises(FormInvalid) as invalid, translation.override("kk"):
        request_submit(request=draft, user=citizen)
    assert invalid.value.errors == {"phone": ["«Телефон нөмірі» жолын толтырыңыз."]}
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert draft.form_data == {"purpose": "work"}
    assert _actions(draft) == ["started", "step_saved"]


def test_clearing_an_optional_answer_removes_it():
    citizen = UserFactory()
    draft = draft_start(citizen=citizen, service=ServiceFactory())
    draft = draft_save_step(request=draft, user=citizen, page="purpose", answers={"purpose": "work", "details": "abcd"})
    draft = draft_save_step(request=draft, user=citizen, page="purpose", answers={"purpose": "work"})
    assert draft.form_data == {"purpose": "work"}


def test_only_the_citizen_edits_their_draft():
    draft = draft_start(citizen=UserFactory(), service=ServiceFactory())
    with pytest.raises(NotPermitted):
        draft_save_step(request=draft, user=UserFactory(), page="purpose", answers={"purpose": "work"})


@time_machine.travel(datetime(2026, 12, 14, 19, 30, tzinfo=UTC), tick=False)  # Tuesday 00:30 in Almaty
def test_the_deadline_counts_working_days_from_the_local_day_of_submission():
    service = ServiceFactory(legal_deadline_days=2)
    request = ServiceRequestFactory(service=service)
    submitted = request_submit(request=request, user=request.citizen)
    # Tuesday 15 December is the day of submission; 16 December is Independence Day.
    assert submitted.deadline == date(2026, 12, 18)


def test_time_waiting_for_the_citizen_does_not_count():
    service = ServiceFactory(legal_deadline_days=5)
    clerk = StaffFactory(agency=service.agency)
    with time_machine.travel(datetime(2026, 11, 2, 5, 0, tzinfo=UTC), tick=False):  # Monday
        request = ServiceRequestFactory(service=service)
        request = request_submit(request=request, user=request.citizen)
    assert request.deadline == date(2026, 11, 9)
    request.state = State.IN_REVIEW
    request.save()
    with time_machine.travel(datetime(2026, 11, 3, 5, 0, tzinfo=UTC), tick=False):  # Tuesday
        transition(request=request, action=Action.REQUEST_INFO, user=clerk, channel=Channel.WEB)
    with time_machine.travel(datetime(2026, 11, 10, 5, 0, tzinfo=UTC), tick=False):  # the next Tuesday
        answered = transition(request=request, action=Action.RESPOND, user=request.citizen, channel=Channel.WEB)
    # Five working days (Wednesday to Tuesday) waited for the citizen: the deadline moves on by five.
    assert answered.deadline == date(2026, 11, 16)
    assert answered.clock_paused_at is None
    assert RequestEvent.objects.get(request=request, action="respond").payload == {"paused_working_days": 5}


def test_a_request_keeps_the_form_version_it_was_started_with():
    service = ServiceFactory()
    citizen = UserFactory()
    draft = draft_start(citizen=citizen, service=service)
    stricter = {**FORM_SCHEMA, "required": ["purpose", "phone", "details"]}
    service.form = FormVersion.objects.create(
        service=service, version=2, schema=stricter, digest=schema_digest(stricter)
    )
    service.save()
    draft = draft_save_step(request=draft, user=citizen, page="purpose", answers={"purpose": "work"})
    draft = draft_save_step(request=draft, user=citizen, page="contact", answers={"phone": "+77011234567"})
    assert request_submit(request=draft, user=citizen).form_version.version == 1
