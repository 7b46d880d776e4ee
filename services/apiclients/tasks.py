from celery import shared_task

from services.apiclients.idempotency import idempotency_keys_purge


@shared_task(ignore_result=True)
def purge_idempotency_keys() -> int:
    """Scheduled by beat: idempotency keys past their 24 hours go."""
    return idempotency_keys_purge()
