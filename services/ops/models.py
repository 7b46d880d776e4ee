"""Operational records: proof that the background workers are alive."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by a Celery task that beat schedules: a recent row means beat and a worker both run."""

    hostname = models.CharField(max_length=255, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hostname} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
