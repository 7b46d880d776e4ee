"""A service's form is one JSON Schema with the portal's own `x-` keywords.

This module checks such a schema when the catalogue is loaded, and validates a citizen's answers
against it with messages in the reader's language. Pages, the API and the workflow all call it.
"""

import json
from collections.abc import Collection, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, ngettext
from jsonschema import Draft202012Validator, FormatChecker, ValidationError

from services.accounts.iin import is_valid_iin
from services.i18n import pick

METASCHEMA_PATH = Path(__file__).parent / "data" / "form-metaschema.json"
FieldErrors = dict[str, list[str]]
# A file question: {"type": "string", "format": "attachment", "x-widget": "file"}; its answer is the
# public id of a file uploaded to the same request (services.attachments).
ATTACHMENT_FORMAT = "attachment"

_format_checker = FormatChecker()
_format_checker.checks("iin")(is_valid_iin)


@cache
def _metaschema_validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(METASCHEMA_PATH.read_text(encoding="utf-8")))


def form_schema_problems(schema: dict[str, Any]) -> list[str]:
    """What is wrong with a form schema; empty when it can be used."""
    try:
        Draft202012Validator.check_schema(schema)
    except ValidationError as exc:
        return [f"not a JSON Schema: {exc.message}"]
    problems = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _metaschema_validator().iter_errors(schema)
    ]
    if problems:
        return problems
    pages = [page["id"] for page in schema["x-pages"]]
    used = {field["x-page"] for field in schema["properties"].values()}
    problems += [f"page {page!r} has no field" for page in pages if page not in used]
    problems += [f"field page {page!r} is not declared in x-pages" for page in sorted(used - set(pages))]
    problems += [
        f"required field {name!r} is not a property"
        for name in schema.get("required", [])
        if name not in schema["properties"]
    ]
    for name, field in schema["properties"].items():
        if "enum" in field and set(field.get("x-options", {})) != set(field["enum"]):
            problems.append(f"field {name!r}: x-options must label exactly the enum values")
    return problems


def form_pages(schema: dict[str, Any]) -> list[str]:
    """The page ids, in order."""
    return [page["id"] for page in schema["x-pages"]]


def page_fields(schema: dict[str, Any], page: str) -> list[str]:
    """The names of the fields on one page, in the schema's order."""
    return [name for name, field in schema["properties"].items() if field["x-page"] == page]


def file_fields(schema: dict[str, Any]) -> list[str]:
    """The names of the form's file questions."""
    return [name for name, field in schema["properties"].items() if field.get("format") == ATTACHMENT_FORMAT]


def page_schema(schema: dict[str, Any], page: str) -> dict[str, Any]:
    """The part of the schema that one page answers: its fields, and which of them are required."""
    names = page_fields(schema, page)
    return {
        **schema,
        "properties": {name: schema["properties"][name] for name in names},
        "required": [name for name in schema.get("required", []) if name in names],
    }


def form_data_errors(
    schema: dict[str, Any],
    data: dict[str, Any],
    *,
    language: str | None = None,
    attachments: Collection[str] = frozenset(),
) -> FieldErrors:
    """Field name -> messages in `language` (the active one by default); empty when the data is valid.

    `attachments` are the ids of the files uploaded to the request: a file question accepts no other.
    """
    validator = Draft202012Validator(schema, format_checker=_format_checker)
    errors: FieldErrors = {}
    with translation.override(language or translation.get_language()):
        for error in validator.iter_errors(data):
            for field, message in _describe(error, schema, data):
                messages = errors.setdefault(field, [])
                if message not in messages:
                    messages.append(message)
        for name in _foreign_files(schema, data, attachments):
            errors.setdefault(name, []).append(
                gettext("Upload “%(label)s” again: that file is not part of this application.")
                % {"label": _label(schema, name)}
            )
    return errors


def _foreign_files(schema: dict[str, Any], data: dict[str, Any], attachments: Collection[str]) -> list[str]:
    """File questions whose answer is not a file uploaded to this request."""
    return [name for name in file_fields(schema) if name in data and str(data[name]) not in attachments]


def _describe(error: ValidationError, schema: dict[str, Any], data: dict[str, Any]) -> Iterable[tuple[str, str]]:
    if error.validator == "required":
        for name in error.validator_value:
            if name not in data:
                yield name, _missing(schema, name)
        return
    if error.validator == "additionalProperties":
        for name in set(data) - set(schema["properties"]):
            yield name, gettext("This field is not part of the form.")
        return
    name = str(error.absolute_path[0]) if error.absolute_path else "__all__"
    yield name, _message(error, _label(schema, name))


def _missing(schema: dict[str, Any], name: str) -> str:
    if schema["properties"].get(name, {}).get("format") == ATTACHMENT_FORMAT:
        return gettext("Upload “%(label)s”.") % {"label": _label(schema, name)}
    return gettext("Fill in “%(label)s”.") % {"label": _label(schema, name)}


def _label(schema: dict[str, Any], name: str) -> str:
    field = schema["properties"].get(name)
    return pick(field["x-label"]) if field else name


def _message(error: ValidationError, label: str) -> str:
    limit = error.validator_value
    kind = error.validator
    if kind == "type":
        return {
            "integer": gettext("“%(label)s” must be a whole number."),
            "number": gettext("“%(label)s” must be a number."),
            "boolean": gettext("Answer yes or no to “%(label)s”."),
        }.get(limit, gettext("“%(label)s” must be text.")) % {"label": label}
    if kind in ("enum", "const"):
        return gettext("Choose one of the options for “%(label)s”.") % {"label": label}
    if kind == "format" and limit == "iin":
        return gettext("“%(label)s” must be a valid IIN: 12 digits, as on the identity card.") % {"label": label}
    if kind == "format" and limit == "date":
        return gettext("“%(label)s” must be a real date, for example 2026-03-21.") % {"label": label}
    if kind == "minLength":
        return ngettext(
            "“%(label)s” must be at least %(limit)d character long.",
            "“%(label)s” must be at least %(limit)d characters long.",
            limit,
        ) % {"label": label, "limit": limit}
    if kind == "maxLength":
        return ngettext(
            "“%(label)s” must be at most %(limit)d character long.",
            "“%(label)s” must be at most %(limit)d characters long.",
            limit,
        ) % {"label": label, "limit": limit}
    if kind == "minimum":
        return gettext("“%(label)s” must be %(limit)s or more.") % {"label": label, "limit": limit}
    if kind == "maximum":
        return gettext("“%(label)s” must be %(limit)s or less.") % {"label": label, "limit": limit}
    return gettext("“%(label)s” is not in the expected format.") % {"label": label}


def coerce_answers(schema: dict[str, Any], raw: dict[str, str]) -> dict[str, Any]:
    """Typed answers from text (a web form, a command line): "4" becomes 4 for an integer field.

    Empty answers are left out; text that does not convert is kept as it is, so validation
    reports it next to the field.
    """
    answers: dict[str, Any] = {}
    for name, text in raw.items():
        text = text.strip()
        if not text:
            continue
        kind = schema["properties"].get(name, {}).get("type")
        answers[name] = _convert(kind, text)
    return answers


def _convert(kind: str | None, text: str) -> Any:
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return text
    if kind == "boolean":
        return {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "0": False}.get(
            text.lower(), text
        )
    return text
