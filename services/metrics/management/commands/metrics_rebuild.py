"""`manage.py metrics_rebuild`: recompute the KPI rollups from every event and answer."""

from django.core.management.base import BaseCommand

from services.metrics.service import metrics_rebuild


class Command(BaseCommand):
    help = "Recompute every KPI rollup from all request events and satisfaction answers."

    def handle(self, *args: object, **options: object) -> None:
        requests = metrics_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Rollups rebuilt from {requests} requests."))
