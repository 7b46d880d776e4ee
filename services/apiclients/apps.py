from django.apps import AppConfig


class ApiClientsConfig(AppConfig):
    name = "services.apiclients"
    label = "apiclients"
    verbose_name = "API clients"
