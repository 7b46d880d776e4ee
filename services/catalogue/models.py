"""The catalogue of public services: agencies, life events, services and their versioned forms."""

import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.i18n import current_language


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

    class Meta:
        ordering = ["code"]

    @property
    def description(self) -> str:
        return getattr(self, f"description_{current_language()}")


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
