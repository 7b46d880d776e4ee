from celery import Task, shared_task

from services.ops.service import heartbeat_record


@shared_task(bind=True, ignore_result=True)
def worker_heartbeat(self: Task) -> None:
    """Scheduled by beat: records that a worker picked it up."""
    heartbeat_record(hostname=self.request.hostname or "unknown")
