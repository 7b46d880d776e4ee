"""Tracking pages, under /requests/."""

from django.urls import path

from portal.tracking import views

urlpatterns = [
    path("", views.tracking_list, name="my_requests"),
    path("<str:reference>/", views.tracking_detail, name="request_detail"),
    path("<str:reference>/withdraw/", views.tracking_withdraw, name="request_withdraw"),
    path("<str:reference>/respond/", views.tracking_respond, name="request_respond"),
    path("<str:reference>/document/", views.tracking_document, name="request_document"),
    path("<str:reference>/files/<uuid:public_id>/", views.tracking_attachment, name="request_attachment"),
    path("<str:reference>/satisfaction/", views.tracking_satisfaction, name="request_satisfaction"),
]
