"""Citizens' satisfaction with a request, asked once at its end, kept flat for the KPIs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.workflow.states import Channel, State


class Rating(models.IntegerChoices):
    """The five-point scale; 4 and 5 count as satisfied."""

    VERY_DISSATISFIED = 1, _("Very dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    NEUTRAL = 3, _("Neither satisfied nor dissatisfied")
    SATISFIED = 4, _("Satisfied")
    VERY_SATISFIED = 5, _("Very satisfied")


class SatisfactionAnswer(models.Model):
    """One answer per request. The service and the end state are copied so KPIs group without joins."""

    request = models.OneToOneField("workflow.ServiceRequest", on_delete=models.PROTECT, related_name="satisfaction")
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    end_state = models.CharField(max_length=20, choices=State.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    answered_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="satisfaction_rating_1_to_5")
        ]
        indexes = [models.Index(fields=["service", "answered_at"], name="satisfaction_service_time")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.rating}"
