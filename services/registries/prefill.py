"""Pre-filling a service's form from the state registries (the EU benchmark's "authentic sources").

A form field names its source in `x-prefill` (the keys allowed are the enum of the form metaschema).
A value is offered only in a form the field accepts: converted to the field's type and checked
against the field's own schema, so a pre-filled answer never fails validation.
"""

import math
from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from services.catalogue.forms import form_data_errors
from services.registries.business import entrepreneur
from services.registries.population import person
from services.registries.realty import properties_of

if TYPE_CHECKING:
    from services.accounts.models import User
    from services.catalogue.models import FormVersion

# A source gives, for an IIN, the registry's value in the renderings a form may want, preferred
# first; nothing when the registry has no value.
PrefillSource = Callable[[str], tuple[object, ...]]


def _from_person(attribute: str) -> PrefillSource:
    read = attrgetter(attribute)

    def source(iin: str) -> tuple[object, ...]:
        record = person(iin)
        return (read(record),) if record else ()

    return source


def _phone(iin: str) -> tuple[object, ...]:
    record = person(iin)
    if not record or not record.phone:
        return ()
    # The registry writes +7XXXXXXXXXX; some forms want the national 8XXXXXXXXXX.
    return record.phone, "8" + record.phone.removeprefix("+7")


def _activity_code(iin: str) -> tuple[object, ...]:
    registration = entrepreneur(iin)
    return (registration.activity_code,) if registration else ()


def _first_property_address(iin: str) -> tuple[object, ...]:
    owned = properties_of(iin)
    return (owned[0].address.text,) if owned else ()


PREFILL_SOURCES: dict[str, PrefillSource] = {
    "population.iin": _from_person("iin"),
    "population.last_name": _from_person("last_name"),
    "population.first_name": _from_person("first_name"),
    "population.patronymic": _from_person("patronymic"),
    "population.birth_date": _from_person("birth_date"),
    "population.address": _from_person("address.text"),
    "population.region": _from_person("address.region"),
    "population.phone": _phone,
    "business.activity_code": _activity_code,
    "realty.address": _first_property_address,
}


def prefill_for(*, citizen: "User", form: "FormVersion | None") -> dict[str, Any]:
    """Answers for the fields of a form version that name a registry source, for this citizen.

    Pass the draft's own version (a draft keeps the form it was started on) or, before a draft
    exists, the service's current one. Fields whose registry has no value, or none the field
    would accept, are left out.
    """
    if form is None:
        return {}
    answers: dict[str, Any] = {}
    for name, field in form.schema["properties"].items():
        source = PREFILL_SOURCES.get(field.get("x-prefill", ""))
        if source is None:
            continue
        value = _first_accepted(field, source(citizen.iin))
        if value is not None:
            answers[name] = value
    return answers


def _first_accepted(field: dict[str, Any], renderings: tuple[object, ...]) -> Any | None:
    # The first rendering that, converted to the field's type, the field's own schema accepts.
    for rendering in renderings:
        value = _as_json_type(rendering, field.get("type", "string"))
        if value is not None and _field_accepts(field, value):
            return value
    return None


def _as_json_type(value: object, json_type: str) -> Any | None:
    if isinstance(value, date):
        value = value.isoformat()
    if json_type == "string":
        text = str(value).strip() if value is not None else ""
        return text or None
    if json_type == "boolean":
        return value if isinstance(value, bool) else None
    if isinstance(value, bool):
        return None
    if json_type == "integer":
        if isinstance(value, int):
            return value
        return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None
    if json_type == "number":
        if isinstance(value, int | float):
            return value
        try:
            number = float(str(value))
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _field_accepts(field: dict[str, Any], value: Any) -> bool:
    one_field_form = {"type": "object", "properties": {"value": field}}
    return not form_data_errors(one_field_form, {"value": value})
