"""Conditional rules ("only if ...") and dates counted from today in the catalogue's forms."""

import copy
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from services.catalogue.forms import (
    file_fields,
    form_data_errors,
    form_rules,
    form_schema_problems,
    local_today,
    page_schema,
    shift_date,
)
from services.catalogue.loading import DEFAULT_CATALOGUE
from services.registries import demo

LANGUAGES = ("kk", "ru", "en")
CATALOGUE = json.loads(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
FORMS = {item["code"]: item["form"] for item in CATALOGUE["services"]}


def form(code):
    return copy.deepcopy(FORMS[code])


def label(code, name, language):
    return FORMS[code]["properties"][name]["x-label"][language]


def option(code, name, value, language):
    return FORMS[code]["properties"][name]["x-options"][value][language]


def in_days(days):
    return (local_today() + timedelta(days=days)).isoformat()


MISSING = {  # the existing "Fill in" message, translated
    "kk": "«{}» жолын толтырыңыз.",
    "ru": "Заполните поле «{}».",
    "en": "Fill in “{}”.",
}
UPLOAD = {"kk": "«{}» құжатын жүктеңіз.", "ru": "Загрузите «{}».", "en": "Upload “{}”."}


def assert_missing(errors, code, name, language, template=MISSING):
    assert errors.get(name) == [template[language].format(label(code, name, language))]


def assert_only_for(errors, code, name, language, other, *choices):
    """The forbidden field's message names the question and the choice(s) it is meant for, in `language`."""
    (message,) = errors[name]
    assert label(code, name, language) in message
    assert label(code, other, language) in message
    for choice in choices:
        assert choice in message
    if language == "en":
        assert "applies only when" in message


def test_every_shipped_form_is_valid_and_has_its_rules():
    for code, schema in FORMS.items():
        assert form_schema_problems(schema) == [], code
    with_rules = {code for code, schema in FORMS.items() if form_rules(schema)}
    assert with_rules == {
        "address-certificate",
        "residence-registration",
        "criminal-record-certificate",
        "vehicle-registration",
        "kindergarten-waiting-list",
    }


def test_a_rule_about_an_unknown_field_or_a_bad_date_keyword_is_refused():
    schema = form("address-certificate")
    schema["allOf"][0]["then"] = {"required": ["sibling_iin"]}
    assert any("sibling_iin" in problem for problem in form_schema_problems(schema))
    schema = form("address-certificate")
    schema["properties"]["child_iin"]["x-date-from-today"] = {"minimum": "1d"}
    assert any("x-date-from-today" in problem for problem in form_schema_problems(schema))
    schema = form("residence-registration")
    schema["properties"]["temporary_until"]["x-date-from-today"] = {"minimum": "tomorrow"}
    assert form_schema_problems(schema)


# --- address certificate: "for my child" needs the child's IIN; "for me" has none


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_certificate_for_a_child_needs_the_childs_iin(language):
    errors = form_data_errors(form("address-certificate"), {"certificate_for": "child"}, language=language)
    assert_missing(errors, "address-certificate", "child_iin", language)
    assert set(errors) == {"child_iin"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_certificate_for_oneself_takes_no_childs_iin(language):
    answers = {"certificate_for": "self", "child_iin": demo.CITIZEN_SON}
    errors = form_data_errors(form("address-certificate"), answers, language=language)
    child = option("address-certificate", "certificate_for", "child", language)
    assert_only_for(errors, "address-certificate", "child_iin", language, "certificate_for", child)
    assert set(errors) == {"child_iin"}


def test_the_address_certificate_accepts_the_good_combinations():
    schema = form("address-certificate")
    assert form_data_errors(schema, {"certificate_for": "self"}) == {}
    assert form_data_errors(schema, {"certificate_for": "child", "child_iin": demo.CITIZEN_SON}) == {}


# --- residence registration: temporary needs an end date after today; permanent has none

RESIDENCE = {"address": "г. Алматы, ул. Жибек жолы, д. 50, кв. 12", "owner_iin": demo.HOME_OWNER}


@pytest.mark.parametrize("language", LANGUAGES)
def test_temporary_registration_needs_its_end_date(language):
    answers = {**RESIDENCE, "registration_type": "temporary"}
    errors = form_data_errors(form("residence-registration"), answers, language=language)
    assert_missing(errors, "residence-registration", "temporary_until", language)
    assert set(errors) == {"temporary_until"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_temporary_registration_cannot_end_in_the_past_or_today(language):
    for end in ("2020-01-01", in_days(0)):
        answers = {**RESIDENCE, "registration_type": "temporary", "temporary_until": end}
        errors = form_data_errors(form("residence-registration"), answers, language=language)
        (message,) = errors["temporary_until"]
        assert label("residence-registration", "temporary_until", language) in message
        if language == "en":
            assert "after today" in message
        assert set(errors) == {"temporary_until"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_permanent_registration_has_no_end_date(language):
    answers = {**RESIDENCE, "registration_type": "permanent", "temporary_until": in_days(90)}
    errors = form_data_errors(form("residence-registration"), answers, language=language)
    temporary = option("residence-registration", "registration_type", "temporary", language)
    assert_only_for(errors, "residence-registration", "temporary_until", language, "registration_type", temporary)
    assert set(errors) == {"temporary_until"}


def test_residence_registration_accepts_the_good_combinations():
    schema = form("residence-registration")
    assert form_data_errors(schema, {**RESIDENCE, "registration_type": "permanent"}) == {}
    answers = {**RESIDENCE, "registration_type": "temporary", "temporary_until": in_days(1)}
    assert form_data_errors(schema, answers) == {}


def test_today_is_the_day_in_almaty_not_in_utc():
    schema = form("residence-registration")
    # 20:00 UTC on 4 December is 01:00 on 5 December in Almaty (UTC+5).
    with time_machine.travel(datetime(2026, 12, 4, 20, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        assert local_today() == date(2026, 12, 5)
        for end, refused in (("2026-12-05", True), ("2026-12-06", False)):
            answers = {**RESIDENCE, "registration_type": "temporary", "temporary_until": end}
            assert ("temporary_until" in form_data_errors(schema, answers)) is refused


# --- criminal record certificate: an apostille country only for a certificate going abroad


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_certificate_going_abroad_needs_the_apostille_country(language):
    answers = {"purpose": "visa_travel", "apostille": True}
    errors = form_data_errors(form("criminal-record-certificate"), answers, language=language)
    assert_missing(errors, "criminal-record-certificate", "apostille_country", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_apostille_country_without_going_abroad_is_refused(language):
    code = "criminal-record-certificate"
    for answers in (
        {"purpose": "employment", "apostille_country": "France"},
        {"purpose": "employment", "apostille": False, "apostille_country": "France"},
    ):
        errors = form_data_errors(form(code), answers, language=language)
        assert_only_for(errors, code, "apostille_country", language, "apostille")
        assert set(errors) == {"apostille_country"}


def test_the_criminal_record_certificate_accepts_the_good_combinations():
    schema = form("criminal-record-certificate")
    assert form_data_errors(schema, {"purpose": "employment"}) == {}
    assert form_data_errors(schema, {"purpose": "employment", "apostille": False}) == {}
    assert form_data_errors(schema, {"purpose": "visa_travel", "apostille": True, "apostille_country": "France"}) == {}


# --- vehicle registration: a gift or an inheritance names the previous owner; an import has none


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_gift_or_inheritance_needs_the_previous_owner(language):
    for basis in ("gift", "inheritance"):
        errors = form_data_errors(form("vehicle-registration"), {"ownership_basis": basis}, language=language)
        assert_missing(errors, "vehicle-registration", "previous_owner_iin", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_imported_vehicle_has_no_previous_owner_in_kazakhstan(language):
    code = "vehicle-registration"
    answers = {"ownership_basis": "import", "previous_owner_iin": demo.HOME_OWNER}
    errors = form_data_errors(form(code), answers, language=language)
    choices = [option(code, "ownership_basis", value, language) for value in ("purchase", "gift", "inheritance")]
    assert_only_for(errors, code, "previous_owner_iin", language, "ownership_basis", *choices)


def test_the_previous_owner_is_optional_for_a_purchase_and_accepted_for_a_gift():
    page = page_schema(form("vehicle-registration"), "ownership")
    assert form_data_errors(page, {"ownership_basis": "purchase"}) == {}
    assert form_data_errors(page, {"ownership_basis": "purchase", "previous_owner_iin": demo.HOME_OWNER}) == {}
    assert form_data_errors(page, {"ownership_basis": "gift", "previous_owner_iin": demo.HOME_OWNER}) == {}
    assert form_data_errors(page, {"ownership_basis": "import"}) == {}


# --- kindergarten: a priority category needs its proof; "no priority" sends none


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_priority_category_needs_its_proof(language):
    errors = form_data_errors(form("kindergarten-waiting-list"), {"priority_category": "orphan"}, language=language)
    assert_missing(errors, "kindergarten-waiting-list", "priority_proof", language, UPLOAD)


def test_a_proof_uploaded_before_choosing_no_priority_does_not_block_the_form():
    answers = {"priority_category": "none", "priority_proof": "file-1"}
    errors = form_data_errors(form("kindergarten-waiting-list"), answers, attachments={"file-1"})
    assert "priority_proof" not in errors


def _forbidden_fields(rule):
    """The fields a rule's `not: {required: [...]}` parts forbid, at any depth."""
    if isinstance(rule, dict):
        found = set(rule.get("not", {}).get("required", [])) if isinstance(rule.get("not"), dict) else set()
        return found.union(*(_forbidden_fields(value) for value in rule.values()))
    if isinstance(rule, list):
        return set().union(*(_forbidden_fields(value) for value in rule))
    return set()


def test_no_rule_forbids_a_file_question():
    """The pages keep an uploaded file as the question's answer and have no way to remove it, so a
    rule that forbids a file question would leave the draft unable to be submitted."""
    for code, schema in FORMS.items():
        assert not _forbidden_fields(schema.get("allOf", [])) & set(file_fields(schema)), code


# --- dates counted from today


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_birth_date_cannot_be_in_the_future(language):
    code = "birth-registration"
    errors = form_data_errors(form(code), {"child_birth_date": in_days(1)}, language=language)
    (message,) = errors["child_birth_date"]
    assert label(code, "child_birth_date", language) in message
    if language == "en":
        assert "in the future" in message
    for day in (in_days(0), in_days(-3)):
        assert "child_birth_date" not in form_data_errors(form(code), {"child_birth_date": day})


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_marriage_date_is_at_least_a_month_away(language):
    code = "marriage-registration"
    earliest = shift_date(local_today(), "1m")
    errors = form_data_errors(form(code), {"preferred_date": in_days(14)}, language=language)
    (message,) = errors["preferred_date"]
    assert label(code, "preferred_date", language) in message
    assert earliest.strftime("%d.%m.%Y") in message
    assert "preferred_date" not in form_data_errors(form(code), {"preferred_date": earliest.isoformat()})


def test_a_month_on_keeps_the_day_or_takes_the_months_last():
    assert shift_date(date(2027, 1, 31), "1m") == date(2027, 2, 28)
    assert shift_date(date(2026, 12, 15), "+1m") == date(2027, 1, 15)
    assert shift_date(date(2026, 12, 4), "-18y") == date(2008, 12, 4)
    assert shift_date(date(2026, 12, 4), "0d") == date(2026, 12, 4)


def test_a_wrong_date_is_reported_once_as_a_wrong_date():
    errors = form_data_errors(form("birth-registration"), {"child_birth_date": "2026-02-30"}, language="en")
    assert errors["child_birth_date"] == ["“Date of birth” must be a real date, for example 2026-03-21."]


# --- pages check the rules about their own fields only


def test_a_page_checks_the_rules_about_its_own_fields():
    address = page_schema(form("residence-registration"), "address")
    errors = form_data_errors(address, {"address": RESIDENCE["address"], "registration_type": "temporary"})
    assert set(errors) == {"temporary_until"}


def test_a_rule_that_spans_two_pages_does_not_block_either_page():
    schema = form("kindergarten-waiting-list")
    child = page_schema(schema, "child")
    assert "allOf" not in child
    assert form_data_errors(child, {"child_iin": demo.CITIZEN_DAUGHTER, "priority_category": "orphan"}) == {}
    documents = page_schema(schema, "documents")
    assert "allOf" not in documents
    assert form_data_errors(documents, {}) == {}
    # the whole form, as the submit checks it, does enforce it
    whole = {
        "child_iin": demo.CITIZEN_DAUGHTER,
        "priority_category": "orphan",
        "region": "astana",
        "preferred_start_year": local_today().year,
        "group_language": "kazakh",
    }
    assert set(form_data_errors(schema, whole)) == {"priority_proof"}


# --- a request keeps the form version it was started on


@pytest.mark.django_db
def test_loading_the_rules_makes_a_new_form_version_and_older_drafts_keep_theirs():
    from services.catalogue.loading import catalogue_load
    from services.catalogue.models import Service
    from services.workflow.service import draft_start
    from tests.factories import UserFactory

    before = copy.deepcopy(CATALOGUE)
    old = next(item for item in before["services"] if item["code"] == "address-certificate")
    del old["form"]["allOf"]
    catalogue_load(before)
    draft = draft_start(citizen=UserFactory(), service=Service.objects.get(code="address-certificate"))
    draft.form_data = {"certificate_for": "child"}  # answered on the old form, before the rule
    draft.save(update_fields=["form_data"])

    report = catalogue_load(copy.deepcopy(CATALOGUE))
    assert report.new_form_versions == ["address-certificate v2"]
    draft.refresh_from_db()
    assert draft.form_version.version == 1
    assert form_data_errors(draft.form_version.schema, draft.form_data) == {}
    assert set(form_data_errors(Service.objects.get(code="address-certificate").form.schema, draft.form_data)) == {
        "child_iin"
    }
