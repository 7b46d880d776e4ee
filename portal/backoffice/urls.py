"""Back-office pages, under /backoffice/ (namespace "backoffice"). Every pattern is in the permission matrix test."""

from django.urls import path

from portal.backoffice import assisted, authenticator, team, views

app_name = "backoffice"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("login/", views.staff_login, name="login"),
    path("authenticator/", authenticator.authenticator, name="authenticator"),
    path("requests/<str:reference>/", views.request_page, name="request"),
    path("requests/<str:reference>/document/", views.result_document, name="result_document"),
    path("requests/<str:reference>/files/<uuid:public_id>/", views.uploaded_file, name="uploaded_file"),
    *(
        path(f"requests/<str:reference>/{spec.slug}/", views.act, {"action": name}, name=name)
        for name, spec in views.ACTIONS.items()
    ),
    path("assisted/", assisted.assisted_start, name="assisted_start"),
    path("assisted/<str:reference>/", assisted.assisted_answers, name="assisted_answers"),
    path("team/", team.team, name="team"),
    path("team/reassign/", team.team_reassign, name="team_reassign"),
]
