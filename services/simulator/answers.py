"""A simulated citizen's answers to a form's pages, made from the form's own JSON Schema.

The registries' values come first (the pages show them pre-filled and the citizen keeps them);
then each required question gets an answer of its type that the schema accepts, taken from the
citizen's register record where the question is about them (their children, spouse, property).
Optional questions are left empty, as most people leave them.
"""

import io
import random
import string
from datetime import date, timedelta
from typing import Any

from django.core.files.base import File
from django.utils import timezone
from pypdf import PdfWriter

from services.accounts.iin import make_iin
from services.accounts.models import User
from services.attachments.models import Purpose
from services.attachments.service import attachment_upload
from services.catalogue.forms import date_limits, integer_limits, page_fields
from services.registries import realty
from services.registries.records import Person
from services.workflow.models import ServiceRequest


def _blank_a4_pdf() -> bytes:
    """A one-page PDF: the upload check opens what it is given, so a scan must be a real document."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


SCANNED_PDF = _blank_a4_pdf()
_VIN_CHARACTERS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def page_answers(
    rng: random.Random, *, draft: ServiceRequest, user: User, person: Person, page: str, prefilled: dict[str, Any]
) -> dict[str, Any]:
    """Answers for one page of the draft's form: pre-filled values kept, required questions answered."""
    schema = draft.form_version.schema
    required = set(schema.get("required", ()))
    answers: dict[str, Any] = {}
    for name in page_fields(schema, page):
        field = schema["properties"][name]
        if name in prefilled:
            answers[name] = prefilled[name]
        elif name in required:
            answers[name] = _answer(rng, draft=draft, user=user, person=person, name=name, field=field)
    return answers


def _answer(rng: random.Random, *, draft: ServiceRequest, user: User, person: Person, name: str, field: dict) -> Any:
    if field.get("format") == "attachment":
        upload = File(io.BytesIO(SCANNED_PDF), name=f"{name}.pdf")
        return str(attachment_upload(request=draft, user=user, file=upload, purpose=Purpose.FORM, field=name).public_id)
    if "enum" in field:
        return field["enum"][0]
    if field.get("type") == "integer":
        low, _high = integer_limits(field)
        return low if low is not None else 0
    if field.get("format") == "iin":
        return _iin_answer(rng, person=person, name=name)
    if field.get("format") == "date":
        return _date_answer(name=name, field=field).isoformat()
    return _text_answer(rng, person=person, name=name, field=field)


def _iin_answer(rng: random.Random, *, person: Person, name: str) -> str:
    """The IIN a question asks for: the citizen's own child, spouse or self; else a valid other person."""
    if name.startswith("child") and person.children_iins:
        return person.children_iins[0]
    if name.startswith("owner"):
        return person.iin
    if name in {"partner_iin", "other_parent_iin"} and person.spouse_iin:
        return person.spouse_iin
    born = person.birth_date + timedelta(days=rng.randint(-2000, 2000))
    return make_iin(born, female=rng.random() < 0.5, serial=rng.randrange(10000))


def _text_answer(rng: random.Random, *, person: Person, name: str, field: dict) -> str:
    pattern = field.get("pattern", "")
    if pattern.startswith("^KZ"):
        return "KZ" + "".join(rng.choices(string.digits, k=18))
    if "A-HJ-NPR-Z" in pattern:
        return "".join(rng.choices(_VIN_CHARACTERS, k=17))
    if pattern == "^[0-9]{5}$":
        return "47111"
    if "address" in name:
        owned = realty.properties_of(person.iin)
        return owned[0].address.text if owned else person.address.text
    if "last_name" in name:
        return person.last_name
    if "first_name" in name or "patronymic" in name:
        return person.first_name
    text = f"{person.address.locality} {name.replace('_', ' ')}"
    return text[: field.get("maxLength", len(text))].ljust(field.get("minLength", 0), "x")


def _date_answer(*, name: str, field: dict) -> date:
    """A week ago for a birth, a fortnight on otherwise, moved inside the form's limits from today."""
    day = timezone.localdate() + timedelta(days=-7 if "birth" in name else 14)
    limits = date_limits(field)
    return min(max(day, limits.get("minimum", day)), limits.get("maximum", day))
