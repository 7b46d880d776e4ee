"""Catalogue pages."""

urlpatterns = []
