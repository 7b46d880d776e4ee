"""The texts: in the request's language, built from the event and the request, SMS kept short."""

import pytest
from django.core import mail
from django.utils.translation import gettext, override

from services.notifications.messages import SMS_MAX_LENGTH
from services.notifications.models import Notification
from services.notifications.sms import LocmemSmsBackend
from services.workflow.states import Action, State
from tests.factories import ServiceFactory, ServiceRequestFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

NAMES = {"kk": "Соттылығы туралы анықтама", "ru": "Справка о судимости", "en": "Certificate of no criminal record"}


def _request(language, **kwargs):
    service = ServiceFactory(name_kk=NAMES["kk"], name_ru=NAMES["ru"], name_en=NAMES["en"])
    citizen = UserFactory(email="aigerim@example.kz", phone="+77011112233", preferred_language=language)
    return ServiceRequestFactory(citizen=citizen, service=service, language=language, **kwargs)


@pytest.mark.parametrize(("language", "other"), [("kk", "ru"), ("ru", "kk")])
def test_a_submit_sends_one_email_and_one_sms_in_the_citizens_language(act, language, other):
    request = _request(language)
    request = act(request, Action.SUBMIT, user=request.citizen)

    [email] = mail.outbox
    [sms] = LocmemSmsBackend.outbox
    assert email.to == ["aigerim@example.kz"]
    assert sms.phone == "+77011112233"
    deadline = request.deadline.strftime("%d.%m.%Y")
    context = {"service": NAMES[language], "reference": request.reference}
    with override(language):
        received = gettext("We received your request “%(service)s”, reference %(reference)s.") % context
    for text in (email.body, sms.text):
        assert NAMES[language] in text
        assert NAMES[other] not in text
        assert request.reference in text
        assert deadline in text
    assert email.body.startswith(received)
    assert request.reference in email.subject
    assert set(Notification.objects.filter(request=request).values_list("language", flat=True)) == {language}


def test_a_refusal_gives_the_decision_reason(act):
    request = _request("ru", state=State.IN_REVIEW)
    act(request, Action.REJECT, user=StaffFactory(agency=request.service.agency), reason="Запись найдена в реестре.")
    [email] = mail.outbox
    assert "Запись найдена в реестре." in email.body


def test_an_issued_result_points_to_the_personal_account(act):
    request = _request("en", state=State.APPROVED, submitted=True)
    act(request, Action.ISSUE)
    [email] = mail.outbox
    assert "document" in email.subject
    assert "personal account" in email.body


@pytest.mark.parametrize(
    ("state", "why"),
    [
        (State.INFO_REQUESTED, "We did not receive your answer in time."),
        (State.AWAITING_CONSENT, "The owner of the address did not give consent in time."),
    ],
)
def test_an_expired_request_says_why(act, state, why):
    request = _request("en", state=state, submitted=True)
    act(request, Action.EXPIRE)
    [email] = mail.outbox
    assert why in email.body


def test_a_failed_request_apologises_and_says_what_to_do(act):
    request = _request("en", submitted=True)
    act(request, Action.FAIL, reason="registry unavailable")
    [email] = mail.outbox
    assert "sorry" in email.body
    assert "submit the request again" in email.body
    assert "registry unavailable" not in email.body  # the technical reason is for staff


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize(
    ("state", "action", "by"),
    [
        (State.DRAFT, Action.SUBMIT, "citizen"),
        (State.IN_REVIEW, Action.REQUEST_INFO, "officer"),
        (State.IN_REVIEW, Action.REJECT, "officer"),
        (State.APPROVED, Action.ISSUE, None),
        (State.INFO_REQUESTED, Action.EXPIRE, None),
        (State.SUBMITTED, Action.FAIL, None),
        (State.CHECKING, Action.AWAIT_CONSENT, None),
    ],
)
def test_every_sms_is_short_even_for_a_long_service_name(act, language, state, action, by):
    request = _request(language, state=state, submitted=state != State.DRAFT)
    request.service.name_kk = request.service.name_ru = request.service.name_en = "Өте ұзын атау " * 18
    request.service.save()
    request.citizen.first_name = "Айгерим-Жұлдыз-Гүлнар-Мерует"
    request.citizen.save()
    user = {"citizen": request.citizen, "officer": StaffFactory(agency=request.service.agency), None: None}[by]
    payload = {"owner_phone": "+77019998877", "consent_code": "482913", "expires_at": "2026-06-15T05:30:00+00:00"}
    act(request, action, user=user, payload=payload | {"message": "?" * 2000}, reason="x" * 500)
    [sms] = LocmemSmsBackend.outbox
    assert 0 < len(sms.text) <= SMS_MAX_LENGTH
