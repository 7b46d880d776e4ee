"""Year fields counted from this year (`x-year-from-today`), so a form's limits never go stale."""

import copy
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from services.catalogue.forms import (
    YEAR_FROM_TODAY,
    form_data_errors,
    form_schema_problems,
    integer_limits,
    page_schema,
)
from services.catalogue.loading import DEFAULT_CATALOGUE

LANGUAGES = ("kk", "ru", "en")
CATALOGUE = json.loads(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
FORMS = {item["code"]: item["form"] for item in CATALOGUE["services"]}
ALMATY = ZoneInfo("Asia/Almaty")
IN_2027 = datetime(2027, 6, 1, 12, 0, tzinfo=ALMATY)
CAR = ("vehicle-registration", "vehicle", "year_of_manufacture")
KINDERGARTEN = ("kindergarten-waiting-list", "preferences", "preferred_start_year")


def form(code):
    return copy.deepcopy(FORMS[code])


def year_errors(where, year, language="en"):
    code, page, name = where
    return form_data_errors(page_schema(form(code), page), {name: year}, language=language).get(name, [])


def label(where, language):
    code, _, name = where
    return FORMS[code]["properties"][name]["x-label"][language]


def is_year_field(name, field):
    return field["type"] in ("integer", "number") and "year" in f"{name} {field['x-label']['en']}".lower()


def test_a_car_may_be_next_years_model_but_not_the_year_after():
    with time_machine.travel(IN_2027, tick=False):
        assert year_errors(CAR, 2027) == []
        assert year_errors(CAR, 2028) == []
        assert year_errors(CAR, 2029) == ["“Year of manufacture” must be 2028 or earlier."]
        assert year_errors(CAR, 1950) == []
        assert year_errors(CAR, 1949) == ["“Year of manufacture” must be 1950 or more."]


def test_a_kindergarten_start_year_is_this_year_or_a_later_one():
    with time_machine.travel(IN_2027, tick=False):
        assert year_errors(KINDERGARTEN, 2026) == ["“Year you want your child to start” must be 2027 or later."]
        assert year_errors(KINDERGARTEN, 2027) == []
        assert year_errors(KINDERGARTEN, 2034) == []
        assert year_errors(KINDERGARTEN, 2035) == ["“Year you want your child to start” must be 2034 or earlier."]


def test_the_limits_as_numbers_are_this_years():
    car = FORMS[CAR[0]]["properties"][CAR[2]]
    kindergarten = FORMS[KINDERGARTEN[0]]["properties"][KINDERGARTEN[2]]
    with time_machine.travel(IN_2027, tick=False):
        assert integer_limits(car) == (1950, 2028)
        assert integer_limits(kindergarten) == (2027, 2034)
    assert integer_limits(FORMS["unemployment-registration"]["properties"]["experience_years"]) == (0, 60)


def test_the_year_is_almatys_on_new_years_eve_in_utc():
    # 20:00 UTC on 31 December 2026 is already 1 January 2027 in Almaty (UTC+5).
    with time_machine.travel(datetime(2026, 12, 31, 20, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        assert year_errors(KINDERGARTEN, 2026) != []
        assert year_errors(CAR, 2028) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("where", "year", "limit"), [(CAR, 2029, "2028"), (KINDERGARTEN, 2026, "2027")])
def test_a_year_out_of_range_is_explained_next_to_the_field_in_the_readers_language(language, where, year, limit):
    with time_machine.travel(IN_2027, tick=False):
        (message,) = year_errors(where, year, language)
        code, _, name = where
        whole = form_data_errors(form(code), {name: year}, language=language)
    assert label(where, language) in message
    assert limit in message
    assert message in whole[name]


def test_no_year_field_has_a_calendar_year_as_a_limit():
    for code, schema in FORMS.items():
        for name, field in schema["properties"].items():
            if not is_year_field(name, field):
                continue
            for bound in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                assert not 2000 <= field.get(bound, 0) <= 2999, f"{code}.{name} has a fixed {bound}"
    # the two that had one now count from this year
    assert FORMS[CAR[0]]["properties"][CAR[2]][YEAR_FROM_TODAY] == {"maximum": 1}
    assert FORMS[KINDERGARTEN[0]]["properties"][KINDERGARTEN[2]][YEAR_FROM_TODAY] == {"minimum": 0, "maximum": 7}


def test_the_year_keyword_is_only_for_whole_numbers_in_order():
    schema = form("kindergarten-waiting-list")
    assert form_schema_problems(schema) == []
    schema["properties"]["preferred_start_year"][YEAR_FROM_TODAY] = {"minimum": "0y"}
    assert form_schema_problems(schema)
    schema["properties"]["preferred_start_year"][YEAR_FROM_TODAY] = {"minimum": 2, "maximum": 1}
    assert any("minimum above its maximum" in problem for problem in form_schema_problems(schema))
    schema = form("kindergarten-waiting-list")
    schema["properties"]["child_iin"][YEAR_FROM_TODAY] = {"minimum": 0}
    assert any(YEAR_FROM_TODAY in problem for problem in form_schema_problems(schema))


@pytest.mark.django_db
def test_loading_the_relative_years_makes_new_form_versions_and_drafts_keep_theirs():
    from services.catalogue.loading import catalogue_load
    from services.catalogue.models import Service
    from services.workflow.service import draft_start
    from tests.factories import UserFactory

    before = copy.deepcopy(CATALOGUE)
    fixed = {CAR: {"minimum": 1950, "maximum": 2026}, KINDERGARTEN: {"minimum": 2026, "maximum": 2033}}
    for (code, _, name), limits in fixed.items():
        field = next(item for item in before["services"] if item["code"] == code)["form"]["properties"][name]
        del field[YEAR_FROM_TODAY]
        field.update(limits)
    catalogue_load(before)
    draft = draft_start(citizen=UserFactory(), service=Service.objects.get(code="kindergarten-waiting-list"))

    report = catalogue_load(copy.deepcopy(CATALOGUE))
    assert sorted(report.new_form_versions) == ["kindergarten-waiting-list v2", "vehicle-registration v2"]
    draft.refresh_from_db()
    assert draft.form_version.version == 1
    assert draft.form_version.schema["properties"]["preferred_start_year"]["minimum"] == 2026
    assert (
        YEAR_FROM_TODAY
        in Service.objects.get(code="kindergarten-waiting-list").form.schema["properties"]["preferred_start_year"]
    )
