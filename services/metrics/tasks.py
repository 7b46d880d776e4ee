"""Celery beat's periodic task for the KPI rollups: a thin wrapper over the ingest."""

from celery import shared_task

from services.metrics.service import metrics_catch_up as catch_up


@shared_task(ignore_result=True)
def metrics_catch_up() -> int:
    return catch_up()
