from django.contrib import admin

from services.processing.models import CheckResult, ConsentRequest
from services.workflow.admin import ReadOnlyAdminMixin


@admin.register(CheckResult)
class CheckResultAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["request", "check_code", "outcome", "finding", "refusal_ground", "checked_at"]
    list_filter = ["outcome", "check_code"]
    search_fields = ["request__reference"]
    list_select_related = ["request"]


@admin.register(ConsentRequest)
class ConsentRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["request", "owner_iin", "decision", "expires_at", "decided_at"]
    list_filter = ["decision"]
    search_fields = ["request__reference", "owner_iin"]
    exclude = ["code"]
