"""Back-office pages, under /backoffice/ (namespace "backoffice"). Every pattern is in the permission matrix test."""

from django.urls import path

from portal.backoffice import assisted, team, views

app_name = "backoffice"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("login/", views.staff_login, name="login"),
    path("requests/<str:reference>/", views.request_page, name="request"),
    path("requests/<str:reference>/claim/", views.claim, name="claim"),
    path("requests/<str:reference>/reassign/", views.reassign, name="reassign"),
    path("requests/<str:reference>/request-info/", views.ask_for_information, name="request_info"),
    path("requests/<str:reference>/approve/", views.approve, name="approve"),
    path("requests/<str:reference>/reject/", views.reject, name="reject"),
    path("requests/<str:reference>/note/", views.note, name="note"),
    path("assisted/", assisted.assisted_start, name="assisted_start"),
    path("assisted/<str:reference>/", assisted.assisted_answers, name="assisted_answers"),
    path("team/", team.team, name="team"),
    path("team/reassign/", team.team_reassign, name="team_reassign"),
]
