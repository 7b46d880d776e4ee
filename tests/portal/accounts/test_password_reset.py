"""Password reset by email: asked by IIN, answered the same whether or not the IIN has an account."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from services.registries import demo
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def without_csrf_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def ask(client, iin):
    return client.post(reverse("password_reset"), {"iin": iin}, HTTP_ACCEPT_LANGUAGE="en", follow=True)


def test_the_reset_link_is_emailed_and_sets_a_new_password(client):
    user = UserFactory(email="aigerim@example.kz")

    response = ask(client, user.iin)

    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
    [email] = mail.outbox
    assert email.to == ["aigerim@example.kz"]
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/\S+/)", email.body).group(1)

    form_page = client.get(link, follow=True)
    assert 'autocomplete="new-password"' in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    new = "a-fresh-steppe-password"
    done = client.post(set_password_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new)


def test_an_unknown_iin_gets_the_same_answer_and_no_email(client):
    known = ask(client, UserFactory(email="a@example.kz").iin)
    unknown = ask(client, demo.OWNS_NOTHING)

    assert unknown.redirect_chain == known.redirect_chain
    assert without_csrf_token(unknown) == without_csrf_token(known)
    assert len(mail.outbox) == 1


def test_the_email_is_in_the_language_of_the_account(client, monkeypatch):
    seen = []
    monkeypatch.setattr(
        "portal.accounts.forms.PasswordResetForm.send_mail",
        lambda self, *args, **kwargs: seen.append(translation.get_language()),
    )
    user = UserFactory(preferred_language="kk", email="a@example.kz")
    ask(client, user.iin)
    assert seen == ["kk"]


def test_a_malformed_iin_gets_a_message_next_to_the_field(client):
    response = client.post(reverse("password_reset"), {"iin": "12345"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Enter a valid IIN" in response.content.decode()
    assert mail.outbox == []


def test_a_used_link_does_not_work_again(client):
    user = UserFactory(email="a@example.kz")
    ask(client, user.iin)
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(
        set_password_url, {"new_password1": "a-fresh-steppe-password", "new_password2": "a-fresh-steppe-password"}
    )

    response = client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "This link does not work" in response.content.decode()


def test_a_fourth_link_within_the_hour_is_refused_the_same_for_any_iin(client):
    known, unknown = UserFactory(email="a@example.kz").iin, demo.OWNS_NOTHING
    for iin in (known, unknown):
        assert [ask(client, iin).status_code for _ in range(3)] == [200, 200, 200]

    refused = {iin: ask(client, iin) for iin in (known, unknown)}

    assert [response.status_code for response in refused.values()] == [429, 429]
    assert without_csrf_token(refused[known]) == without_csrf_token(refused[unknown]).replace(unknown, known)
    assert "Too many reset links were requested" in refused[known].content.decode()
    assert len(mail.outbox) == 3


def test_one_address_asking_for_many_iins_is_stopped(client):
    iins = [UserFactory(email=f"p{n}@example.kz").iin for n in range(21)]

    statuses = [ask(client, iin).status_code for iin in iins]

    assert statuses == [200] * 20 + [429]
    assert len(mail.outbox) == 20


def test_the_new_password_page_is_all_in_kazakh(client):
    user = UserFactory(email="a@example.kz")
    ask(client, user.iin)
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="kk")
    assert "Тексеру үшін құпиясөзді қайта енгізіңіз." in form_page.content.decode()

    set_password_url = form_page.redirect_chain[-1][0]
    data = {"new_password1": "a-fresh-steppe-password", "new_password2": "another-steppe-password"}
    page = client.post(set_password_url, data, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Енгізілген құпиясөздер бірдей емес." in page
    assert "verification" not in page and "match" not in page
