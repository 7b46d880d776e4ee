"""Third-party API clients (banks and the like) and the consents citizens give them, kept as history."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    READ_REQUESTS = "requests.read", _("Read my requests, their state and their timeline")


class ThirdPartyClient(models.Model):
    """An organisation that calls the API with the tokens of its own account, for the purposes it may ask for."""

    name = models.CharField(_("organisation"), max_length=200)
    bin = models.CharField(
        _("BIN"), max_length=12, unique=True, validators=[RegexValidator(r"^\d{12}$", _("A BIN is 12 digits."))]
    )
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="third_party_client")
    purposes = models.JSONField(default=list, help_text="The purposes (Purpose values) it may ask consent for.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.bin})"


class Consent(models.Model):
    """A citizen's consent to one client for one purpose. Revoking closes the row; a new consent is a new row."""

    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="third_party_consents")
    client = models.ForeignKey(ThirdPartyClient, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "client", "purpose"],
                condition=Q(revoked_at__isnull=True),
                name="one_standing_consent",
            )
        ]
        indexes = [models.Index(fields=["client", "purpose", "citizen"], name="consent_client_purpose")]

    def __str__(self) -> str:
        return f"{self.citizen_id} -> {self.client_id}: {self.purpose}"

    @property
    def standing(self) -> bool:
        return self.revoked_at is None
