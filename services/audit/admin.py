from django.contrib import admin

from services.audit.models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Access records are evidence: administrators read them, nobody edits them."""

    list_display = ["created_at", "user", "agency", "request", "purpose", "channel", "detail"]
    list_filter = ["purpose", "channel", "agency"]
    search_fields = ["request__reference", "user__iin"]
    list_select_related = ["user", "agency", "request"]
    readonly_fields = list_display

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
