"""Searching the catalogue: every word, any case, any script, on SQLite and PostgreSQL alike."""

import copy
import json

import pytest

from services.catalogue.loading import DEFAULT_CATALOGUE, catalogue_load, catalogue_load_file
from services.catalogue.models import LifeEvent, Service, search_normalize
from services.catalogue.selectors import (
    agencies_with_counts,
    life_events_with_counts,
    life_events_with_services,
    service_passport,
    services_search,
)
from tests.factories import AgencyFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    catalogue_load_file()


def codes(**search):
    return {service.code for service in services_search(**search)}


def test_normalized_text_is_casefolded_words_with_yo_as_ye():
    assert search_normalize("  ПАСПОРТ, «Жеке» ТҰРҒЫЛЫҚТЫ ребёнок—e-mail ") == "паспорт жеке тұрғылықты ребенок e mail"


@pytest.mark.parametrize("text", ["паспорт", "ПАСПОРТ", "Паспорта"])
def test_a_russian_word_finds_the_identity_document_in_any_case(catalogue, text):
    assert codes(text=text, language="ru") == {"identity-document"}


@pytest.mark.parametrize("text", ["тұрғылықты", "ТҰРҒЫЛЫҚТЫ", "Тұрғылықты"])
def test_a_kazakh_word_with_kazakh_letters_finds_its_services_in_any_case(catalogue, text):
    found = codes(text=text, language="kk")
    assert {"residence-registration", "address-certificate"} <= found
    assert "identity-document" not in found


@pytest.mark.parametrize("text", ["әлеуметтік", "ӘЛЕУМЕТТІК"])
def test_a_kazakh_word_finds_services_by_their_agencys_name(catalogue, text):
    assert {"childbirth-benefit", "large-family-allowance"} <= codes(text=text, language="kk")


def test_upper_case_kazakh_finds_lower_case(catalogue):
    assert codes(text="ЖЕКЕ", language="kk") == {"identity-document", "individual-entrepreneur-registration"}


@pytest.mark.parametrize("text", ["entrepreneur", "ENTREPRENEUR", "Entrepreneur"])
def test_an_english_word_finds_its_service_in_english(catalogue, text):
    assert codes(text=text, language="en") == {"individual-entrepreneur-registration"}


def test_search_is_in_the_language_asked_for(catalogue):
    assert codes(text="тұрғылықты", language="ru") == set()
    assert codes(text="паспорт", language="en") == set()
    assert codes(text="passport", language="en") == {"identity-document"}


def test_every_word_must_match(catalogue):
    assert len(codes(text="справка", language="ru")) > 1
    assert codes(text="справка судимости", language="ru") == {"criminal-record-certificate"}
    assert codes(text="certificate vehicle", language="en") == {"vehicle-registration"}
    assert codes(text="certificate kindergarten", language="en") == set()


def test_yo_and_ye_are_the_same_letter(catalogue):
    assert "birth-registration" in codes(text="ребёнка", language="ru")


def test_life_event_names_are_searched_too(catalogue):
    assert "identity-document" in codes(text="выезд", language="ru")  # "Выезд за границу"


def test_filters_by_agency_and_by_life_event_combine_with_words(catalogue):
    assert codes(agency="internal-affairs", language="en") == {
        "residence-registration",
        "identity-document",
        "vehicle-registration",
        "address-certificate",
    }
    assert codes(life_event="birth-of-child", language="kk") == {
        "birth-registration",
        "childbirth-benefit",
        "large-family-allowance",
        "kindergarten-waiting-list",
        "clinic-attachment",
    }
    assert codes(life_event="moving-house", agency="internal-affairs", language="ru") == {
        "residence-registration",
        "address-certificate",
    }
    assert codes(text="справка", life_event="moving-house", language="ru") == {
        "address-certificate",
        "real-estate-rights-certificate",
    }


def test_inactive_services_are_never_found(catalogue):
    Service.objects.filter(code="identity-document").update(active=False)
    assert codes(text="паспорт", language="ru") == set()
    assert service_passport("identity-document") is None


def test_an_empty_search_lists_every_active_service_by_name(catalogue):
    names = [service.name_en for service in services_search(text="  ", language="en")]
    assert len(names) == Service.objects.filter(active=True).count()
    assert names == sorted(names)


def test_an_unknown_language_is_refused(catalogue):
    with pytest.raises(ValueError, match="unknown language"):
        services_search(text="x", language="de")


def test_filter_counts_say_how_many_results_choosing_each_option_gives(catalogue):
    agencies = {a.code: a.matching for a in agencies_with_counts(text="справка", language="ru")}
    assert agencies == {"legal-statistics-committee": 1, "internal-affairs": 1, "justice": 1}
    events = {e.code: e.matching for e in life_events_with_counts(agency="internal-affairs", language="en")}
    assert events == {"moving-house": 2, "travelling-abroad": 1, "getting-married": 1, "buying-a-car": 1}
    selected = {a.code: a.matching for a in agencies_with_counts(text="zzz", selected="justice", language="en")}
    assert selected == {"justice": 0}


def test_the_home_page_life_events_count_active_services_only(catalogue):
    Service.objects.filter(code="birth-registration").update(active=False)
    events = {e.code: e.matching for e in life_events_with_services(language="kk")}
    assert events["birth-of-child"] == 4
    LifeEvent.objects.create(code="empty", name_kk="Бос", name_ru="Пусто", name_en="Empty")
    assert "empty" not in {e.code for e in life_events_with_services(language="kk")}


def test_loading_fills_the_search_columns_and_a_second_load_changes_nothing():
    data = json.loads(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    catalogue_load(data)
    service = Service.objects.get(code="identity-document")
    assert "паспорта" in service.search_ru and "passport" in service.search_en and "куәлік" in service.search_kk
    snapshot = list(Service.objects.values().order_by("code"))
    report = catalogue_load(copy.deepcopy(data))
    assert not report.changed
    assert list(Service.objects.values().order_by("code")) == snapshot


def test_a_renamed_agency_or_life_event_updates_its_services_search_columns():
    data = json.loads(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    catalogue_load(data)
    agency = next(a for a in data["agencies"] if a["code"] == "justice")
    agency["name"]["ru"] = "Министерство юстиции (Регистрационная служба)"
    event = next(e for e in data["life_events"] if e["code"] == "buying-a-car")
    event["name"]["en"] = "Buying a motorcar"
    report = catalogue_load(data)
    assert report.updated == [
        "agency justice",
        "life event buying-a-car",
        "service vehicle-registration",
        "service real-estate-rights-certificate",
    ]
    assert codes(text="регистрационная служба", language="ru") == {"real-estate-rights-certificate"}
    assert codes(text="motorcar", language="en") == {"vehicle-registration"}
    assert not catalogue_load(data).changed


def test_a_service_made_elsewhere_becomes_findable_once_refreshed():
    service = ServiceFactory(agency=AgencyFactory(name_ru="Агентство по делам ЗАГС"), name_ru="Справка о браке")
    assert codes(text="загс", language="ru") == set()
    assert set(service.search_refresh()) == {"search_kk", "search_ru", "search_en"}
    assert codes(text="загс брак", language="ru") == {service.code}
    assert service.search_refresh() == []
