"""Log in with IIN and password, log out, and the lockout after repeated failures (django-axes)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory
from tests.portal.accounts.conftest import field_error

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # UserFactory's


def log_in(client, iin, password=PASSWORD, next_url=None, **extra):
    data = {"username": iin, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data, **extra)


def test_the_login_page_asks_for_the_iin_and_the_password(client):
    html = client.get(reverse("login") + "?next=/services/").content.decode()
    assert (
        '<label for="id_username">IIN</label>'
        in client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert 'autocomplete="username"' in html and 'inputmode="numeric"' in html
    assert 'autocomplete="current-password"' in html
    assert 'name="next" value="/services/"' in html and 'name="csrfmiddlewaretoken"' in html


def test_a_citizen_logs_in_with_iin_and_password_and_the_portal_switches_to_their_language(client):
    user = UserFactory(preferred_language="ru")
    client.cookies["django_language"] = "kk"
    session = client.session
    session["before-login"] = True
    session.save()

    response = log_in(client, user.iin)

    assert response.status_code == 302 and response.url == "/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert response.cookies["django_language"].value == "ru"
    assert client.session.session_key != session.session_key  # rotated on login
    assert client.session["before-login"]


def test_after_login_the_citizen_returns_to_the_page_they_asked_for(client):
    user = UserFactory()
    assert log_in(client, user.iin, next_url="/services/").url == "/services/"


def test_a_next_address_on_another_site_is_ignored(client):
    user = UserFactory()
    assert log_in(client, user.iin, next_url="https://evil.example/").url == "/"


def test_a_wrong_password_is_refused_with_a_message(client):
    user = UserFactory()
    response = log_in(client, user.iin, "wrong password", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "The IIN or the password is wrong." in html and 'role="alert"' in html


def test_an_empty_iin_gets_a_message_next_to_the_field(client):
    response = client.post(reverse("login"), {"username": "", "password": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert field_error(response.content.decode(), "username") == "Error: Enter your IIN."


def test_logging_out_takes_a_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == "/"
    assert "_auth_user_id" not in client.session


@override_settings(AXES_LOCKOUT_CALLABLE="portal.accounts.views.lockout")
def test_five_failed_logins_lock_the_iin_out_with_a_clear_message(client):
    user = UserFactory()
    responses = [log_in(client, user.iin, "wrong password", HTTP_ACCEPT_LANGUAGE="en") for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]

    response = log_in(client, user.iin, HTTP_ACCEPT_LANGUAGE="en")  # even the right password now
    html = response.content.decode()
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert "Logging in is paused" in html
    assert "blocked for 15 minutes" in html
    assert reverse("password_reset") in html


@override_settings(AXES_LOCKOUT_CALLABLE="portal.accounts.views.lockout")
def test_the_lockout_page_speaks_russian(client):
    user = UserFactory()
    for _ in range(5):
        response = log_in(client, user.iin, "wrong password", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 429
    assert '<html lang="ru">' in response.content.decode()
