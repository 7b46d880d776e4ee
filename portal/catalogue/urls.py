"""Catalogue pages: /services/ and /services/<code>/."""

from django.urls import path

from portal.catalogue import views

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:code>/", views.passport, name="service_passport"),
]
