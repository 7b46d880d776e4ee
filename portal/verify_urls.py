"""Public verification of result documents: /verify/ and /verify/<code>/."""

from django.urls import path

from portal import verify

urlpatterns = [
    path("", verify.verify_start, name="verify"),
    path("<str:code>/", verify.verify_result, name="verify_result"),
]
