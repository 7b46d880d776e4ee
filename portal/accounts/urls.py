"""Accounts pages."""

urlpatterns = []
