import json
import random

import pytest
from django.utils import translation

from services.catalogue.loading import DEFAULT_CATALOGUE
from services.registries.regions import (
    CITY_CODES,
    REGION_CODES,
    REGIONS,
    draw_region,
    population_shares,
    region_by_code,
)


def _region_fields():
    catalogue = json.loads(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    return [
        (service["code"], name, field)
        for service in catalogue["services"]
        for name, field in service["form"]["properties"].items()
        if field.get("x-prefill") == "population.region"
    ]


def test_there_are_17_regions_and_3_cities_of_republican_significance():
    assert len(REGIONS) == 20
    assert len(set(REGION_CODES)) == 20
    assert {r.code for r in REGIONS if r.is_city} == CITY_CODES == {"astana", "almaty_city", "shymkent"}


def test_the_catalogue_region_fields_use_exactly_these_codes_and_names():
    fields = _region_fields()
    assert fields, "the catalogue has no region field to pre-fill"
    for service, name, field in fields:
        assert tuple(field["enum"]) == REGION_CODES, f"{service}.{name}"
        for code, label in field["x-options"].items():
            region = region_by_code(code)
            assert label == {"kk": region.name_kk, "ru": region.name_ru, "en": region.name_en}, f"{service}.{name}"


def test_population_weights_are_those_of_the_reference():
    shares = population_shares()
    assert sum(r.population_millions for r in REGIONS) == pytest.approx(19.75)
    assert sum(shares.values()) == pytest.approx(1)
    assert max(shares, key=shares.get) == "almaty_city"
    assert min(shares, key=shares.get) == "ulytau"


def test_draw_region_follows_the_weights():
    rng = random.Random(7)
    draws = [draw_region(rng).code for _ in range(20_000)]
    for code, share in population_shares().items():
        assert draws.count(code) / len(draws) == pytest.approx(share, abs=0.01)


def test_a_region_name_follows_the_active_language():
    region = region_by_code("akmola")
    with translation.override("kk"):
        assert region.name == "Ақмола облысы"
    with translation.override("en"):
        assert region.name == "Akmola Region"


def test_cadastre_codes_are_two_digits_and_unique():
    codes = [r.cadastre_code for r in REGIONS]
    assert len(set(codes)) == len(codes)
    assert all(1 <= code <= 99 for code in codes)


def test_an_unknown_region_code_is_a_key_error():
    with pytest.raises(KeyError):
        region_by_code("atlantis")
