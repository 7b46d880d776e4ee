from django.apps import AppConfig


class SimulatorConfig(AppConfig):
    name = "services.simulator"
    label = "simulator"
