from django.contrib import admin

from services.consents.models import Consent, ThirdPartyClient
from services.workflow.admin import ReadOnlyAdminMixin


@admin.register(ThirdPartyClient)
class ThirdPartyClientAdmin(admin.ModelAdmin):
    list_display = ["name", "bin", "user", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "bin"]
    raw_id_fields = ["user"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Consents are given and revoked by citizens only; the admin reads the history."""

    list_display = ["citizen", "client", "purpose", "given_at", "revoked_at"]
    list_filter = ["purpose", "client"]
    search_fields = ["citizen__iin", "client__bin"]
    list_select_related = ["citizen", "client"]
