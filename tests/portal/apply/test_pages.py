"""What the question pages and "Check your answers" show: errors, pre-filled answers, Change links, the declaration."""

import re

import pytest
from django.conf import settings

from services.registries import demo
from services.registries.prefill import prefill_for
from services.workflow.states import State
from services.workflow.transitions import FormInvalid
from tests.factories import UserFactory
from tests.portal.apply.support import check_url, citizen_actions, html, page_url, start

pytestmark = pytest.mark.django_db

ADDRESS = "г. Алматы, ул. Жибек жолы, д. 50, кв. 12"
OWNER_IIN_ERRORS = {
    "ru": "Поле «ИИН собственника жилья» должно содержать правильный ИИН: 12 цифр, как в удостоверении личности.",
    "kk": "«Меншік иесінің ЖСН» жарамды ЖСН болуы керек: жеке куәліктегідей 12 цифр.",
}
ADDRESS_REQUIRED = {"ru": "Заполните поле «Адрес регистрации».", "kk": "«Тіркелетін мекенжай» жолын толтырыңыз."}


def _in_language(client, language):
    citizen = UserFactory(iin=demo.CITIZEN, preferred_language=language)
    client.force_login(citizen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _error_summary(page):
    match = re.search(r'<div class="error-summary" role="alert"[^>]*>.*?</div>', page, re.S)
    assert match, "no error summary"
    return match.group(0)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_wrong_answer_is_shown_in_the_summary_and_by_the_field_keeping_what_was_typed(client, language):
    client = _in_language(client, language)
    draft, _ = start(client, "residence-registration")
    client.post(page_url(draft, "address"), {"address": ADDRESS, "registration_type": "permanent"})

    response = client.post(page_url(draft, "owner"), {"owner_iin": "12345"})
    assert response.status_code == 200
    page = html(response)
    message = OWNER_IIN_ERRORS[language]
    assert f'<a href="#f-owner_iin">{message}</a>' in _error_summary(page)
    assert re.search(rf'<p class="field__error" id="f-owner_iin-error">.*{re.escape(message)}', page)
    field = re.search(r'<input[^>]*id="f-owner_iin"[^>]*>', page).group(0)
    assert 'value="12345"' in field
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="f-owner_iin-hint f-owner_iin-error"' in field

    draft.refresh_from_db()
    assert draft.form_data == {"address": ADDRESS, "registration_type": "permanent"}
    assert citizen_actions(draft) == ["started", "step_saved"]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_missing_answer_keeps_the_other_answers_typed_on_the_page(client, language):
    client = _in_language(client, language)
    draft, first = start(client, "residence-registration")
    page = html(client.post(first, {"address": "", "registration_type": "temporary", "temporary_until": "2027-03-01"}))
    assert f'<a href="#f-address">{ADDRESS_REQUIRED[language]}</a>' in _error_summary(page)
    assert re.search(r'<input[^>]*value="temporary"\s+checked', page)
    assert 'value="2027-03-01"' in page
    assert draft.form_data == {}


def test_radios_are_a_fieldset_with_a_legend_and_every_input_has_a_label(as_citizen):
    draft, first = start(as_citizen, "residence-registration")
    page = html(as_citizen.get(first))
    assert re.search(r'<fieldset class="fieldset">\s*<legend class="fieldset__legend">Вид регистрации</legend>', page)
    for input_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page):
        assert f'<label for="{input_id}"' in page or f'<label class="choice__label" for="{input_id}"' in page
    assert re.search(r'<input[^>]*type="date"[^>]*id="f-temporary_until"', page)
    owner = html(as_citizen.get(page_url(draft, "owner")))
    assert re.search(r'id="f-owner_iin"[^>]*\s+inputmode="numeric"', owner)


def test_registry_values_are_offered_and_marked_as_from_state_records(as_citizen, citizen):
    draft, _ = start(as_citizen, "vehicle-registration")
    region = prefill_for(citizen=citizen, form=draft.form_version)["registration_region"]
    page = html(as_citizen.get(page_url(draft, "plates")))
    assert f'<option value="{region}" selected>' in page
    assert re.search(r'<label for="f-registration_region">[^<]*<span class="tag">', page)
    assert 'autocomplete="address-level1"' in page

    vehicle = html(as_citizen.get(page_url(draft, "vehicle")))
    assert 'class="tag"' not in vehicle  # nothing on this page comes from a registry
    assert re.search(r'id="f-year_of_manufacture"[^>]*\s+inputmode="numeric"', vehicle)


def test_a_saved_answer_wins_over_the_registry_and_loses_its_mark(as_citizen, citizen):
    draft, _ = start(as_citizen, "vehicle-registration")
    region = prefill_for(citizen=citizen, form=draft.form_version)["registration_region"]
    chosen = "shymkent" if region != "shymkent" else "astana"
    as_citizen.post(page_url(draft, "plates"), {"plate_option": "new_standard", "registration_region": chosen})
    page = html(as_citizen.get(page_url(draft, "plates")))
    assert f'<option value="{chosen}" selected>' in page
    assert f'<option value="{region}" selected>' not in page
    assert 'class="tag"' not in page


def test_a_change_link_leads_back_to_check_your_answers(as_citizen):
    draft, first = start(as_citizen, "residence-registration")
    as_citizen.post(first, {"address": ADDRESS, "registration_type": "permanent"})
    as_citizen.post(page_url(draft, "owner"), {"owner_iin": demo.HOME_OWNER})

    change = page_url(draft, "address", returning=True)
    assert f'href="{change}#f-address"' in html(as_citizen.get(check_url(draft)))
    page = html(as_citizen.get(change))
    assert f'<a class="back-link" href="{check_url(draft)}">' in page
    assert f'action="{change}"' in page
    response = as_citizen.post(change, {"address": "г. Астана, пр. Мангилик Ел, 8", "registration_type": "permanent"})
    assert response["Location"] == check_url(draft)
    assert "г. Астана, пр. Мангилик Ел, 8" in html(as_citizen.get(check_url(draft)))


def test_the_declaration_must_be_ticked_and_nothing_is_lost(as_citizen):
    draft, first = start(as_citizen, "criminal-record-certificate")
    as_citizen.post(first, {"purpose": "employment"})
    response = as_citizen.post(check_url(draft), {})
    assert response.status_code == 200
    page = html(response)
    assert '<a href="#declaration">' in _error_summary(page)
    assert re.search(r'<input[^>]*id="declaration"[^>]*aria-invalid="true"', page)
    assert "Для трудоустройства" in page
    draft.refresh_from_db()
    assert (draft.state, draft.form_data) == (State.DRAFT, {"purpose": "employment"})
    assert citizen_actions(draft) == ["started", "step_saved"]


def test_submitting_with_a_page_unanswered_links_to_that_page(as_citizen):
    draft, first = start(as_citizen, "residence-registration")
    as_citizen.post(first, {"address": ADDRESS, "registration_type": "permanent"})
    page = html(as_citizen.post(check_url(draft), {"declaration": "yes"}))
    link = f"{page_url(draft, 'owner', returning=True)}#f-owner_iin"
    assert f'<a href="{link}">Заполните поле «ИИН собственника жилья».</a>' in _error_summary(page)
    assert "Не указано" in page or "Not answered" in page
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_the_error_summary_lists_the_errors_in_the_order_of_the_fields_on_the_page(as_citizen, monkeypatch):
    draft, _ = start(as_citizen, "vehicle-registration")
    # The domain reports in no particular order: the summary still follows the page.
    unordered = {"year_of_manufacture": ["Year wrong"], "__all__": ["Page wrong"], "vin": ["VIN wrong"]}

    def refuse(**kwargs):
        raise FormInvalid(unordered)

    monkeypatch.setattr("portal.apply.views.draft_save_step", refuse)
    page = html(as_citizen.post(page_url(draft, "vehicle"), {"vin": "x"}))
    summary = page[page.index('class="error-summary__list"') : page.index("</ul>")]
    assert re.findall(r"<li>(?:<a href=\"([^\"]*)\">)?([^<]+)", summary) == [
        ("", "Page wrong"),
        ("#f-vin", "VIN wrong"),
        ("#f-year_of_manufacture", "Year wrong"),
    ]
