"""Celery tasks of the webhooks: one delivery attempt by id, and the beat sweeper."""

from celery import shared_task

from services.webhooks.service import deliveries_redispatch, delivery_send


@shared_task(ignore_result=True)
def deliver_webhook(delivery_id: int) -> None:
    """Attempt one delivery; a run for a delivery that is done, not due or held elsewhere does nothing."""
    delivery_send(delivery_id)


@shared_task(ignore_result=True)
def sweep_webhooks() -> int:
    return deliveries_redispatch()
