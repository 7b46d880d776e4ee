from django.apps import AppConfig


class ProcessingConfig(AppConfig):
    name = "services.processing"
    label = "processing"
