import time

import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from services.accounts.totp import totp_code_now, totp_device_ensure
from services.audit.models import AuditEvent
from services.catalogue.loading import catalogue_load_file
from services.catalogue.models import Service
from tests.factories import ServiceRequestFactory, StaffFactory, UserFactory
from tests.otp import verified_client

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.fixture
def admin_client():
    """An administrator verified by their one-time code: the admin asks for one (django-otp)."""
    return verified_client(UserFactory(is_staff=True, is_superuser=True))


def test_an_administrator_without_a_one_time_code_is_sent_to_the_admin_login(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/catalogue/service/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert "otp_token" in client.get("/admin/login/").content.decode()


def test_the_admin_manages_the_catalogue_agencies_and_staff(admin_client):
    catalogue_load_file()
    service = Service.objects.first()
    request = ServiceRequestFactory(service=service)
    for url in (
        "/admin/workflow/servicerequest/",
        f"/admin/workflow/servicerequest/{request.pk}/change/",
        "/admin/workflow/sideeffect/?status__exact=failed",
        "/admin/processing/checkresult/",
        "/admin/catalogue/service/",
        f"/admin/catalogue/service/{service.pk}/change/",
        "/admin/catalogue/agency/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/audit/accessrecord/",
        "/admin/otp_totp/totpdevice/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_a_citizen_cannot_open_the_admin(client):
    client.force_login(UserFactory())
    assert client.get("/admin/catalogue/service/").status_code == 302


def test_request_history_cannot_be_edited_in_the_admin(admin_client):
    request = ServiceRequestFactory()
    assert (
        admin_client.post(f"/admin/workflow/servicerequest/{request.pk}/change/", {"state": "issued"}).status_code
        == 403
    )
    assert admin_client.get("/admin/workflow/servicerequest/add/").status_code == 403


def test_authenticators_can_be_looked_at_in_the_admin_but_never_added_changed_or_their_keys_shown(admin_client):
    clerk = StaffFactory()
    device = totp_device_ensure(user=clerk)
    key = "3132333435363738393031323334353637383930"
    added = admin_client.post(
        "/admin/otp_totp/totpdevice/add/",
        {"user": clerk.pk, "name": "second", "confirmed": "on", "key": key, "step": 30, "t0": 0, "digits": 6},
    )
    assert added.status_code == 403
    assert list(TOTPDevice.objects.filter(user=clerk)) == [device] and not AuditEvent.objects.exists()
    changed = admin_client.post(f"/admin/otp_totp/totpdevice/{device.pk}/change/", {"key": key, "confirmed": "on"})
    assert changed.status_code == 403
    device.refresh_from_db()
    assert device.key != key
    for url in ("/admin/otp_totp/totpdevice/", f"/admin/otp_totp/totpdevice/{device.pk}/change/"):
        page = admin_client.get(url)
        assert page.status_code == 200 and device.key not in page.content.decode(), url
    for url in (f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/", f"/admin/otp_totp/totpdevice/{device.pk}/config/"):
        assert admin_client.get(url).status_code in (302, 404), url  # gone: the admin sends them to the change page
    assert admin_client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"}).status_code == 403


def _admin_log_in(client: Client, user, code: str):
    return client.post("/admin/login/?next=/admin/", {"username": user.iin, "password": PASSWORD, "otp_token": code})


def test_an_administrator_logs_in_with_iin_password_and_the_code_of_their_one_authenticator():
    administrator = UserFactory(is_staff=True, is_superuser=True)
    device = totp_device_ensure(user=administrator)
    client = Client()
    assert "otp_device" not in client.get("/admin/login/").content.decode()
    response = _admin_log_in(client, administrator, totp_code_now(device))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/catalogue/service/").status_code == 200


def test_the_admin_login_refuses_a_wrong_code_and_says_how_long_to_wait_while_throttled():
    administrator = UserFactory(is_staff=True, is_superuser=True)
    device = totp_device_ensure(user=administrator)
    wrong = f"{(int(totp_code_now(device)) + 1) % 1_000_000:06d}"
    client = Client()
    client.cookies["django_language"] = "en"
    with time_machine.travel(time.time(), tick=False):
        first = _admin_log_in(client, administrator, wrong).content.decode()
        assert "one-time code is wrong" in first
        throttled = _admin_log_in(client, administrator, totp_code_now(device)).content.decode()
    assert "Too many attempts: wait 1 second and try again." in throttled
    assert client.get("/admin/catalogue/service/").status_code == 302
    assert "No authenticator is set up" in _admin_log_in(client, UserFactory(is_staff=True), "123456").content.decode()
