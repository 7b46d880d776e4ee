"""The benchmark score: four pillars, a supply checklist from the catalogue, reference lines from settings."""

import pytest
from django.utils import translation

from services.feedback.service import satisfaction_record
from services.metrics.score import benchmark_score, service_supply
from services.metrics.selectors import Filters
from services.metrics.service import metrics_catch_up
from tests.factories import FORM_SCHEMA, ServiceFactory, UserFactory
from tests.services.metrics.histories import at, issued_automatically, start
from tests.services.metrics.test_kpis import FEBRUARY, MONDAY

pytestmark = pytest.mark.django_db

PREFILLED = {
    **FORM_SCHEMA,
    "properties": {
        **FORM_SCHEMA["properties"],
        "phone": {**FORM_SCHEMA["properties"]["phone"], "x-prefill": "population.phone"},
    },
}


def test_the_supply_checklist_comes_from_the_catalogue():
    plain = service_supply(ServiceFactory(code="plain"))
    prefilled = service_supply(ServiceFactory(code="prefilled", form=PREFILLED))

    assert plain.items["prefilled"] == 0.0
    assert prefilled.items["prefilled"] == 1.0
    assert prefilled.value == 100.0
    assert plain.value == pytest.approx(100 * 6 / 7)


def test_a_step_in_person_keeps_a_service_from_being_fully_online():
    steps = [{"code": "biometrics", "text": {"kk": "ХҚКО", "ru": "ЦОН", "en": "Fingerprints at a centre"}}]
    visit = service_supply(ServiceFactory(code="visit", form=PREFILLED, in_person_steps=steps))

    assert visit.items["fully_online"] == 0.5
    assert visit.value == pytest.approx(100 * 6.5 / 7)


def test_the_score_is_the_mean_of_four_pillars():
    service = ServiceFactory(code="certificate", form=PREFILLED)
    request = issued_automatically(service, UserFactory(), MONDAY)
    with at(MONDAY, hour=15):
        satisfaction_record(request=request, user=request.citizen, rating=2)
    start(service, UserFactory(), MONDAY)
    metrics_catch_up()

    with translation.override("en"):
        score = benchmark_score(FEBRUARY)

    assert {p.key: p.value for p in score.pillars} == {
        "completion": 50.0,
        "timeliness": 100.0,
        "satisfaction": 0.0,
        "supply": 100.0,
    }
    assert score.total == 62.5
    assert [p.key for p in score.pillars if p.international_counterpart] == ["supply"]
    with translation.override("en"):
        assert "no international counterpart" in str(score.note)
    with translation.override("ru"):
        assert "нет международного аналога" in str(score.note)


def test_no_total_until_every_pillar_has_data():
    ServiceFactory()
    score = benchmark_score(Filters())
    assert score.total is None
    assert score.pillars[-1].value is not None


def test_reference_lines_are_configuration(settings):
    assert [(line.key, line.value) for line in benchmark_score(Filters()).reference_lines] == [
        ("eu27_average", 76.0),
        ("top25_proxy", 85.0),
        ("leader", 95.3),
    ]
    settings.METRICS_REFERENCE_LINES = [{"key": "x", "label": "X", "value": 50.0, "source": "a study"}]
    assert [(line.key, line.source) for line in benchmark_score(Filters()).reference_lines] == [("x", "a study")]
