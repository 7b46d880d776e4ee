"""Files a citizen uploaded to a request: the documents a form asks for, and those sent with an answer."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    FORM = "form", _("Document for the application")
    RESPONSE = "response", _("Document sent with an answer")


def attachment_path(instance: "Attachment", filename: str) -> str:
    """attachments/<year>/<month>/<public id>.<type>: always generated, whatever name the file came with."""
    return f"attachments/{instance.uploaded_at:%Y/%m}/{instance.public_id.hex}.{instance.extension}"


class Attachment(models.Model):
    """One uploaded file, stored under a generated name; `original_name` is only ever displayed."""

    EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey("workflow.ServiceRequest", on_delete=models.PROTECT, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    field = models.CharField(max_length=64, blank=True, help_text="The form question the file answers.")
    original_name = models.CharField(max_length=255, help_text="Sanitised, for display only.")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, help_text="Hex SHA-256 of the stored bytes.")
    content_type = models.CharField(max_length=50, help_text="Detected from the content, not the name.")

    class Meta:
        indexes = [models.Index(fields=["request", "purpose"], name="attachment_request_purpose")]
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return self.EXTENSIONS[self.content_type]
