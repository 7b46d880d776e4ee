from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "services.audit"
    label = "audit"
