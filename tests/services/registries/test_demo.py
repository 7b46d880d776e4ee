from datetime import date

import pytest
from django.test import override_settings

from services.accounts.demo import DEMO_ACCOUNTS
from services.accounts.iin import iin_birth_date, iin_is_female, is_valid_iin
from services.registries import demo
from services.registries.business import entrepreneur
from services.registries.criminal import CriminalRecordKind, criminal_record
from services.registries.population import Sex, person
from services.registries.realty import PropertyKind, properties_of, property_by_cadastral_number, property_owned_at
from services.registries.vehicles import vehicle


def test_the_demo_citizen_is_the_one_of_the_demo_accounts():
    citizens = [account.iin for account in DEMO_ACCOUNTS if account.role == "citizen"]
    assert citizens == [demo.CITIZEN] == ["900101300007"]


def test_demo_people_have_valid_iins_whose_digits_match_their_records():
    for iin, record in demo.DEMO_PEOPLE.items():
        assert is_valid_iin(iin)
        assert record.iin == iin
        assert record.birth_date == iin_birth_date(iin)
        assert record.sex == (Sex.FEMALE if iin_is_female(iin) else Sex.MALE)


def test_demo_records_do_not_depend_on_the_seed():
    people = {iin: person(iin) for iin in demo.DEMO_PEOPLE}
    with override_settings(REGISTRY_SEED="another-country"):
        assert {iin: person(iin) for iin in demo.DEMO_PEOPLE} == people
        assert criminal_record(demo.CONVICTED).kind == CriminalRecordKind.CONVICTION


def test_the_demo_citizen_is_clean_owns_his_flat_in_astana_is_married_with_two_children_and_has_no_business():
    citizen = person("900101300007")
    assert (citizen.last_name, citizen.first_name, citizen.birth_date) == ("Серикбаев", "Айдос", date(1990, 1, 1))
    assert criminal_record("900101300007") is None
    assert entrepreneur("900101300007") is None
    [flat] = properties_of("900101300007")
    assert flat.kind == PropertyKind.APARTMENT
    assert flat.address == citizen.address
    assert flat.address.region == "astana"
    assert property_owned_at("900101300007", "г. Астана, ул. Кенесары, д. 40, кв. 15") == flat
    assert property_by_cadastral_number("900101300007", "21:320:045:123:1/15") == flat
    assert citizen.spouse_iin == "920315400010"
    assert citizen.children_iins == ("160520500021", "190902600034")


def test_the_demo_family_is_consistent_both_ways():
    citizen = person(demo.CITIZEN)
    spouse = person(citizen.spouse_iin)
    assert spouse.spouse_iin == demo.CITIZEN
    assert spouse.children_iins == citizen.children_iins
    assert spouse.address == citizen.address
    for child in map(person, citizen.children_iins):
        assert child.address == citizen.address
        assert child.last_name.startswith("Серикбаев")
        assert child.patronymic.startswith("Айдос")


def test_one_demo_person_has_a_conviction_and_one_only_a_flag_for_a_manual_check():
    conviction = criminal_record("850714300117")
    assert conviction.kind == CriminalRecordKind.CONVICTION
    assert conviction.article == "188"
    assert not conviction.needs_manual_check
    flag = criminal_record("781103400129")
    assert flag.kind == CriminalRecordKind.NEEDS_MANUAL_CHECK
    assert flag.needs_manual_check


def test_the_demo_home_owner_owns_the_flat_named_in_residence_registration_and_another_owns_nothing():
    flat = property_owned_at("650422400213", "г. Алматы, ул. Жибек жолы, д. 50, кв. 12")
    assert flat is not None
    assert flat.owner_iin == "650422400213"
    assert len(properties_of("650422400213")) == 2
    assert properties_of("010210500224") == []
    assert property_owned_at("010210500224", "г. Алматы, ул. Жибек жолы, д. 50, кв. 12") is None


def test_one_demo_entrepreneur_owes_tax_and_one_does_not():
    owing = entrepreneur("800630300313")
    assert owing.has_tax_arrears
    assert owing.tax_arrears_kzt == 187_450
    clear = entrepreneur("881205400322")
    assert clear is not None
    assert not clear.has_tax_arrears


def test_the_large_family_mother_has_four_registered_children_the_youngest_a_newborn():
    mother = person("830819400418")
    assert len(mother.children_iins) == 4
    assert all(person(child).address == mother.address for child in mother.children_iins)
    assert person("251005600456").birth_date == date(2025, 10, 5)


def test_one_demo_vehicle_is_clean_and_one_is_stolen():
    clean = vehicle("XTA219070K0123456")
    assert (clean.make_model, clean.year, clean.owner_iin) == ("Lada Granta", 2019, "650422400213")
    assert not clean.stolen
    assert not clean.encumbered
    assert vehicle("JTDBR32E520012345").stolen


@pytest.mark.parametrize(
    "table",
    [
        demo.DEMO_CRIMINAL_RECORDS,
        demo.DEMO_PROPERTIES,
        demo.DEMO_ENTREPRENEURS,
    ],
)
def test_every_demo_person_is_pinned_in_every_registry(table):
    assert set(table) == set(demo.DEMO_PEOPLE)


def test_the_guide_covers_every_demo_person_except_children_and_every_demo_vehicle():
    guided = {entry.key for entry in demo.DEMO_GUIDE}
    children = {child for p in demo.DEMO_PEOPLE.values() for child in p.children_iins}
    assert guided == (set(demo.DEMO_PEOPLE) - children) | set(demo.DEMO_VEHICLES)
    table = demo.demo_guide_markdown()
    assert table.startswith("| IIN / VIN | Who | What to expect |")
    assert all(f"`{key}`" in table for key in guided)
