"""Celery tasks of the workflow: they take ids and delegate to the outbox."""

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from services.workflow.outbox import SideEffectsFailed, side_effects_run

RETRY_BACKOFF_MAX_SECONDS = 300


@shared_task(bind=True, max_retries=settings.SIDE_EFFECT_MAX_ATTEMPTS)
def run_side_effects(self: Task, effect_ids: list[int]) -> None:
    """Perform outbox rows (those of one transaction) and the rows their handlers record.

    Rows that raise are retried with backoff, only they; the attempt counter in each row ends a
    poison task.
    """
    try:
        side_effects_run(effect_ids)
    except SideEffectsFailed as failure:
        countdown = get_exponential_backoff_interval(
            factor=settings.SIDE_EFFECT_RETRY_BACKOFF,
            retries=self.request.retries,
            maximum=RETRY_BACKOFF_MAX_SECONDS,
            full_jitter=True,
        )
        raise self.retry(args=(failure.effect_ids,), exc=failure, countdown=countdown) from failure
