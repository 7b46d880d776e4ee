"""Celery beat's periodic tasks: thin wrappers over the sweeps."""

from celery import shared_task

from services.processing import sweeps


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    return sweeps.outbox_redispatch()


@shared_task(ignore_result=True)
def sweep_expired() -> int:
    return sweeps.requests_expire()


@shared_task(ignore_result=True)
def sweep_drafts() -> int:
    return sweeps.drafts_abandon()


@shared_task(ignore_result=True)
def sweep_deadlines() -> int:
    return sweeps.deadlines_watch()
