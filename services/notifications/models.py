"""One row per message sent (or given up on) for a request event and a channel."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def notification_key(*, event_id: int, channel: str) -> str:
    """The idempotency key of the message for an event and a channel: the same on every retry."""
    return f"notification-{event_id}-{channel}"


class Notification(models.Model):
    """A message about a request event. At most one per event and channel (a retry finds it)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    request = models.ForeignKey("workflow.ServiceRequest", on_delete=models.PROTECT, related_name="notifications")
    event = models.ForeignKey("workflow.RequestEvent", on_delete=models.PROTECT, related_name="notifications")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=254, help_text="Email address or phone number.")
    language = models.CharField(max_length=2)
    subject = models.CharField(max_length=255, blank=True, help_text="Email only.")
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices)
    idempotency_key = models.CharField(max_length=100, unique=True)
    provider_message_id = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="one_notification_per_event_and_channel"),
        ]
        indexes = [models.Index(fields=["-created_at"], name="notification_recent")]

    def __str__(self) -> str:
        return f"{self.channel} to {self.recipient} ({self.status})"
