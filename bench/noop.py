from celery import shared_task


@shared_task(ignore_result=True)
def noop(number: int) -> int:
    """The baseline: a task that does nothing but be delivered, run and acknowledged."""
    return number
