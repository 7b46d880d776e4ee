from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "services.workflow"
    label = "workflow"
