"""Rollups of the request events for the service KPIs, and the per-request facts they are kept from.

`RequestFact` holds, per request, the events the metrics have seen (a compact copy) and what the
request currently adds to the rollups. `Rollup` holds counters per local day and dimension, so the
dashboard reads a few grouped rows and never the events. Each row belongs to a `cut`, the dimensions
it is broken down by (see `services.metrics.dimensions.CUTS`); its other dimensions are "*" (all):
the portal total and each dimension alone at every grain, their crosses only per month. Both are written only by
`services.metrics.service` (the ingest task and the rebuild), never in a request's own transaction.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Basis(models.TextChoices):
    """Which day a counter is filed under."""

    EVENT = "event", _("Day of the event")
    COHORT = "cohort", _("Day the request was started")


class Grain(models.TextChoices):
    """How long a period one counter covers; the period starts on the counter's `day`."""

    DAY = "day", _("Day")
    WEEK = "week", _("Week (from Monday)")
    MONTH = "month", _("Month")


class Rollup(models.Model):
    """One counter: how many requests of these dimensions add `measure` (and `bucket`) in the period
    of `grain` starting on `day`. Every day counter is also summed into its week and its month."""

    basis = models.CharField(max_length=6, choices=Basis.choices)
    cut = models.CharField(max_length=30, blank=True, help_text='Dimensions of the breakdown ("" for the total).')
    grain = models.CharField(max_length=5, choices=Grain.choices, default=Grain.DAY)
    day = models.DateField(help_text="Local (portal time zone) date; the first day of the week or month.")
    service = models.CharField(max_length=50, help_text="Service code; * for all.")
    region = models.CharField(max_length=30, help_text="Region of the citizen's registered address; * for all.")
    age_band = models.CharField(max_length=5, help_text="Age band on the day of the start; * for all.")
    channel = models.CharField(max_length=10)
    measure = models.CharField(max_length=20)
    bucket = models.CharField(max_length=60, blank=True, default="", help_text="Page, rating or working days.")
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "cut",
                    "basis",
                    "grain",
                    "day",
                    "service",
                    "region",
                    "age_band",
                    "channel",
                    "measure",
                    "bucket",
                ],
                name="one_rollup_per_key",
            ),
        ]
        # No other index: the reads select by cut, basis, grain and a range of days, the leading
        # columns of the key's, and each index more is one more to maintain in every upsert.

    def __str__(self) -> str:
        key = f"{self.measure}:{self.bucket}" if self.bucket else self.measure
        return f"{self.cut or 'total'} {self.basis} {self.grain} {self.day} {self.service} {key} = {self.count}"


class RequestFact(models.Model):
    """What the metrics know of one request: its dimensions, the events seen, its current contributions."""

    request = models.OneToOneField(
        "workflow.ServiceRequest", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    service = models.CharField(max_length=50)
    region = models.CharField(max_length=30)
    birth_date = models.DateField(null=True, blank=True, help_text="From the citizen's IIN.")
    legal_deadline_days = models.PositiveSmallIntegerField()
    # Sequence number (as text) -> compact event; a union, so duplicates and any order give one result.
    events = models.JSONField(default=dict)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rated_on = models.DateField(null=True, blank=True)
    # The rollup keys this request adds to now; the next change subtracts them and adds the new ones.
    contributions = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"facts of request {self.request_id}"


class IngestCursor(models.Model):
    """How far the periodic ingest has read a source (events, satisfaction answers)."""

    source = models.CharField(max_length=20, primary_key=True)
    read_until = models.DateTimeField(null=True, blank=True, help_text="Latest time of a row read.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.source} read until {self.read_until}"
