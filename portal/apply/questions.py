"""Questions and answers as the apply pages show them, read from a form version's JSON Schema.

Nothing here decides whether an answer is acceptable: that is `draft_save_step`'s job. This module
only turns the schema's `x-` keywords into what a template needs, in the reader's language.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.dateformat import format as format_date
from django.utils.translation import gettext

from services.catalogue.forms import form_pages, page_fields
from services.i18n import pick

# The HTML autocomplete token for a field filled from a registry, so browsers can help too.
AUTOCOMPLETE = {
    "population.last_name": "family-name",
    "population.first_name": "given-name",
    "population.patronymic": "additional-name",
    "population.birth_date": "bday",
    "population.address": "street-address",
    "population.region": "address-level1",
    "population.phone": "tel",
}
DATE_FORMAT = "d.m.Y"  # as the portal's letters write dates
CHOICE_WIDGETS = frozenset({"radios", "checkbox"})


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Question:
    """One field of a page, ready to render."""

    name: str
    label: str
    hint: str
    widget: str
    value: str
    prefilled: bool
    errors: list[str]
    options: list[Option] = field(default_factory=list)
    input_type: str = "text"
    inputmode: str = ""
    autocomplete: str = ""
    file_name: str = ""  # a file question: the name of the file uploaded so far

    @property
    def id(self) -> str:
        return f"f-{self.name}"

    @property
    def in_fieldset(self) -> bool:
        return self.widget in CHOICE_WIDGETS

    @property
    def described_by(self) -> str:
        """The ids of the hint and the error message, for aria-describedby."""
        ids = [f"{self.id}-hint"] if self.hint else []
        return " ".join([*ids, f"{self.id}-error"] if self.errors else ids)


@dataclass(frozen=True)
class Answer:
    """One row of "Check your answers"."""

    name: str
    label: str
    shown: str


def page_title(schema: dict[str, Any], page: str) -> str:
    """The page's heading in the reader's language."""
    entry = next(item for item in schema["x-pages"] if item["id"] == page)
    return pick(entry["title"])


def page_hint(schema: dict[str, Any], page: str) -> str:
    entry = next(item for item in schema["x-pages"] if item["id"] == page)
    return pick(entry.get("hint"))


def page_questions(
    schema: dict[str, Any],
    page: str,
    *,
    values: dict[str, Any],
    prefilled: set[str],
    errors: dict[str, list[str]],
    files: Mapping[str, str],
) -> list[Question]:
    """The page's questions, with `values` (saved, pre-filled or just typed) and their error messages;
    `files` maps the ids of the request's uploaded files to their names."""
    return [
        _question(name, schema["properties"][name], values.get(name), name in prefilled, errors.get(name, []), files)
        for name in page_fields(schema, page)
    ]


def _question(
    name: str, spec: dict[str, Any], value: Any, prefilled: bool, errors: list[str], files: Mapping[str, str]
) -> Question:
    widget = widget_of(spec)
    shown = _as_text(value)
    return Question(
        name=name,
        label=pick(spec["x-label"]),
        hint=pick(spec.get("x-hint")),
        widget=widget,
        value=shown,
        prefilled=prefilled,
        errors=errors,
        options=_options(spec, widget, shown),
        input_type=_input_type(spec, widget),
        inputmode="numeric" if _is_numeric(spec, widget) else "",
        autocomplete=AUTOCOMPLETE.get(spec.get("x-prefill", ""), ""),
        file_name=files.get(shown, "") if widget == "file" else "",
    )


def widget_of(spec: dict[str, Any]) -> str:
    """The field's `x-widget`, or the natural one for its type."""
    if "x-widget" in spec:
        return spec["x-widget"]
    if "enum" in spec:
        return "radios" if len(spec["enum"]) <= 5 else "select"
    if spec["type"] == "boolean":
        return "checkbox"
    if spec["type"] in ("integer", "number"):
        return "number"
    return "date" if spec.get("format") == "date" else "text"


def _options(spec: dict[str, Any], widget: str, shown: str) -> list[Option]:
    if spec["type"] == "boolean":
        if widget == "checkbox":
            return [Option("true", gettext("Yes"), shown == "true")]
        return [Option("true", gettext("Yes"), shown == "true"), Option("false", gettext("No"), shown == "false")]
    labels = spec.get("x-options", {})
    return [
        Option(str(value), pick(labels.get(value)) or str(value), str(value) == shown) for value in spec.get("enum", [])
    ]


def _input_type(spec: dict[str, Any], widget: str) -> str:
    if widget == "date":
        return "date"
    if spec.get("x-prefill") == "population.phone":
        return "tel"
    return "text"  # numbers too: type="number" changes values on scroll and rejects what people type


def _is_numeric(spec: dict[str, Any], widget: str) -> bool:
    return widget == "number" or spec["type"] == "integer" or spec.get("format") == "iin"


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def form_answers(
    schema: dict[str, Any], data: dict[str, Any], *, files: Mapping[str, str]
) -> list[tuple[str, str, list[Answer]]]:
    """Every page (id, title) with its answers as people read them, for "Check your answers";
    a file question shows the uploaded file's name (`files`: id -> name)."""
    return [
        (
            page,
            page_title(schema, page),
            [_answer(schema, name, data.get(name), files) for name in page_fields(schema, page)],
        )
        for page in form_pages(schema)
    ]


def _answer(schema: dict[str, Any], name: str, value: Any, files: Mapping[str, str]) -> Answer:
    spec = schema["properties"][name]
    shown = files.get(str(value), "") if widget_of(spec) == "file" else answer_text(spec, value)
    return Answer(name=name, label=pick(spec["x-label"]), shown=shown)


def answer_text(spec: dict[str, Any], value: Any) -> str:
    """An answer as shown to people: the option's label, a local date, yes or no."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if "enum" in spec:
        return pick(spec.get("x-options", {}).get(value)) or str(value)
    if spec.get("format") == "date":
        return _local_date(str(value))
    return str(value)


def _local_date(text: str) -> str:
    try:
        return format_date(date.fromisoformat(text), DATE_FORMAT)
    except ValueError:
        return text


def field_pages(schema: dict[str, Any]) -> dict[str, str]:
    """Field name -> the id of the page that asks it."""
    return {name: spec["x-page"] for name, spec in schema["properties"].items()}
