from django.urls import path

from portal.api import pages

urlpatterns = [
    path("", pages.token_list, name="api_tokens"),
    path("<int:token_id>/revoke/", pages.token_revoke_page, name="api_token_revoke"),
]
