"""The profile page: the preferred language (which also switches the portal's language) and the email."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_profile_needs_a_login(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('profile')}"


def test_changing_the_language_saves_it_and_switches_the_portal(client):
    user = UserFactory(preferred_language="kk", email="a@example.kz")
    client.force_login(user)
    client.cookies["django_language"] = "kk"

    response = client.post(reverse("profile"), {"preferred_language": "ru", "email": "b@example.kz"})

    assert response.status_code == 302 and response.cookies["django_language"].value == "ru"
    user.refresh_from_db()
    assert (user.preferred_language, user.email) == ("ru", "b@example.kz")
    page = client.get(reverse("profile")).content.decode()
    assert '<html lang="ru">' in page
    assert 'value="ru" lang="ru" checked' in page


def test_a_missing_email_is_shown_next_to_the_field(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    response = client.post(reverse("profile"), {"preferred_language": "en", "email": ""}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200 and "Enter your email address." in html and 'href="#id_email"' in html


def test_the_profile_shows_the_iin_and_a_log_out_button(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get(reverse("profile")).content.decode()
    assert user.iin in html and f'action="{reverse("logout")}"' in html
