"""Staff log in with IIN, password and a one-time code computed from their device's secret."""

import time

import pytest
from django.test import Client

from services.accounts.totp import totp_code_now, totp_device_ensure, totp_time_step
from tests.factories import StaffFactory, UserFactory

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
