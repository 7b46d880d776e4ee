from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "services.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
