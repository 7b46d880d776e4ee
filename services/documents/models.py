"""Result documents: one signed PDF per decided request, checkable by anyone at /verify/."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate")
    REGISTRATION = "registration", _("Registration record")
    DECISION_LETTER = "decision_letter", _("Decision letter")
    REFUSAL_LETTER = "refusal_letter", _("Refusal letter")


class DocumentLanguage(models.TextChoices):
    KAZAKH = "kk", "Қазақша"
    RUSSIAN = "ru", "Русский"
    ENGLISH = "en", "English"


def document_path(instance: "ResultDocument", filename: str) -> str:
    """documents/<year>/<code>.pdf: the name is always generated, whatever name the file came with."""
    return f"documents/{instance.issued_at:%Y}/{instance.verification_code}.pdf"


class ResultDocument(models.Model):
    """The signed PDF issued for a request. Never edited once written: the signature covers its bytes."""

    request = models.OneToOneField("workflow.ServiceRequest", on_delete=models.PROTECT, related_name="result_document")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    language = models.CharField(max_length=2, choices=DocumentLanguage.choices)
    verification_code = models.CharField(max_length=20, unique=True)
    file = models.FileField(upload_to=document_path, max_length=200)
    sha256 = models.CharField(max_length=64, help_text="Hex SHA-256 of the exact PDF bytes.")
    signature = models.CharField(max_length=100, help_text="Base64 Ed25519 signature of the exact PDF bytes.")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.verification_code}"
