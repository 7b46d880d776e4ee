from django.contrib import admin

from services.audit.models import AccessRecord, AuditEvent
from services.workflow.admin import ReadOnlyAdminMixin


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Access records are evidence: administrators read them, nobody edits them."""

    list_display = ["created_at", "user", "agency", "request", "purpose", "channel", "detail"]
    list_filter = ["purpose", "channel", "agency"]
    search_fields = ["request__reference", "user__iin"]
    list_select_related = ["user", "agency", "request"]
    readonly_fields = list_display


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Audit events are evidence too: read only."""

    list_display = ["created_at", "user", "action", "target", "detail"]
    list_filter = ["action"]
    search_fields = ["target", "user__iin"]
    list_select_related = ["user"]
    readonly_fields = list_display
