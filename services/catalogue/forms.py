"""A service's form is one JSON Schema with the portal's own `x-` keywords.

This module checks such a schema when the catalogue is loaded, and validates a citizen's answers
against it with messages in the reader's language. Pages, the API and the workflow all call it.
"""

import calendar
import json
import re
from collections.abc import Collection, Iterable
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext, ngettext
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from services.accounts.iin import is_valid_iin
from services.i18n import pick

METASCHEMA_PATH = Path(__file__).parent / "data" / "form-metaschema.json"
FieldErrors = dict[str, list[str]]
# A file question: {"type": "string", "format": "attachment", "x-widget": "file"}; its answer is the
# public id of a file uploaded to the same request (services.attachments).
ATTACHMENT_FORMAT = "attachment"

_format_checker = FormatChecker()
_format_checker.checks("iin")(is_valid_iin)

# Conditional rules ("only if ...") are JSON Schema's own keywords at the top of the form: `allOf`
# of `if`/`then`/`else` (the usual way), or `if`/`then`/`else`, `dependentRequired`,
# `dependentSchemas`, `not`, `anyOf`, `oneOf` directly. A page checks the rules about its own fields.
RULE_KEYWORDS = ("if", "then", "else", "allOf", "anyOf", "oneOf", "not", "dependentRequired", "dependentSchemas")
# A date relative to the local (portal time zone) day it is checked on:
# {"x-date-from-today": {"minimum": "1d", "maximum": "0d"}}: offsets in days, months or years
# ("+1d" tomorrow, "0d" today, "1m" a calendar month on, "-18y"), both ends included.
DATE_FROM_TODAY = "x-date-from-today"
# A year (an integer field) relative to the local year it is checked in:
# {"x-year-from-today": {"minimum": 0, "maximum": 1}}: this year to next year, both ends included.
YEAR_FROM_TODAY = "x-year-from-today"
_OFFSET = re.compile(r"^([+-]?)([0-9]+)([dmy])$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
SHOWN_DATE = "d.m.Y"  # as the pages and letters write dates


def local_today() -> date:
    """Today in the portal's time zone (Asia/Almaty), whatever time zone is active."""
    return timezone.localdate(timezone=ZoneInfo(settings.TIME_ZONE))


def shift_date(day: date, offset: str) -> date:
    """`day` moved by an offset such as "+1d", "-18y" or "1m" (a month on keeps the day, or the month's last)."""
    sign, amount, unit = _OFFSET.match(offset).groups()
    amount = -int(amount) if sign == "-" else int(amount)
    if unit == "d":
        return day + timedelta(days=amount)
    months = amount * (12 if unit == "y" else 1)
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def _date_limits(bounds: dict[str, str]) -> dict[str, date]:
    today = local_today()
    return {bound: shift_date(today, offset) for bound, offset in bounds.items()}


def _date_out_of_range(value: str, bounds: dict[str, str]) -> str | None:
    """Which bound ("minimum", "maximum") the date breaks, or None."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None  # the "date" format reports it
    limits = _date_limits(bounds)
    if "minimum" in limits and day < limits["minimum"]:
        return "minimum"
    if "maximum" in limits and day > limits["maximum"]:
        return "maximum"
    return None


def _check_date_from_today(validator, bounds, instance, schema):  # noqa: ANN001 (jsonschema's signature)
    broken = _date_out_of_range(instance, bounds)
    if broken:
        yield ValidationError(f"{instance!r} is outside {bounds!r} from today ({broken})")


def _year_limits(bounds: dict[str, int]) -> dict[str, int]:
    year = local_today().year
    return {bound: year + offset for bound, offset in bounds.items()}


def _year_out_of_range(value: Any, bounds: dict[str, int]) -> str | None:
    """Which bound ("minimum", "maximum") the year breaks, or None (a non-number is the type's to report)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    limits = _year_limits(bounds)
    if "minimum" in limits and value < limits["minimum"]:
        return "minimum"
    if "maximum" in limits and value > limits["maximum"]:
        return "maximum"
    return None


def integer_limits(field: dict[str, Any]) -> tuple[int | None, int | None]:
    """The smallest and largest whole number a field accepts today (None: no such end): its plain
    `minimum`/`maximum` and its `x-year-from-today`, whichever is stricter. For whoever needs the
    limits as numbers (a simulated citizen's answer, a hint), so they never copy a stale year."""
    years = _year_limits(field.get(YEAR_FROM_TODAY, {}))
    lows = [value for value in (field.get("minimum"), years.get("minimum")) if value is not None]
    highs = [value for value in (field.get("maximum"), years.get("maximum")) if value is not None]
    return (max(lows) if lows else None), (min(highs) if highs else None)


def date_limits(field: dict[str, Any]) -> dict[str, date]:
    """The earliest and latest date ("minimum", "maximum") a date field accepts today, from its
    `x-date-from-today`; empty when it has none."""
    return _date_limits(field.get(DATE_FROM_TODAY, {}))


def _check_year_from_today(validator, bounds, instance, schema):  # noqa: ANN001 (jsonschema's signature)
    broken = _year_out_of_range(instance, bounds)
    if broken:
        yield ValidationError(f"{instance!r} is outside {bounds!r} years from this year ({broken})")


FormValidator = validators.extend(
    Draft202012Validator, {DATE_FROM_TODAY: _check_date_from_today, YEAR_FROM_TODAY: _check_year_from_today}
)


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
        if DATE_FROM_TODAY in field and field.get("format") != "date":
            problems.append(f"field {name!r}: {DATE_FROM_TODAY} is for date fields")
        if YEAR_FROM_TODAY in field and field["type"] != "integer":
            problems.append(f"field {name!r}: {YEAR_FROM_TODAY} is for integer (year) fields")
        years = field.get(YEAR_FROM_TODAY, {})
        if {"minimum", "maximum"} <= set(years) and years["minimum"] > years["maximum"]:
            problems.append(f"field {name!r}: {YEAR_FROM_TODAY} has its minimum above its maximum")
    for rule in form_rules(schema):
        unknown = sorted(rule_fields(rule) - set(schema["properties"]))
        problems += [f"a rule mentions {name!r}, which is not a property" for name in unknown]
    return problems


def form_rules(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The form's conditional rules, each a schema of its own (see RULE_KEYWORDS)."""
    rules: list[dict[str, Any]] = []
    if "if" in schema:
        rules.append({key: schema[key] for key in ("if", "then", "else") if key in schema})
    rules += schema.get("allOf", [])
    rules += [{key: schema[key]} for key in ("anyOf", "oneOf", "not") if key in schema]
    rules += [{"dependentRequired": {name: deps}} for name, deps in schema.get("dependentRequired", {}).items()]
    rules += [{"dependentSchemas": {name: sub}} for name, sub in schema.get("dependentSchemas", {}).items()]
    return rules


def rule_fields(rule: Any) -> set[str]:
    """The names of the fields a rule is about (in `properties`, `required` and the `dependent*` keywords)."""
    names: set[str] = set()
    if isinstance(rule, list):
        for item in rule:
            names |= rule_fields(item)
    if not isinstance(rule, dict):
        return names
    for key, value in rule.items():
        if key in ("enum", "const"):
            continue
        if key == "required" and isinstance(value, list):
            names |= set(value)
        elif key == "dependentRequired":
            names |= set(value) | {name for deps in value.values() for name in deps}
        elif key in ("properties", "dependentSchemas"):
            names |= set(value)
            names |= rule_fields(list(value.values()))
        else:
            names |= rule_fields(value)
    return names


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
    """The part of the schema that one page answers: its fields, which of them are required, and the
    rules about this page's fields only (a rule that also needs another page's answer waits for the
    submit, which checks the whole form)."""
    names = page_fields(schema, page)
    part = {key: value for key, value in schema.items() if key not in RULE_KEYWORDS}
    part["properties"] = {name: schema["properties"][name] for name in names}
    part["required"] = [name for name in schema.get("required", []) if name in names]
    rules = [rule for rule in form_rules(schema) if rule_fields(rule) <= set(names)]
    if rules:
        part["allOf"] = rules
    return part


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
    validator = FormValidator(schema, format_checker=_format_checker)
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
    if error.validator == "dependentRequired":
        for name, needed in error.validator_value.items():
            if name in data:
                yield from ((other, _missing(schema, other)) for other in needed if other not in data)
        return
    if error.validator == "additionalProperties":
        for name in set(data) - set(schema["properties"]):
            yield name, gettext("This field is not part of the form.")
        return
    if error.validator == "not" and not error.absolute_path and isinstance(error.validator_value, dict):
        forbidden = [name for name in error.validator_value.get("required", []) if name in data]
        if forbidden:
            for name in forbidden:
                yield name, _not_applicable(error, schema, name)
            return
    if not error.absolute_path:
        yield "__all__", gettext("Some of your answers do not go together: check them.")
        return
    name = str(error.absolute_path[0])
    yield name, _message(error, _label(schema, name))


def _not_applicable(error: ValidationError, schema: dict[str, Any], name: str) -> str:
    """A field answered where a rule forbids it: say for which choice it is meant."""
    label = _label(schema, name)
    condition = _branch_condition(schema, list(error.relative_schema_path))
    if condition is not None:
        other, choices = condition
        shown = [_choice_label(schema, other, choice) for choice in choices]
        values = {"label": label, "other": _label(schema, other), "choice": shown[0] if shown else ""}
        if len(shown) == 1:
            return (
                gettext("“%(label)s” applies only when the answer to “%(other)s” is “%(choice)s”. Leave it empty.")
                % values
            )
        if shown:
            values["choices"] = ", ".join(shown)
            return (
                gettext(
                    "“%(label)s” applies only when the answer to “%(other)s” is one of: %(choices)s. Leave it empty."
                )
                % values
            )
    return gettext("“%(label)s” does not apply with your other answers. Leave it empty.") % {"label": label}


def _branch_condition(schema: dict[str, Any], path: list[Any]) -> tuple[str, list[Any]] | None:
    """For an error in a `then`/`else` branch: the field of the nearest `if` and the answers it
    must have for that branch's field to apply (the `if` values for `else`, the others for `then`)."""
    node: Any = schema
    found = None
    for step in path:
        if step in ("then", "else") and isinstance(node, dict) and "if" in node:
            found = (node["if"], step)
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    if found is None:
        return None
    condition, branch = found
    tested = condition.get("properties", {})
    if len(tested) != 1:
        return None
    ((other, test),) = tested.items()
    if "const" in test:
        chosen = [test["const"]]
    elif "enum" in test:
        chosen = list(test["enum"])
    else:
        return None
    spec = schema["properties"].get(other, {})
    possible = list(spec.get("enum", [True, False] if spec.get("type") == "boolean" else chosen))
    return other, (chosen if branch == "else" else [value for value in possible if value not in chosen])


def _choice_label(schema: dict[str, Any], name: str, value: Any) -> str:
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return pick(schema["properties"].get(name, {}).get("x-options", {}).get(value)) or str(value)


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
    if kind == DATE_FROM_TODAY:
        return _date_message(error, label)
    if kind == YEAR_FROM_TODAY:
        return _year_message(error, label)
    return gettext("“%(label)s” is not in the expected format.") % {"label": label}


def _date_message(error: ValidationError, label: str) -> str:
    bounds = error.validator_value
    broken = _date_out_of_range(error.instance, bounds) or "minimum"
    limit = _date_limits(bounds)[broken]
    today = local_today()
    if broken == "minimum" and limit == today + timedelta(days=1):
        return gettext("“%(label)s” must be a date after today.") % {"label": label}
    if broken == "maximum" and limit == today:
        return gettext("“%(label)s” cannot be a date in the future.") % {"label": label}
    values = {"label": label, "date": format_date(limit, SHOWN_DATE)}
    if broken == "minimum":
        return gettext("“%(label)s” must be %(date)s or later.") % values
    return gettext("“%(label)s” must be %(date)s or earlier.") % values


def _year_message(error: ValidationError, label: str) -> str:
    broken = _year_out_of_range(error.instance, error.validator_value) or "minimum"
    values = {"label": label, "year": _year_limits(error.validator_value)[broken]}
    if broken == "minimum":
        return gettext("“%(label)s” must be %(year)s or later.") % values
    return gettext("“%(label)s” must be %(year)s or earlier.") % values


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
