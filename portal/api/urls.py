"""The API's URLs: /api/v1/ resources, /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI, served locally)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from portal.api.views.catalogue import ServiceViewSet
from portal.api.views.consents import ConsentViewSet
from portal.api.views.documents import VerificationView
from portal.api.views.fallback import not_found
from portal.api.views.performance import DashboardView, PerformanceView
from portal.api.views.queue import QueueViewSet
from portal.api.views.requests import REFERENCE, AttachmentViewSet, RequestViewSet, TimelineViewSet
from portal.api.views.tokens import TokenViewSet
from portal.api.views.webhooks import WebhookViewSet

router = SimpleRouter()
router.register("services", ServiceViewSet, basename="api-service")
router.register("requests", RequestViewSet, basename="api-request")
router.register(rf"requests/(?P<reference>{REFERENCE})/timeline", TimelineViewSet, basename="api-request-timeline")
router.register(
    rf"requests/(?P<reference>{REFERENCE})/attachments", AttachmentViewSet, basename="api-request-attachment"
)
router.register("tokens", TokenViewSet, basename="api-token")
router.register("consents", ConsentViewSet, basename="api-consent")
router.register("queue", QueueViewSet, basename="api-queue")
router.register("webhooks", WebhookViewSet, basename="api-webhook")

v1 = [
    *router.urls,
    path("documents/<str:code>/verification/", VerificationView.as_view(), name="api-document-verification"),
    path("performance/", PerformanceView.as_view(), name="api-performance"),
    path("dashboard/", DashboardView.as_view(), name="api-dashboard"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^", not_found),  # every other path, newlines included,
]
