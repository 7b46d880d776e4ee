"""Health of the moving parts: the database, the broker and the workers."""

from datetime import datetime

from celery import current_app
from django.db import connection
from django.utils import timezone

from services.ops.models import WorkerHeartbeat


def heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    """Note that the worker on `hostname` ran a task just now."""
    beat, _ = WorkerHeartbeat.objects.update_or_create(hostname=hostname, defaults={"seen_at": timezone.now()})
    return beat


def last_worker_heartbeat() -> datetime | None:
    """When any worker last ran the heartbeat task."""
    return WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def database_reachable() -> bool:
    """True when a trivial query succeeds."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_reachable(timeout: float = 2.0) -> bool:
    """True when Celery's broker accepts a connection within `timeout` seconds."""
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        return True
    except Exception:
        return False
