"""Sign-up pages: IIN, email, password and consent; then the code sent to the registered phone."""

import pytest
from django.urls import reverse

from services.accounts.consent import CONSENT_VERSION
from services.accounts.models import PersonalDataConsent, User
from services.registries import demo, population
from tests.factories import UserFactory
from tests.portal.accounts.conftest import field_error, sms_code

pytestmark = pytest.mark.django_db

NEWCOMER = demo.CONVICTED
PASSWORD = "steppe-horse-2026"


def answers(**overrides):
    data = {
        "iin": NEWCOMER,
        "email": "yerzhan@example.kz",
        "password": PASSWORD,
        "consent": "on",
        "consent_version": CONSENT_VERSION,
    }
    return data | overrides


def test_the_sign_up_page_asks_for_the_iin_email_password_and_consent(client):
    html = client.get(reverse("signup")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="iin"' in html and 'inputmode="numeric"' in html and 'autocomplete="username"' in html
    assert 'autocomplete="new-password"' in html and 'type="password"' in html
    assert 'type="checkbox" name="consent"' in html
    assert f'name="consent_version" value="{CONSENT_VERSION}"' in html
    assert 'name="phone"' not in html  # the phone comes from the register, never from the person


def test_a_new_citizen_signs_up_with_the_code_sent_to_the_registered_phone(client, sms_outbox):
    response = client.post(reverse("signup"), answers(iin=f"{NEWCOMER[:6]} {NEWCOMER[6:]}"), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302 and response.url == reverse("signup_code")

    [message] = sms_outbox
    phone = population.person(NEWCOMER).phone
    assert message.phone == phone
    page = client.get(reverse("signup_code")).content.decode()
    assert f"+7 {phone[2:5]} *** ** {phone[-2:]}" in page
    assert phone not in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page

    response = client.post(reverse("signup_code"), {"code": sms_code(message)})

    assert response.status_code == 302 and response.url == reverse("profile")
    user = User.objects.get(iin=NEWCOMER)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.preferred_language == "ru" and response.cookies["django_language"].value == "ru"
    assert PersonalDataConsent.objects.get(user=user).text_version == CONSENT_VERSION
    assert user.last_name in client.get(reverse("profile")).content.decode()
    assert client.get(reverse("signup_code")).url == reverse("signup")  # the sign-up is over


def test_sign_up_returns_to_the_page_the_citizen_came_from(client, sms_outbox):
    client.post(reverse("signup") + "?next=/services/", answers())
    response = client.post(reverse("signup_code"), {"code": sms_code(sms_outbox[0])})
    assert response.url == "/services/"


def test_a_wrong_code_is_shown_next_to_the_field_and_no_account_is_opened(client, sms_outbox):
    client.post(reverse("signup"), answers())
    wrong = f"{(int(sms_code(sms_outbox[0])) + 1) % 10**6:06d}"

    response = client.post(reverse("signup_code"), {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert field_error(html, "code") == "Error: The code is wrong. You can try 4 more times."
    assert 'role="alert"' in html and 'href="#id_code"' in html
    assert not User.objects.filter(iin=NEWCOMER).exists()


def test_a_new_code_can_be_sent_and_the_old_one_stops_working(client, sms_outbox):
    client.post(reverse("signup"), answers())
    old = sms_code(sms_outbox[0])

    response = client.post(reverse("signup_code_resend"))
    assert response.status_code == 302 and len(sms_outbox) == 2

    assert client.post(reverse("signup_code"), {"code": old}).status_code == 200
    new = sms_code(sms_outbox[1])
    assert client.post(reverse("signup_code"), {"code": new}).status_code == 302
    assert User.objects.filter(iin=NEWCOMER).exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ru", "Введите правильный ИИН: 12 цифр, как в удостоверении личности."),
        ("kk", "Жарамды ЖСН енгізіңіз: жеке куәлігіңіздегідей 12 цифр."),
        ("en", "Enter a valid IIN: 12 digits, as on your identity card."),
    ],
)
def test_an_invalid_iin_gets_a_message_next_to_the_field_in_the_chosen_language(client, sms_outbox, language, message):
    client.cookies["django_language"] = language
    response = client.post(reverse("signup"), answers(iin="900101300008"))

    html = response.content.decode()
    assert response.status_code == 200
    assert field_error(html, "iin").endswith(message)
    assert 'aria-describedby="id_iin-hint id_iin-error"' in html and 'aria-invalid="true"' in html
    assert sms_outbox == []


def test_an_iin_already_registered_is_refused(client, sms_outbox):
    UserFactory(iin=demo.CITIZEN)
    response = client.post(reverse("signup"), answers(iin=demo.CITIZEN), HTTP_ACCEPT_LANGUAGE="en")
    assert "An account with this IIN already exists" in field_error(response.content.decode(), "iin")
    assert sms_outbox == []


def test_without_consent_there_is_no_sign_up(client, sms_outbox):
    data = answers()
    del data["consent"]
    response = client.post(reverse("signup"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert "agree to the processing of your personal data" in field_error(response.content.decode(), "consent")
    assert sms_outbox == []


def test_codes_for_one_iin_are_rate_limited(client, sms_outbox):
    for _ in range(3):
        assert client.post(reverse("signup"), answers()).status_code == 302
    response = client.post(reverse("signup"), answers(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Too many codes were requested" in response.content.decode()
    assert len(sms_outbox) == 3
    assert client.post(reverse("signup_code_resend")).status_code == 429
    assert len(sms_outbox) == 3


def test_codes_from_one_address_are_rate_limited(client, sms_outbox, monkeypatch):
    monkeypatch.setattr("portal.accounts.views.CODE_RATE_PER_IP", "2/h")
    client.post(reverse("signup"), answers())
    client.post(reverse("signup"), answers(iin=demo.HOME_OWNER))
    assert client.post(reverse("signup"), answers(iin=demo.OWNS_NOTHING)).status_code == 429
    assert len(sms_outbox) == 2


def test_the_code_page_without_a_sign_up_in_progress_returns_to_step_one(client):
    assert client.get(reverse("signup_code")).url == reverse("signup")
    assert client.post(reverse("signup_code_resend")).url == reverse("signup")


def test_consent_to_an_older_text_is_refused_with_a_message(client, sms_outbox):
    response = client.post(reverse("signup"), answers(consent_version="2020-1"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "The consent text has changed." in html
    assert f'name="consent_version" value="{CONSENT_VERSION}"' in html
    assert sms_outbox == []


def test_password_errors_show_with_the_other_errors_in_the_first_round(client, sms_outbox):
    data = answers(email="not-an-email", password="12345678")
    del data["consent"]
    page = client.post(reverse("signup"), data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "correct format" in field_error(page, "email")
    assert "agree to the processing" in field_error(page, "consent")
    assert "entirely numeric" in field_error(page, "password")
    assert "too common" in field_error(page, "password")
    assert sms_outbox == []
