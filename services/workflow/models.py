"""Requests, their append-only event history, and the outbox of side effects."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.workflow.states import Action, ActorKind, Channel, State


class ReferenceField(models.CharField):
    """A request's reference, returned by its INSERT: on PostgreSQL the INSERT computes it (see `references`)."""

    db_returning = True


class ServiceRequest(models.Model):
    """A citizen's request for one service. `state` is the current state; history is in events."""

    reference = ReferenceField(max_length=20, unique=True)
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requests")
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="requests")
    form_version = models.ForeignKey("catalogue.FormVersion", on_delete=models.PROTECT, related_name="requests")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    form_data = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    language = models.CharField(max_length=2, default="kk", help_text="Language of letters and documents.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True, help_text="Last local day of the legal deadline.")
    clock_paused_at = models.DateTimeField(
        null=True, blank=True, help_text="Set while the deadline clock waits for the citizen."
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_requests"
    )
    escalated = models.BooleanField(default=False)
    reminded_deadline = models.DateField(
        null=True, blank=True, help_text="The deadline its assignee was last reminded of (one reminder per deadline)."
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filed_requests",
        help_text="The clerk who filed the request for the citizen (assisted channel); empty when the citizen did.",
    )
    decision_reason = models.TextField(blank=True)
    event_count = models.PositiveIntegerField(default=0, help_text="Sequence number of the last event.")

    class Meta:
        indexes = [
            models.Index(fields=["service", "state"], name="request_service_state"),
            models.Index(fields=["state", "deadline"], name="request_state_deadline"),
            models.Index(fields=["citizen", "-created_at"], name="request_citizen_recent"),
            # The hourly sweep of stale drafts.
            models.Index(fields=["updated_at"], condition=models.Q(state=State.DRAFT), name="request_draft_updated"),
        ]

    def __str__(self) -> str:
        return self.reference


class AppendOnlyError(RuntimeError):
    """Events are history: they are never changed or removed."""


class RequestEvent(models.Model):
    """One thing that happened to a request. Rows are only ever inserted (a trigger on PostgreSQL)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(max_length=20, choices=Action.choices)
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_kind = models.CharField(max_length=10, choices=ActorKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(db_index=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "sequence"], name="one_event_per_sequence"),
        ]
        ordering = ["request", "sequence"]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.sequence} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("request events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("request events cannot be deleted")


class SideEffect(models.Model):
    """An outbox row: work to do because of an event, written in the event's transaction."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="side_effects")
    event = models.ForeignKey(RequestEvent, on_delete=models.PROTECT, related_name="side_effects")
    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="one_side_effect_per_event_and_kind"),
        ]
        indexes = [models.Index(fields=["status", "dispatched_at"], name="side_effect_backlog")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.request_id} ({self.status})"


class ReferenceTicket(models.Model):
    """SQLite has no sequences: an AUTOINCREMENT key serves as one (see `references`)."""

    def __str__(self) -> str:
        return str(self.pk)
