"""The portal's URLs and `/bench/bare/`: a bare Django view answering JSON, the baseline of the filing benchmark."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare/", bare), *portal_urlpatterns]
