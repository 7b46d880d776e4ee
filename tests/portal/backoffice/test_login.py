"""Staff log in with IIN, password and a one-time code computed from their device's secret."""

import base64
import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from services.accounts.totp import (
    totp_code_now,
    totp_device_ensure,
    totp_device_of,
    totp_enrolment_of,
    totp_enrolment_open,
    totp_time_step,
)
from services.audit.models import AuditAction, AuditEvent
from tests.factories import StaffFactory, UserFactory
from tests.otp import verified_client

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def english() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def _log_in(client: Client, user, code: str, next_url: str = ""):
    data = {"username": user.iin, "password": PASSWORD, "otp_token": code}
    return client.post(f"/backoffice/login/{next_url}", data)


def test_a_clerk_logs_in_with_the_code_from_their_authenticator():
    clerk = StaffFactory()
    device = totp_device_ensure(user=clerk)
    client = english()
    response = _log_in(client, clerk, totp_code_now(device), "?next=/backoffice/")
    assert response.status_code == 302 and response["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200


def test_a_wrong_code_or_a_missing_device_keeps_the_clerk_out():
    clerk = StaffFactory()
    device = totp_device_ensure(user=clerk)
    wrong = f"{(int(totp_code_now(device)) + 1) % 1_000_000:06d}"
    client = english()
    response = _log_in(client, clerk, wrong)
    assert response.status_code == 200
    assert "one-time code is wrong" in response.content.decode()
    assert client.get("/backoffice/").status_code == 302
    newcomer = StaffFactory()
    assert "No authenticator is set up" in _log_in(english(), newcomer, "123456").content.decode()


def test_a_code_cannot_be_used_twice_and_the_next_time_step_gives_a_fresh_one():
    clerk = StaffFactory()
    device = totp_device_ensure(user=clerk)
    step = totp_time_step(device)
    code = totp_code_now(device)
    assert _log_in(english(), clerk, code).status_code == 302
    device.refresh_from_db()
    if totp_time_step(device) == step:  # still the same time step: the same code is refused
        assert _log_in(english(), clerk, code).status_code == 200
    give_up_at = time.monotonic() + 40
    while totp_time_step(device) == step and time.monotonic() < give_up_at:
        time.sleep(0.2)
    device.refresh_from_db()
    device.throttle_reset()
    assert _log_in(english(), clerk, totp_code_now(device)).status_code == 302


def _wrong_code(device) -> str:
    return f"{(int(totp_code_now(device)) + 1) % 1_000_000:06d}"


def test_after_failed_codes_the_right_one_waits_for_the_throttle_and_says_how_long():
    clerk = StaffFactory()
    device = totp_device_ensure(user=clerk)
    with time_machine.travel(time.time(), tick=False) as traveller:
        for _attempt in range(3):  # django-otp then refuses every code for 4 seconds
            assert "one-time code is wrong" in _log_in(english(), clerk, _wrong_code(device)).content.decode()
            traveller.shift(timedelta(seconds=5))
        traveller.shift(timedelta(seconds=-5))
        client = english()
        page = _log_in(client, clerk, totp_code_now(device)).content.decode()
        assert "Too many attempts: wait 4 seconds and try again." in page
        assert 'id="id_otp_token-error"' in page and "one-time code is wrong" not in page
        assert client.get("/backoffice/").status_code == 302
        traveller.shift(timedelta(seconds=4))
        device.refresh_from_db()
        assert _log_in(client, clerk, totp_code_now(device)).status_code == 302


def test_a_newcomer_is_told_to_wait_too_when_confirming_a_new_authenticator():
    clerk = StaffFactory()
    device = totp_enrolment_open(user=clerk, by=UserFactory(is_staff=True, is_superuser=True))
    client = english()
    with time_machine.travel(time.time(), tick=False):
        _enrolment_page(client, clerk)
        client.post("/backoffice/authenticator/", {"otp_token": _wrong_code(device)})
        response = client.post("/backoffice/authenticator/", {"otp_token": totp_code_now(device)})
    assert "Too many attempts: wait 1 second and try again." in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_a_citizen_cannot_log_in_to_the_back_office():
    citizen = UserFactory()
    response = _log_in(english(), citizen, "000000")
    assert response.status_code == 200
    assert "This login is for agency staff" in response.content.decode()


def test_a_password_only_session_is_sent_to_the_staff_login():
    clerk = StaffFactory()
    client = english()
    client.force_login(clerk)
    response = client.get("/backoffice/")
    assert response.status_code == 302 and response["Location"].startswith("/backoffice/login/")


def test_missing_answers_are_each_named():
    page = english().post("/backoffice/login/", {"username": "850312401007"}).content.decode()
    assert "Enter your password." in page and "Enter the one-time code." in page
    assert "There is a problem" in page


def _enrolment_page(client, clerk):
    response = _log_in(client, clerk, "")
    assert response.status_code == 302 and response["Location"] == "/backoffice/authenticator/"
    return client.get("/backoffice/authenticator/")


def test_a_newcomer_the_administrator_lets_in_sets_up_their_authenticator_at_the_login():
    administrator, clerk = UserFactory(is_staff=True, is_superuser=True), StaffFactory()
    device = totp_enrolment_open(user=clerk, by=administrator)
    client = english()

    page = _enrolment_page(client, clerk).content.decode()
    assert "<svg" in page and "QR code of your new authenticator" in page
    secret = base64.b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert client.get("/backoffice/").status_code == 302  # not logged in yet

    wrong = client.post(
        "/backoffice/authenticator/", {"otp_token": "000000" if totp_code_now(device) != "000000" else "1"}
    )
    assert wrong.status_code == 400 and "one-time code is wrong" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # as if the wait django-otp imposes after a wrong code had passed
    confirmed = client.post("/backoffice/authenticator/", {"otp_token": totp_code_now(device)})

    assert confirmed.status_code == 302 and confirmed["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200
    assert totp_device_of(clerk) == device
    actions = list(AuditEvent.objects.order_by("pk").values_list("user", "action"))
    assert actions == [
        (administrator.pk, AuditAction.AUTHENTICATOR_SETUP_OPENED),
        (clerk.pk, AuditAction.AUTHENTICATOR_CONFIRMED),
    ]


def test_a_new_set_up_ends_the_old_authenticator_and_the_offer_lapses(settings):
    clerk = StaffFactory()
    old = totp_device_ensure(user=clerk)
    offer = totp_enrolment_open(user=clerk, by=UserFactory(is_staff=True, is_superuser=True))
    assert "one-time code is wrong" not in _log_in(english(), clerk, totp_code_now(old)).content.decode()
    assert totp_device_of(clerk) is None

    offer.created_at -= timedelta(hours=settings.TOTP_ENROLMENT_HOURS + 1)
    offer.save()

    assert "No authenticator is set up" in _log_in(english(), clerk, "").content.decode()
    assert english().get("/backoffice/authenticator/")["Location"] == "/backoffice/login/"


def test_the_set_up_page_needs_the_password_first_and_a_confirmed_clerk_still_needs_a_code():
    clerk = StaffFactory()
    totp_device_ensure(user=clerk)
    assert english().get("/backoffice/authenticator/")["Location"] == "/backoffice/login/"
    response = _log_in(english(), clerk, "")
    assert response.status_code == 200 and "Enter the one-time code." in response.content.decode()


def test_the_administrator_lets_staff_only_set_up_an_authenticator():
    clerk, citizen = StaffFactory(), UserFactory()
    administrator = verified_client(UserFactory(is_staff=True, is_superuser=True))
    response = administrator.post(
        "/admin/accounts/user/",
        {"action": "open_authenticator_setup", "_selected_action": [clerk.pk, citizen.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert totp_enrolment_of(clerk) is not None and totp_enrolment_of(citizen) is None
