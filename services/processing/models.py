"""What automated processing found: check results, and third-party consents awaited."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    UNDECIDED = "undecided", _("Needs an officer")
    WAITING = "waiting", _("Waiting for a third party")


class CheckResult(models.Model):
    """The latest result of one automated check on one request (checks run again after a consent)."""

    request = models.ForeignKey("workflow.ServiceRequest", on_delete=models.PROTECT, related_name="check_results")
    check_code = models.CharField(max_length=50)
    outcome = models.CharField(max_length=10, choices=CheckOutcome.choices)
    finding = models.CharField(max_length=50, help_text="What was found, as a code the pages explain.")
    data = models.JSONField(default=dict, blank=True)
    refusal_ground = models.CharField(max_length=50, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "check_code"], name="one_result_per_check"),
        ]
        ordering = ["request", "check_code"]

    def __str__(self) -> str:
        return f"{self.check_code}: {self.outcome}"


class ConsentDecision(models.TextChoices):
    PENDING = "pending", _("Waiting")
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")


class ConsentRequest(models.Model):
    """A third party (the owner of the address) asked by SMS to consent, within a time limit."""

    request = models.OneToOneField("workflow.ServiceRequest", on_delete=models.PROTECT, related_name="consent")
    owner_iin = models.CharField(max_length=12)
    owner_phone = models.CharField(max_length=20)
    code = models.CharField(max_length=6, help_text="The one-time code sent to the owner.")
    expires_at = models.DateTimeField()
    decision = models.CharField(max_length=10, choices=ConsentDecision.choices, default=ConsentDecision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    wrong_codes = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"consent of {self.owner_iin} for {self.request_id}: {self.decision}"
