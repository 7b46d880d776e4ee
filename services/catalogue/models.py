"""The catalogue of public services: agencies, life events, services and their versioned forms."""

import json
import re
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.i18n import LANGUAGES, current_language

_WORD = re.compile(r"\w+")


def search_normalize(text: str) -> str:
    """Text as the search columns hold it: casefolded words (ё as е) separated by single spaces.

    Python folds every script, unlike SQLite's LIKE (ASCII only), so the database compares
    normalized text with a case-sensitive `contains` and behaves the same on SQLite and PostgreSQL.
    """
    return " ".join(_WORD.findall(text.casefold().replace("ё", "е")))


def search_words(text: str) -> list[str]:
    """The distinct normalized words of a search query, in their order."""
    return list(dict.fromkeys(search_normalize(text).split()))


def search_columns(texts: Iterable[dict[str, str]]) -> dict[str, str]:
    """`search_kk`, `search_ru`, `search_en` for texts given as {"kk", "ru", "en"} dicts."""
    texts = list(texts)
    return {f"search_{lang}": search_normalize(" ".join(text[lang] for text in texts)) for lang in LANGUAGES}


class TranslatedNameMixin(models.Model):
    """`name_kk`, `name_ru`, `name_en`, and `name` in the active language."""

    name_kk = models.CharField(max_length=255)
    name_ru = models.CharField(max_length=255)
    name_en = models.CharField(max_length=255)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return getattr(self, f"name_{current_language()}")

    @property
    def names(self) -> dict[str, str]:
        """The name in every language, as {"kk", "ru", "en"}."""
        return {lang: getattr(self, f"name_{lang}") for lang in LANGUAGES}


class Agency(TranslatedNameMixin):
    code = models.SlugField(unique=True)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["code"]


class LifeEvent(TranslatedNameMixin):
    """A moment in life (a child is born, moving house) that groups the services it needs."""

    code = models.SlugField(unique=True)

    class Meta:
        ordering = ["code"]


class DecisionMode(models.TextChoices):
    AUTOMATIC = "automatic", _("Decided automatically")
    OFFICER = "officer", _("Decided by an officer")
    AUTOMATIC_WITH_FALLBACK = "automatic_with_fallback", _("Automatic, with an officer when needed")


class ResultDocument(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate")
    REGISTRATION = "registration", _("Registration record")
    DECISION_LETTER = "decision_letter", _("Decision letter")


class Service(TranslatedNameMixin):
    """A public service and its passport: who provides it, what it costs, how long it takes."""

    code = models.SlugField(unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="services")
    description_kk = models.TextField()
    description_ru = models.TextField()
    description_en = models.TextField()
    fee_kzt = models.PositiveIntegerField(default=0)
    legal_deadline_days = models.PositiveSmallIntegerField(help_text="Working days, set by law.")
    service_target = models.DurationField(help_text="The portal's own target, which may be minutes.")
    decision_mode = models.CharField(max_length=32, choices=DecisionMode.choices)
    result_document = models.CharField(max_length=32, choices=ResultDocument.choices)
    required_documents = models.JSONField(default=list, blank=True)
    refusal_grounds = models.JSONField(default=list, blank=True)
    in_person_steps = models.JSONField(
        default=list, blank=True, help_text="What the citizen must still do in person, e.g. give fingerprints."
    )
    life_events = models.ManyToManyField(LifeEvent, blank=True, related_name="services")
    checks = models.JSONField(
        default=list,
        blank=True,
        help_text='Automated checks, e.g. [{"check": "owns_property", "refusal_ground": "..."}].',
    )
    form = models.ForeignKey(
        "FormVersion", on_delete=models.PROTECT, null=True, related_name="+", help_text="Current form."
    )
    active = models.BooleanField(default=True)
    # Normalized text (see `search_normalize`) searched in each language: the name, the
    # description, the agency's name and the life events' names. Kept by `search_refresh`.
    search_kk = models.TextField(blank=True, default="", editable=False)
    search_ru = models.TextField(blank=True, default="", editable=False)
    search_en = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["code"]

    @property
    def description(self) -> str:
        return getattr(self, f"description_{current_language()}")

    def search_refresh(self) -> list[str]:
        """Recompute the search columns from the texts as stored; save and return the columns that changed.

        Call it after the service, its agency or its life events change (the catalogue loader does).
        """
        descriptions = {lang: getattr(self, f"description_{lang}") for lang in LANGUAGES}
        events = self.life_events.order_by("code")
        wanted = search_columns([self.names, descriptions, self.agency.names, *(e.names for e in events)])
        changed = [name for name, value in wanted.items() if getattr(self, name) != value]
        for name in changed:
            setattr(self, name, wanted[name])
        if changed:
            self.save(update_fields=changed)
        return changed


class FormVersion(models.Model):
    """One version of a service's form (a JSON Schema). Never edited: a change is a new version."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="form_versions")
    version = models.PositiveIntegerField()
    # Kept as text: PostgreSQL's jsonb reorders object keys, and the order of `properties` is the
    # order of the questions on a page.
    schema_json = models.TextField()
    digest = models.CharField(max_length=64, help_text="SHA-256 of the canonical schema.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="one_number_per_form_version"),
        ]
        ordering = ["service", "version"]

    def __str__(self) -> str:
        return f"{self.service.code} v{self.version}"

    @property
    def schema(self) -> dict[str, Any]:
        """The JSON Schema, parsed once per instance, with its keys in their written order."""
        if self._parsed_schema is None:
            self._parsed_schema = json.loads(self.schema_json)
        return self._parsed_schema

    @schema.setter
    def schema(self, value: dict[str, Any]) -> None:
        self.schema_json = json.dumps(value, ensure_ascii=False)
        self._parsed_schema = None

    _parsed_schema: dict[str, Any] | None = None
