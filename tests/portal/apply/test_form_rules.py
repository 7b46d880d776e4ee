"""The forms' conditional rules on the apply pages: a page checks the rules about its own questions,
"Check your answers" enforces every rule and links the message to the question's page."""

from datetime import timedelta

import pytest
from django.utils.html import escape

from services.catalogue.forms import local_today
from services.registries import demo
from services.workflow.states import State
from tests.portal.apply.support import check_url, html, page_url, start
from tests.uploads import pdf

pytestmark = pytest.mark.django_db

ADDRESS = "г. Алматы, ул. Жибек жолы, д. 50, кв. 12"


def test_temporary_registration_without_an_end_date_is_refused_on_its_page(as_citizen):
    draft, first = start(as_citizen, "residence-registration")
    response = as_citizen.post(first, {"address": ADDRESS, "registration_type": "temporary", "temporary_until": ""})
    assert response.status_code == 200
    page = html(response)
    message = "Заполните поле «Дата окончания временной регистрации»."
    assert f'<a href="#f-temporary_until">{escape(message)}</a>' in page
    assert "Обязательно для временной регистрации" in page  # the hint says when it applies
    draft.refresh_from_db()
    assert draft.form_data == {}


def test_an_end_date_in_the_past_is_refused(as_citizen):
    draft, first = start(as_citizen, "residence-registration")
    page = html(
        as_citizen.post(first, {"address": ADDRESS, "registration_type": "temporary", "temporary_until": "2020-01-01"})
    )
    assert 'href="#f-temporary_until"' in page
    draft.refresh_from_db()
    assert draft.form_data == {}


def test_permanent_registration_with_an_end_date_is_refused_saying_it_is_for_temporary(as_citizen):
    draft, first = start(as_citizen, "residence-registration")
    until = (local_today() + timedelta(days=60)).isoformat()
    page = html(
        as_citizen.post(first, {"address": ADDRESS, "registration_type": "permanent", "temporary_until": until})
    )
    assert 'href="#f-temporary_until"' in page
    assert "«Временная»" in page or "“Временная”" in page
    draft.refresh_from_db()
    assert draft.form_data == {}

    response = as_citizen.post(first, {"address": ADDRESS, "registration_type": "permanent", "temporary_until": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.form_data == {"address": ADDRESS, "registration_type": "permanent"}


def test_a_rule_about_a_later_page_does_not_block_the_earlier_page_and_submit_enforces_it(as_citizen):
    draft, first = start(as_citizen, "kindergarten-waiting-list")
    response = as_citizen.post(first, {"child_iin": demo.CITIZEN_DAUGHTER, "priority_category": "orphan"})
    assert response["Location"] == page_url(draft, "preferences")
    preferences = {"region": "astana", "preferred_start_year": str(local_today().year), "group_language": "kazakh"}
    response = as_citizen.post(page_url(draft, "preferences"), preferences)
    assert response["Location"] == page_url(draft, "documents")
    response = as_citizen.post(page_url(draft, "documents"), {})
    assert response["Location"] == check_url(draft)

    check = html(as_citizen.post(check_url(draft), {"declaration": "yes"}))
    link = f"{page_url(draft, 'documents', returning=True)}#f-priority_proof"
    assert f'href="{link}"' in check
    assert escape("Загрузите «Документ, подтверждающий право на льготу».") in check
    draft.refresh_from_db()
    assert draft.state == State.DRAFT

    as_citizen.post(page_url(draft, "documents", returning=True), {"priority_proof": pdf("orphan.pdf")})
    response = as_citizen.post(check_url(draft), {"declaration": "yes"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state != State.DRAFT


def test_the_apostille_country_is_asked_with_the_question_it_depends_on(as_citizen):
    draft, first = start(as_citizen, "criminal-record-certificate")
    page = html(as_citizen.get(first))
    assert 'type="checkbox"' in page and 'name="apostille"' in page
    page = html(as_citizen.post(first, {"purpose": "employment", "apostille_country": "Франция"}))
    assert 'href="#f-apostille_country"' in page
    page = html(as_citizen.post(first, {"purpose": "visa_travel", "apostille": "true"}))
    assert escape("Заполните поле «Страна, для которой нужен апостиль».") in page
    response = as_citizen.post(first, {"purpose": "visa_travel", "apostille": "true", "apostille_country": "Франция"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.form_data == {"purpose": "visa_travel", "apostille": True, "apostille_country": "Франция"}


def test_a_car_year_after_next_is_refused_next_to_the_field_and_the_input_states_no_fixed_limit(as_citizen):
    draft, first = start(as_citizen, "vehicle-registration")
    next_year = local_today().year + 1
    answers = {"vin": demo.CLEAN_VIN, "make_model": "Lada Granta", "year_of_manufacture": str(next_year + 1)}
    response = as_citizen.post(first, answers)
    assert response.status_code == 200
    page = html(response)
    assert 'href="#f-year_of_manufacture"' in page
    assert 'id="f-year_of_manufacture-error"' in page
    error = page.split('id="f-year_of_manufacture-error"', 1)[1].split("</p>", 1)[0]
    assert "Год выпуска" in error and str(next_year) in error
    field = page.split('id="f-year_of_manufacture"', 1)[1].split(">", 1)[0]
    assert " min=" not in field and " max=" not in field  # the limits are the validator's, counted from today
    draft.refresh_from_db()
    assert draft.form_data == {}

    answers["year_of_manufacture"] = str(next_year)
    assert as_citizen.post(first, answers)["Location"] == page_url(draft, "ownership")
