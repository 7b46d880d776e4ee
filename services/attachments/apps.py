from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "services.attachments"
    label = "attachments"
    verbose_name = "Attachments"
