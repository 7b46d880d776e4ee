"""The notification inbox, under /notifications/."""

from django.urls import path

from portal.notifications import views

urlpatterns = [
    path("", views.notification_inbox, name="notification_inbox"),
]
