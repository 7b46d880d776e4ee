from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "services.consents"
    label = "consents"
    verbose_name = "Third-party clients and consents"
