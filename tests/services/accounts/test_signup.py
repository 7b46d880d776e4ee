"""Sign-up proves the person: the code goes to the phone the population register holds for the IIN."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from services.accounts.consent import CONSENT_VERSION
from services.accounts.models import PersonalDataConsent, SignupVerification, User
from services.accounts.service import (
    MAX_CODE_ATTEMPTS,
    phone_mask,
    signup_confirm,
    signup_resend,
    signup_start,
)
from services.notifications.sms import LocmemSmsBackend
from services.registries import demo, population
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "steppe-horse-2026"
NEWCOMER = demo.CONVICTED  # a demo person with a phone in the register and no account


def start(**overrides):
    arguments = {
        "iin": NEWCOMER,
        "email": "yerzhan@example.kz",
        "password": PASSWORD,
        "preferred_language": "ru",
        "consent_version": CONSENT_VERSION,
    }
    return signup_start(**(arguments | overrides))


def code_in(message) -> str:
    return re.search(r"\b(\d{6})\b", message.text).group(1)


def refusal(error: ValidationError, field: str) -> list[str]:
    return [e.code for e in error.error_dict[field]]


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_code_goes_to_the_registered_phone_and_the_right_code_opens_the_account(sms_outbox):
    verification = start()

    [message] = sms_outbox
    assert message.phone == population.person(NEWCOMER).phone
    assert message.idempotency_key == f"signup-{verification.id}"
    code = code_in(message)
    stored = SignupVerification.objects.get(pk=verification.pk)
    assert code not in stored.code_hash and PASSWORD not in stored.password

    user = signup_confirm(verification_id=verification.id, code=code)

    person = population.person(NEWCOMER)
    assert (user.iin, user.first_name, user.last_name) == (NEWCOMER, person.first_name, person.last_name)
    assert user.email == "yerzhan@example.kz" and user.preferred_language == "ru"
    assert user.check_password(PASSWORD)
    stored.refresh_from_db()
    assert stored.confirmed_at is not None and stored.user == user and stored.password == ""


def test_the_consent_is_recorded_with_the_version_of_the_text(sms_outbox):
    with time_machine.travel("2026-03-02 09:00 +05:00", tick=False):
        verification = start()
    with time_machine.travel("2026-03-02 09:03 +05:00", tick=False):
        user = signup_confirm(verification_id=verification.id, code=code_in(sms_outbox[0]))

    [consent] = PersonalDataConsent.objects.filter(user=user)
    assert consent.text_version == CONSENT_VERSION
    assert consent.given_at == verification.consent_given_at == verification.created_at


def test_a_wrong_code_is_refused_and_counted(sms_outbox):
    verification = start()
    wrong = other_code(code_in(sms_outbox[0]))

    with pytest.raises(ValidationError) as refused:
        signup_confirm(verification_id=verification.id, code=wrong)

    assert refusal(refused.value, "code") == ["wrong_code"]
    assert refused.value.error_dict["code"][0].params == {"count": MAX_CODE_ATTEMPTS - 1}
    assert SignupVerification.objects.get(pk=verification.pk).failed_attempts == 1
    assert not User.objects.filter(iin=NEWCOMER).exists()


def test_after_too_many_wrong_codes_even_the_right_one_is_refused(sms_outbox):
    verification = start()
    code = code_in(sms_outbox[0])
    codes = []
    for _ in range(MAX_CODE_ATTEMPTS):
        with pytest.raises(ValidationError) as refused:
            signup_confirm(verification_id=verification.id, code=other_code(code))
        codes += refusal(refused.value, "code")
    assert codes == ["wrong_code"] * (MAX_CODE_ATTEMPTS - 1) + ["too_many_attempts"]

    with pytest.raises(ValidationError) as refused:
        signup_confirm(verification_id=verification.id, code=code)
    assert refusal(refused.value, "code") == ["too_many_attempts"]
    assert not User.objects.filter(iin=NEWCOMER).exists()


def test_the_code_expires_after_ten_minutes(sms_outbox):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        verification = start()
        code = code_in(sms_outbox[0])
        clock.shift(timedelta(minutes=10, seconds=1))
        with pytest.raises(ValidationError) as refused:
            signup_confirm(verification_id=verification.id, code=code)
    assert refusal(refused.value, "code") == ["expired"]
    assert not User.objects.filter(iin=NEWCOMER).exists()


def test_a_code_works_once(sms_outbox):
    verification = start()
    code = code_in(sms_outbox[0])
    signup_confirm(verification_id=verification.id, code=code)

    with pytest.raises(ValidationError) as refused:
        signup_confirm(verification_id=verification.id, code=code)
    assert refusal(refused.value, "code") == ["start_again"]


def test_a_new_code_replaces_the_old_one(sms_outbox):
    first = start()
    old_code = code_in(sms_outbox[0])

    second = signup_resend(verification_id=first.id)

    assert len(sms_outbox) == 2 and sms_outbox[1].idempotency_key == f"signup-{second.id}"
    with pytest.raises(ValidationError):
        signup_confirm(verification_id=first.id, code=old_code)
    user = signup_confirm(verification_id=second.id, code=code_in(sms_outbox[1]))
    assert user.check_password(PASSWORD)


def test_an_iin_with_an_account_is_refused_and_no_code_is_sent(sms_outbox):
    UserFactory(iin=demo.CITIZEN)

    with pytest.raises(ValidationError) as refused:
        start(iin=demo.CITIZEN)

    assert refusal(refused.value, "iin") == ["already_registered"]
    assert sms_outbox == []


def test_an_account_opened_meanwhile_for_the_iin_wins(sms_outbox):
    verification = start()
    UserFactory(iin=NEWCOMER)

    with pytest.raises(ValidationError) as refused:
        signup_confirm(verification_id=verification.id, code=code_in(sms_outbox[0]))
    assert refusal(refused.value, "code") == ["already_registered"]
    assert not PersonalDataConsent.objects.exists()


def test_an_invalid_iin_is_refused(sms_outbox):
    with pytest.raises(ValidationError) as refused:
        start(iin=NEWCOMER[:-1] + str((int(NEWCOMER[-1]) + 1) % 10))
    assert refusal(refused.value, "iin") == ["invalid_iin"]
    assert sms_outbox == []


def test_without_a_phone_in_the_register_there_is_no_sign_up(sms_outbox):
    assert population.person(demo.CITIZEN_SON).phone == ""
    with pytest.raises(ValidationError) as refused:
        start(iin=demo.CITIZEN_SON)
    assert refusal(refused.value, "iin") == ["no_registered_phone"]
    assert sms_outbox == []


def test_every_problem_is_reported_at_once(sms_outbox):
    UserFactory(iin=demo.CITIZEN)
    with pytest.raises(ValidationError) as refused:
        start(iin=demo.CITIZEN, password="12345678", consent_version="0")
    assert set(refused.value.error_dict) == {"iin", "password", "consent_version"}
    assert "password_entirely_numeric" in refusal(refused.value, "password")
    assert sms_outbox == []


def test_a_failed_sms_is_reported_and_leaves_no_usable_code(sms_outbox):
    LocmemSmsBackend.failing = True
    with pytest.raises(ValidationError) as refused:
        start()
    assert refusal(refused.value, "__all__") == ["sms_failed"]
    assert SignupVerification.objects.get().expires_at <= timezone.now()


def test_the_phone_is_masked_except_the_operator_code_and_the_last_two_digits():
    assert phone_mask("+77012345667") == "+7 701 *** ** 67"
    assert phone_mask("") == "***"


def test_when_a_new_code_cannot_be_sent_the_old_one_keeps_working(sms_outbox):
    verification = start()
    LocmemSmsBackend.failing = True
    with pytest.raises(ValidationError) as refused:
        signup_resend(verification_id=verification.id)
    assert refusal(refused.value, "__all__") == ["sms_failed"]

    LocmemSmsBackend.failing = False
    assert signup_confirm(verification_id=verification.id, code=code_in(sms_outbox[0])).iin == NEWCOMER
