import json
import random
import re

import pytest

from services.accounts.iin import iin_birth_date, is_valid_iin
from services.catalogue.loading import DEFAULT_CATALOGUE
from services.registries.business import entrepreneur
from services.registries.criminal import CriminalRecordKind, criminal_record
from services.registries.generation import SNAPSHOT_DATE, years_after
from services.registries.population import age_on, person
from services.registries.realty import PropertyKind, properties_of, property_by_cadastral_number, property_owned_at
from services.registries.vehicles import vehicle

VIN_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def _field_pattern(service_code, field_name):
    catalogue = json.loads(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    service = next(s for s in catalogue["services"] if s["code"] == service_code)
    return re.compile(service["form"]["properties"][field_name]["pattern"])


def _share(found, among):
    return len(found) / len(among)


# --- criminal records -----------------------------------------------------------------------


def test_about_three_percent_of_adults_have_a_record_some_of_them_only_a_flag(adult_iins):
    records = [r for r in map(criminal_record, adult_iins) if r is not None]
    assert 0.02 < _share(records, adult_iins) < 0.04
    kinds = {r.kind for r in records}
    assert kinds == {CriminalRecordKind.CONVICTION, CriminalRecordKind.NEEDS_MANUAL_CHECK}


def test_records_are_dated_after_the_age_of_responsibility_and_flags_cite_no_article(adult_iins):
    for record in filter(None, map(criminal_record, adult_iins)):
        assert years_after(iin_birth_date(record.iin), 16) <= record.recorded_on <= SNAPSHOT_DATE
        assert record.summary
        if record.needs_manual_check:
            assert record.article == ""
        else:
            assert record.article.isdigit()


def test_children_have_no_criminal_record(many_iins):
    children = [iin for iin in many_iins if age_on(person(iin), SNAPSHOT_DATE) < 16]
    assert children
    assert not any(map(criminal_record, children))


# --- real estate ----------------------------------------------------------------------------


def test_about_sixty_percent_of_adults_own_one_or_two_properties(adult_iins):
    holdings = [properties_of(iin) for iin in adult_iins]
    owners = [h for h in holdings if h]
    assert 0.55 < _share(owners, adult_iins) < 0.65
    assert {len(h) for h in owners} == {1, 2}


def test_properties_carry_their_owner_and_a_cadastral_number_the_form_accepts(adult_iins):
    pattern = _field_pattern("real-estate-rights-certificate", "cadastral_number")
    for iin in adult_iins[:1500]:
        for found in properties_of(iin):
            assert found.owner_iin == iin
            assert pattern.fullmatch(found.cadastral_number)
            assert (found.kind == PropertyKind.APARTMENT) == (found.address.apartment is not None)
            assert found.area_sq_m > 0


def test_most_owners_live_in_their_first_property(adult_iins):
    owners = [iin for iin in adult_iins if properties_of(iin)]
    at_home = [iin for iin in owners if properties_of(iin)[0].address == person(iin).address]
    assert _share(at_home, owners) > 0.75


def test_a_property_is_found_by_its_owner_and_address_written_loosely(adult_iins):
    owner = next(iin for iin in adult_iins if properties_of(iin))
    owned = properties_of(owner)[0]
    loosely = "  " + owned.address.text.upper().replace(", ", " ,  ").replace(". ", ".") + ". "
    assert property_owned_at(owner, loosely) == owned
    assert property_owned_at(owner, owned.address.text + " 2") is None
    someone_else = next(iin for iin in adult_iins if not properties_of(iin))
    assert property_owned_at(someone_else, owned.address.text) is None


def test_a_property_is_found_by_its_owner_and_cadastral_number(adult_iins):
    owner = next(iin for iin in adult_iins if properties_of(iin))
    owned = properties_of(owner)[0]
    assert property_by_cadastral_number(owner, owned.cadastral_number) == owned
    assert property_by_cadastral_number(owner, owned.cadastral_number.replace(":", "-")) == owned
    assert property_by_cadastral_number(owner, "99:999:999:9") is None


def test_minors_own_nothing(many_iins):
    assert not any(properties_of(iin) for iin in many_iins if age_on(person(iin), SNAPSHOT_DATE) < 18)


# --- individual entrepreneurs ---------------------------------------------------------------


def test_some_adults_are_entrepreneurs_and_some_of_them_owe_tax(adult_iins):
    registered = [e for e in map(entrepreneur, adult_iins) if e is not None]
    assert 0.06 < _share(registered, adult_iins) < 0.10
    owing = [e for e in registered if e.has_tax_arrears]
    assert 0.1 < _share(owing, registered) < 0.3
    assert all(e.tax_arrears_kzt == 0 for e in registered if not e.has_tax_arrears)


def test_an_entrepreneur_registered_as_an_adult_with_an_activity_code_the_form_accepts(adult_iins):
    pattern = _field_pattern("individual-entrepreneur-registration", "activity_code")
    for record in filter(None, map(entrepreneur, adult_iins)):
        assert years_after(iin_birth_date(record.iin), 18) <= record.registered_on <= SNAPSHOT_DATE
        assert pattern.fullmatch(record.activity_code)
        assert record.trade_name.startswith("ИП ")


# --- vehicles -------------------------------------------------------------------------------


def _random_vins(count):
    rng = random.Random(17)
    return ["".join(rng.choice(VIN_ALPHABET) for _ in range(17)) for _ in range(count)]


def test_a_vin_gives_the_same_vehicle_every_time_with_a_plausible_owner():
    vins = _random_vins(2000)
    found = [vehicle(vin) for vin in vins]
    assert found == [vehicle(vin) for vin in vins]
    owned = [v for v in found if v.owner_iin]
    assert 0.75 < _share(owned, found) < 0.95
    assert all(is_valid_iin(v.owner_iin) and person(v.owner_iin) for v in owned)
    assert 0 < _share([v for v in found if v.stolen], found) < 0.02
    assert all(1980 <= v.year <= SNAPSHOT_DATE.year for v in found)


def test_the_make_and_year_follow_the_vin_where_it_says_them():
    toyota = vehicle("JTDBE32K720123456")
    assert toyota.make == "Toyota"
    assert toyota.year == 2002  # tenth character "2"
    assert vehicle("KMHDU41BPGU123456").year == 2016  # "G"
    assert vehicle("KMHDU41BPWU123456").year == 1998  # "W": 2028 is after the snapshot
    assert vehicle("XTA21907080123456").make_model.startswith("Lada ")


@pytest.mark.parametrize(
    "vin",
    ["", "JTDBE32K72012345", "JTDBE32K7201234567", "JTDBE32K72012345I", "JTDBE32K72012345O", "jtdbe32k720123456"],
)
def test_a_malformed_vin_is_not_in_the_register(vin):
    assert vehicle(vin) is None


# --- invalid IINs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "iin",
    [
        "",
        "90010130000",  # 11 digits
        "9001013000070",  # 13 digits
        "900101300008",  # wrong check digit
        "901301300007",  # month 13
        "900101700007",  # no century digit 7
        "90010130000a",
        "９００１０１３０００７",  # full-width digits
        " 900101300007",
    ],
)
def test_an_invalid_iin_has_no_record_in_any_registry(iin):
    assert person(iin) is None
    assert criminal_record(iin) is None
    assert properties_of(iin) == []
    assert property_owned_at(iin, "г. Астана, ул. Кенесары, д. 40, кв. 15") is None
    assert property_by_cadastral_number(iin, "21:320:045:123:1/15") is None
    assert entrepreneur(iin) is None
