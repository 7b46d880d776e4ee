"""Who saw my data: a row each time staff open a citizen's request or document, or act on it; and what
accounts changed in their own set-up that others must be able to trace (audit events)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.workflow.states import Channel


class Purpose(models.TextChoices):
    VIEWED_REQUEST = "viewed_request", _("Viewed the request")
    VIEWED_DOCUMENT = "viewed_document", _("Viewed a document")
    ACTED = "acted", _("Worked on the request")


class AccessRecord(models.Model):
    """One look at (or action on) a citizen's request by a member of staff. Rows are only ever added."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey("workflow.ServiceRequest", on_delete=models.PROTECT, related_name="access_records")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    agency = models.ForeignKey(
        "catalogue.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agency the person worked for at the time; empty for an administrator.",
    )
    detail = models.CharField(max_length=100, blank=True, help_text="What was opened or done, e.g. an action.")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["request", "-created_at"], name="access_by_request")]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose} {self.request_id}"


class AuditAction(models.TextChoices):
    WEBHOOK_SUBSCRIBED = "webhook_subscribed", _("Subscribed a webhook")
    WEBHOOK_DELETED = "webhook_deleted", _("Deleted a webhook")
    AUTHENTICATOR_SETUP_OPENED = "authenticator_opened", _("Let a person set up a new authenticator")
    AUTHENTICATOR_CONFIRMED = "authenticator_confirmed", _("Set up an authenticator")


class AuditEvent(models.Model):
    """One change an account made to its own set-up or, for an administrator, to another's (a webhook
    subscribed or deleted, an authenticator set up). Rows are only ever added."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    target = models.CharField(max_length=100, help_text="What was changed, e.g. a webhook subscription's id.")
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.target}"
