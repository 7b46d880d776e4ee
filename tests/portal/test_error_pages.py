"""With DEBUG off, 404, 403, 500 and a refused form (CSRF) are portal pages in the reader's language,
with the way on to the catalogue and "My requests"; the API keeps answering problem+json."""

import pytest
from django.test import Client

from tests.factories import ServiceRequestFactory, UserFactory

WAYS_ON = ('href="/services/"', 'href="/requests/"')


def _page(response) -> str:
    return response.content.decode()


@pytest.fixture
def citizen_client(db):
    client = Client()
    client.force_login(UserFactory())
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Page not found"), ("ru", "Страница не найдена"), ("kk", "Бет табылмады")]
)
def test_another_citizens_request_is_a_portal_404_page(citizen_client, language, heading):
    someone_elses = ServiceRequestFactory()
    response = citizen_client.get(f"/requests/{someone_elses.reference}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    page = _page(response)
    assert f"<h1>{heading}</h1>" in page
    assert f'<html lang="{language}">' in page
    assert 'class="nav"' in page and all(link in page for link in WAYS_ON)


def test_a_citizen_opening_the_staff_dashboard_gets_a_portal_403_page(citizen_client):
    response = citizen_client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    page = _page(response)
    assert "<h1>You cannot open this page</h1>" in page
    assert 'class="nav"' in page and all(link in page for link in WAYS_ON)


@pytest.mark.django_db
def test_a_form_sent_from_an_expired_page_says_to_reload_and_try_again(settings):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"username": "x"}, HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 403
    page = _page(response)
    assert "<h1>Беттің мерзімі өтті</h1>" in page
    assert "бетті қайта жүктеңіз" in page
    assert 'class="nav"' in page and all(link in page for link in WAYS_ON)
    assert settings.CSRF_COOKIE_NAME in response.cookies  # a fresh token for the next try


def test_a_server_error_is_a_portal_page_that_needs_no_database(monkeypatch):
    """No `db` fixture: the page would fail if it touched the database (or the failing view's context)."""

    def broken(**kwargs):
        raise RuntimeError("the catalogue is unreachable")

    monkeypatch.setattr("portal.views.life_events_with_services", broken)
    response = Client(raise_request_exception=False).get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 500
    page = _page(response)
    assert "<h1>Извините, у нас что-то пошло не так</h1>" in page
    assert all(link in page for link in WAYS_ON)


@pytest.mark.django_db
def test_the_api_still_answers_problem_json(citizen_client):
    response = citizen_client.get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
