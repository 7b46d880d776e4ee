from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "services.feedback"
    label = "feedback"
    verbose_name = "Feedback"
