"""Apply pages, under /services/<code>/apply/. "check" and "done" come before the question pages' catch-all."""

from django.urls import path

from portal.apply import views

urlpatterns = [
    path("", views.apply_start, name="apply_start"),
    path("<str:reference>/check/", views.apply_check, name="apply_check"),
    path("<str:reference>/done/", views.apply_done, name="apply_done"),
    path("<str:reference>/<slug:page>/", views.apply_page, name="apply_page"),
]
