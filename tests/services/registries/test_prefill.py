import json
from datetime import date

import pytest

from services.catalogue.forms import METASCHEMA_PATH, form_data_errors
from services.catalogue.loading import catalogue_load_file
from services.catalogue.models import Service
from services.registries import demo
from services.registries.prefill import PREFILL_SOURCES, prefill_for
from tests.factories import ServiceFactory, UserFactory, text
from tests.services.registries.samples import random_iins

pytestmark = pytest.mark.django_db

_ADULTS_FROM = date(1940, 1, 1)


def _field(json_type="string", source="population.phone", page="p", **keywords):
    return {"type": json_type, "x-label": text("Field"), "x-page": page, "x-prefill": source, **keywords}


def _form(**fields):
    return {"type": "object", "additionalProperties": False, "x-pages": [{"id": "p", "title": text("P")}],
            "properties": fields}  # fmt: skip


def _field_errors(service, name, value):
    field = service.form.schema["properties"][name]
    return form_data_errors({"type": "object", "properties": {name: field}}, {name: value})


def test_every_prefill_key_the_metaschema_allows_has_a_source():
    metaschema = json.loads(METASCHEMA_PATH.read_text(encoding="utf-8"))
    allowed = metaschema["$defs"]["field"]["properties"]["x-prefill"]["enum"]
    assert set(PREFILL_SOURCES) == set(allowed)


def test_prefill_for_every_shipped_service_gives_only_values_its_form_accepts():
    catalogue_load_file()
    services = list(Service.objects.select_related("form"))
    citizens = [UserFactory(iin=iin) for iin in [*demo.DEMO_PEOPLE, *random_iins(40, seed=5, born_from=_ADULTS_FROM)]]
    filled = 0
    for service in services:
        prefilled_fields = {n for n, f in service.form.schema["properties"].items() if "x-prefill" in f}
        for citizen in citizens:
            answers = prefill_for(citizen=citizen, form=service.form)
            assert set(answers) <= prefilled_fields
            for name, value in answers.items():
                assert not _field_errors(service, name, value), (service.code, citizen.iin, name, value)
            filled += len(answers)
    assert filled > len(citizens) * 5


def test_the_demo_citizen_gets_every_prefilled_field_of_the_shipped_catalogue():
    catalogue_load_file()
    citizen = UserFactory(iin=demo.CITIZEN)
    for service in Service.objects.select_related("form"):
        prefilled_fields = {n for n, f in service.form.schema["properties"].items() if "x-prefill" in f}
        answers = prefill_for(citizen=citizen, form=service.form)
        assert set(answers) == prefilled_fields, service.code
        if "phone" in answers:
            assert answers["phone"] == "+77012345678"
        for name in ("region", "registry_region", "pickup_region", "registration_region"):
            if name in answers:
                assert answers[name] == "astana"


def test_values_are_converted_to_the_field_type_and_format():
    service = ServiceFactory(
        form=_form(
            iin=_field(source="population.iin", format="iin"),
            born=_field(source="population.birth_date", format="date"),
            last_name=_field(source="population.last_name"),
            patronymic=_field(source="population.patronymic"),
            home=_field(source="population.address"),
            owned=_field(source="realty.address"),
            region=_field(source="population.region", enum=["astana", "almaty_city"]),
        )
    )
    answers = prefill_for(citizen=UserFactory(iin=demo.CITIZEN), form=service.form)
    assert answers == {
        "iin": demo.CITIZEN,
        "born": "1990-01-01",
        "last_name": "Серикбаев",
        "patronymic": "Нурланович",
        "home": "г. Астана, ул. Кенесары, д. 40, кв. 15",
        "owned": "г. Астана, ул. Кенесары, д. 40, кв. 15",
        "region": "astana",
    }


def test_a_phone_is_offered_in_the_national_form_when_the_field_wants_it():
    service = ServiceFactory(form=_form(phone=_field(pattern="^8[0-9]{10}$")))
    assert prefill_for(citizen=UserFactory(iin=demo.CITIZEN), form=service.form) == {"phone": "87012345678"}


def test_a_value_the_field_would_refuse_is_left_out():
    service = ServiceFactory(
        form=_form(
            phone=_field(pattern="^\\+49[0-9]+$"),
            short=_field(source="population.address", maxLength=12),
            region=_field(source="population.region", enum=["shymkent"]),
            year=_field("integer", source="population.birth_date"),
            flag=_field("boolean", source="population.last_name"),
        )
    )
    assert prefill_for(citizen=UserFactory(iin=demo.CITIZEN), form=service.form) == {}


def test_an_integer_field_gets_a_number():
    service = ServiceFactory(form=_form(code=_field("integer", source="business.activity_code", minimum=1)))
    answers = prefill_for(citizen=UserFactory(iin=demo.ENTREPRENEUR_WITHOUT_ARREARS), form=service.form)
    assert answers == {"code": 47190}


def test_fields_the_registries_know_nothing_about_for_this_citizen_are_left_out():
    service = ServiceFactory(
        form=_form(
            activity=_field(source="business.activity_code", pattern="^[0-9]{5}$"),
            owned=_field(source="realty.address"),
            phone=_field(),
            home=_field(source="population.address"),
        )
    )
    assert set(prefill_for(citizen=UserFactory(iin=demo.OWNS_NOTHING), form=service.form)) == {"phone", "home"}
    assert set(prefill_for(citizen=UserFactory(iin=demo.CITIZEN_SON), form=service.form)) == {"home"}
    entrepreneur = UserFactory(iin=demo.ENTREPRENEUR_WITH_ARREARS)
    assert prefill_for(citizen=entrepreneur, form=service.form)["activity"] == "49410"


def test_a_citizen_with_an_invalid_iin_or_a_service_without_a_form_gets_nothing():
    service = ServiceFactory(form=_form(phone=_field(), iin=_field(source="population.iin")))
    assert prefill_for(citizen=UserFactory(iin="900101300008"), form=service.form) == {}
    service.form = None
    assert prefill_for(citizen=UserFactory(iin=demo.CITIZEN), form=service.form) == {}


def test_fields_without_a_prefill_key_are_never_touched():
    service = ServiceFactory()  # the factory's form has no x-prefill
    assert prefill_for(citizen=UserFactory(iin=demo.CITIZEN), form=service.form) == {}
