"""Webhook subscriptions of third-party clients, and the deliveries of request events to them (an outbox)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.consents.models import ThirdPartyClient
from services.workflow.models import RequestEvent


class Subscription(models.Model):
    """A client's URL that receives the state changes of the requests it may read. Deleting closes the row."""

    client = models.ForeignKey(ThirdPartyClient, on_delete=models.PROTECT, related_name="webhook_subscriptions")
    url = models.URLField(_("URL"), max_length=2000)
    states = models.JSONField(
        default=list, blank=True, help_text="Only changes to these states (State values); empty: every change."
    )
    # The signing secret, sealed with a key derived from SECRET_KEY (services.webhooks.sealing).
    secret_sealed = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["client", "-created_at"], name="webhook_subscription_client")]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.url}"

    @property
    def active(self) -> bool:
        return self.deleted_at is None


class Delivery(models.Model):
    """One event to send to one subscription; written in the event's transaction, sent by Celery."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="deliveries")
    event = models.ForeignKey(RequestEvent, on_delete=models.PROTECT, related_name="webhook_deliveries")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    leased_until = models.DateTimeField(null=True, blank=True, help_text="A worker is sending it until then.")
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="one_delivery_per_subscription_and_event")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"event {self.event_id} to {self.subscription_id} ({self.state})"


class DeliveryAttempt(models.Model):
    """One POST of a delivery: when, how long, and what came back. Rows are only ever added."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, help_text="Why no response came back, if none did.")
    response_excerpt = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="one_attempt_per_number")]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}: {self.status_code or self.error}"
