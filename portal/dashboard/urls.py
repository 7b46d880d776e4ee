"""The dashboard, under /dashboard/ (namespace "dashboard")."""

from django.urls import path

from portal.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.staff_dashboard, name="staff"),
    path("public/", views.public_dashboard, name="public"),
]
