from django.contrib import admin
from django.urls import include, path

from portal import consent, views
from portal.backoffice.admin_site import PortalAdminSite
from portal.dashboard import prometheus

# The admin asks for a one-time code too (django-otp), as the back office does, with the same login form.
admin.site.__class__ = PortalAdminSite

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("portal.api.urls")),
    path("accounts/profile/tokens/", include("portal.api.profile_urls")),
    path("accounts/", include("portal.accounts.urls")),
    path("services/<slug:code>/apply/", include("portal.apply.urls")),
    path("services/", include("portal.catalogue.urls")),
    path("requests/", include("portal.tracking.urls")),
    path("notifications/", include("portal.notifications.urls")),
    path("backoffice/", include("portal.backoffice.urls")),
    path("verify/", include("portal.verify_urls")),
    path("consent/<str:reference>/", consent.owner_consent, name="owner_consent"),
    path("dashboard/", include("portal.dashboard.urls")),
    path("metrics", prometheus.metrics, name="metrics"),
    path("dev/", include("portal.dev_urls")),
    path("", views.home, name="home"),
]
