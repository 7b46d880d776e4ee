import random
import re
from dataclasses import replace
from datetime import date

import pytest
import time_machine
from django.test import override_settings

from services.accounts.iin import iin_birth_date, iin_is_female, is_valid_iin
from services.registries import business, criminal, realty, vehicles
from services.registries.generation import SNAPSHOT_DATE, years_after
from services.registries.population import Person, Sex, age_on, person
from services.registries.regions import REGION_CODES, population_shares

CYRILLIC_WORD = re.compile(r"[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+")
PHONE = re.compile(r"\+77[0-9]{9}")
EMAIL = re.compile(r"[a-z0-9.]+@[a-z]+\.[a-z]+")


def _everything_about(iin):
    return (
        person(iin),
        criminal.criminal_record(iin),
        realty.properties_of(iin),
        business.entrepreneur(iin),
    )


def test_the_same_iin_gives_an_equal_record_on_every_call(many_iins):
    for iin in many_iins[:200]:
        assert _everything_about(iin) == _everything_about(iin)


def test_records_do_not_depend_on_call_order_the_global_random_or_the_clock(many_iins):
    sample = many_iins[:100]
    forwards = {iin: _everything_about(iin) for iin in sample}
    random.seed(1)
    with time_machine.travel(date(2031, 7, 1)):
        backwards = {iin: _everything_about(iin) for iin in reversed(sample)}
    assert backwards == forwards


def test_the_registries_never_touch_the_global_random(monkeypatch, many_iins):
    def forbidden(*args, **kwargs):
        raise AssertionError("a registry used the global random generator")

    for name in ("random", "choice", "choices", "randint", "randrange", "uniform", "triangular", "shuffle", "sample"):
        monkeypatch.setattr(random, name, forbidden)
    for iin in many_iins[:100]:
        _everything_about(iin)
    vehicles.vehicle("KMHDU41BP8U123456")


def test_the_seed_setting_decides_the_records(many_iins):
    sample = many_iins[:50]
    default = [person(iin) for iin in sample]
    with override_settings(REGISTRY_SEED="another-country"):
        other = [person(iin) for iin in sample]
    assert other != default
    assert [person(iin) for iin in sample] == default


def test_birth_date_and_sex_come_from_the_iin_digits(many_iins):
    for iin in many_iins:
        record = person(iin)
        assert record.iin == iin
        assert record.birth_date == iin_birth_date(iin)
        assert record.sex == (Sex.FEMALE if iin_is_female(iin) else Sex.MALE)


def test_names_are_cyrillic_and_fit_the_sex(many_iins):
    for record in map(person, many_iins[:2000]):
        female = record.sex == Sex.FEMALE
        assert CYRILLIC_WORD.fullmatch(record.first_name)
        assert CYRILLIC_WORD.fullmatch(record.last_name)
        assert record.last_name.endswith("а") == female
        if record.patronymic:
            assert CYRILLIC_WORD.fullmatch(record.patronymic)
            assert record.patronymic.endswith(("вна", "қызы") if female else ("вич", "ұлы"))
        assert record.full_name.startswith(f"{record.last_name} {record.first_name}")


def test_contacts_and_address_have_the_registry_formats(many_iins):
    for record in map(person, many_iins):
        adult_enough = age_on(record, SNAPSHOT_DATE) >= 14
        assert PHONE.fullmatch(record.phone) if adult_enough else record.phone == ""
        assert record.email == "" or EMAIL.fullmatch(record.email)
        assert record.address.region in REGION_CODES
        assert 10 <= len(record.address.text) <= 300
        assert record.address.locality in record.address.text


def test_children_are_valid_registered_people_born_when_the_parent_was_18_to_40(many_iins):
    parents = [record for record in map(person, many_iins[:1500]) if record.children_iins]
    assert len(parents) > 500
    for parent in parents:
        assert list(parent.children_iins) == sorted(parent.children_iins, key=iin_birth_date)
        for child_iin in parent.children_iins:
            assert is_valid_iin(child_iin)
            child = person(child_iin)
            assert isinstance(child, Person)
            assert years_after(parent.birth_date, 18) <= child.birth_date <= years_after(parent.birth_date, 40)
            assert child.birth_date <= SNAPSHOT_DATE


def test_spouses_are_valid_adults_of_the_other_sex(many_iins):
    married = [record for record in map(person, many_iins[:1500]) if record.spouse_iin]
    assert 0.4 < len(married) / 1500 < 0.6
    for record in married:
        spouse = person(record.spouse_iin)
        assert spouse is not None
        assert spouse.sex != record.sex
        assert age_on(spouse, SNAPSHOT_DATE) >= 20
        assert age_on(record, SNAPSHOT_DATE) >= 20


def test_some_people_have_four_or_more_children_and_the_young_have_none(many_iins):
    records = list(map(person, many_iins))
    adults = [r for r in records if age_on(r, SNAPSHOT_DATE) >= 30]
    large = [r for r in adults if len(r.children_iins) >= 4]
    assert 0.05 < len(large) / len(adults) < 0.25
    assert all(not r.children_iins for r in records if age_on(r, SNAPSHOT_DATE) < 18)


def test_region_shares_follow_the_population_weights_within_two_points(many_iins):
    # 5,000 people: the standard error of the largest share (about 11%) is 0.44 points, so two
    # percentage points is more than four standard errors for every region.
    counts = dict.fromkeys(REGION_CODES, 0)
    for iin in many_iins:
        counts[person(iin).address.region] += 1
    for code, share in population_shares().items():
        assert abs(counts[code] / len(many_iins) - share) < 0.02, code


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(1990, 1, 1), date(2026, 1, 1), 36),
        (date(1990, 1, 2), date(2026, 1, 1), 35),
        (date(2000, 2, 29), date(2026, 2, 28), 25),
        (date(2000, 2, 29), date(2026, 3, 1), 26),
        (date(2020, 6, 1), date(2019, 1, 1), -2),
    ],
)
def test_age_on_counts_full_years(born, day, age):
    record = replace(person("900101300007"), birth_date=born)
    assert age_on(record, day) == age
