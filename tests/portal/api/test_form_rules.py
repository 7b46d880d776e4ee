"""The forms' conditional rules through the API: one filing call with "submit": true is refused with
a problem+json naming the field, in the caller's language."""

import pytest
from rest_framework.test import APIClient

from services.catalogue.forms import local_today
from services.catalogue.loading import catalogue_load_file
from services.catalogue.models import Service
from services.registries import demo

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def catalogue(db):
    catalogue_load_file()


def _file(client: APIClient, code: str, answers: dict, language: str = "en"):
    body = {"service": code, "answers": answers, "submit": True}
    return client.post("/api/v1/requests/", body, format="json", HTTP_ACCEPT_LANGUAGE=language)


def _label(code: str, name: str, language: str) -> str:
    return Service.objects.get(code=code).form.schema["properties"][name]["x-label"][language]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Fill in “Child's IIN”."),
        ("ru", "Заполните поле «ИИН ребенка»."),
        ("kk", "«Баланың ЖСН» жолын толтырыңыз."),
    ],
)
def test_a_certificate_for_a_child_without_the_childs_iin_is_a_400_on_that_field(api, citizen, language, expected):
    response = _file(api, "address-certificate", {"certificate_for": "child"}, language)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {"child_iin": [expected]}


def test_permanent_registration_with_an_end_date_is_a_400_saying_whom_it_is_for(api):
    answers = {
        "address": "г. Алматы, ул. Жибек жолы, д. 50, кв. 12",
        "registration_type": "permanent",
        "temporary_until": "2099-01-01",
        "owner_iin": demo.HOME_OWNER,
    }
    response = _file(api, "residence-registration", answers)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    (message,) = response.json()["errors"]["temporary_until"]
    assert "applies only when" in message and "Temporary" in message


def test_temporary_registration_ending_in_the_past_is_a_400(api):
    answers = {
        "address": "г. Алматы, ул. Жибек жолы, д. 50, кв. 12",
        "registration_type": "temporary",
        "temporary_until": "2020-01-01",
        "owner_iin": demo.HOME_OWNER,
    }
    response = _file(api, "residence-registration", answers, "ru")
    assert response.status_code == 400
    (message,) = response.json()["errors"]["temporary_until"]
    assert _label("residence-registration", "temporary_until", "ru") in message


def test_a_rule_across_two_pages_is_enforced_by_the_submit(api, citizen):
    answers = {
        "child_iin": demo.CITIZEN_DAUGHTER,
        "priority_category": "orphan",
        "region": "astana",
        "preferred_start_year": local_today().year,
        "group_language": "kazakh",
    }
    response = _file(api, "kindergarten-waiting-list", answers)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {"priority_proof": ["Upload “Proof of a priority category”."]}
    assert not citizen.requests.exclude(state="draft").exists()


def test_the_good_combination_is_filed(api):
    response = _file(api, "address-certificate", {"certificate_for": "self"})
    assert response.status_code == 201, response.json()
