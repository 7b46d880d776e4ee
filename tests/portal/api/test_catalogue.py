"""The catalogue through the API: the catalogue's own search and filters, and the service passport."""

import pytest

from tests.factories import AgencyFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    police = AgencyFactory(code="police")
    services = {
        "passport": ServiceFactory(code="passport", name_en="Passport", name_ru="Паспорт", agency=police),
        "vehicle": ServiceFactory(code="vehicle", name_en="Vehicle registration", agency=police),
        "benefit": ServiceFactory(code="benefit", name_en="Childbirth benefit", name_ru="Пособие"),
    }
    for service in services.values():
        service.search_refresh()
    return services


def _codes(response):
    assert response.status_code == 200, response.json()
    return [service["code"] for service in response.json()["results"]]


def test_list_by_name_in_the_readers_language(anonymous, catalogue):
    assert _codes(anonymous.get("/api/v1/services/")) == ["benefit", "passport", "vehicle"]


def test_filter_by_agency_and_search(anonymous, catalogue):
    assert _codes(anonymous.get("/api/v1/services/?agency=police")) == ["passport", "vehicle"]
    assert _codes(anonymous.get("/api/v1/services/?q=REGISTRATION")) == ["vehicle"]
    assert _codes(anonymous.get("/api/v1/services/?q=паспорт", HTTP_ACCEPT_LANGUAGE="ru")) == ["passport"]


def test_the_passport_has_the_form_schema_fee_and_deadlines(anonymous, catalogue):
    service = catalogue["passport"]
    body = anonymous.get("/api/v1/services/passport/").json()
    assert body["form"] == {"version": 1, "schema": service.form.schema}
    assert body["legal_deadline_days"] == service.legal_deadline_days
    assert body["fee_kzt"] == service.fee_kzt
    assert body["service_target_minutes"] == 10
    assert body["in_person_steps"] == []


def test_the_passport_lists_the_steps_taken_in_person_in_the_readers_language(anonymous):
    steps = [{"code": "biometrics", "text": {"kk": "Саусақ іздері", "ru": "Отпечатки пальцев", "en": "Fingerprints"}}]
    service = ServiceFactory(in_person_steps=steps)
    body = anonymous.get(f"/api/v1/services/{service.code}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert body["in_person_steps"] == [{"code": "biometrics", "text": "Отпечатки пальцев"}]


def test_an_unknown_or_inactive_service_is_404(anonymous, catalogue):
    catalogue["benefit"].active = False
    catalogue["benefit"].save()
    assert anonymous.get("/api/v1/services/benefit/").status_code == 404
    assert anonymous.get("/api/v1/services/nothing/").status_code == 404
