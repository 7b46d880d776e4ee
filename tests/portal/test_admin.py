import pytest

from services.accounts.totp import totp_device_ensure
from services.catalogue.loading import catalogue_load_file
from services.catalogue.models import Service
from tests.factories import ServiceRequestFactory, StaffFactory, UserFactory
from tests.otp import verified_client

pytestmark = pytest.mark.django_db


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


def test_an_administrator_sets_up_a_staff_members_authenticator_with_a_qr_code(admin_client):
    device = totp_device_ensure(user=StaffFactory())
    response = admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
