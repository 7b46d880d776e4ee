from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "services.metrics"
    label = "metrics"
    verbose_name = "Service KPIs"
