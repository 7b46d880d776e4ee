"""Celery tasks of the workflow: they take ids and delegate to the outbox."""

from celery import shared_task
from django.conf import settings

from services.workflow.outbox import side_effect_run


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=settings.SIDE_EFFECT_RETRY_BACKOFF,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=settings.SIDE_EFFECT_MAX_ATTEMPTS,
)
def run_side_effect(effect_id: int) -> None:
    """Perform one outbox row. Retries with backoff; the attempt counter in the row ends a poison task."""
    side_effect_run(effect_id)
