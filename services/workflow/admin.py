"""Read-only views of requests for administrators: history is never edited here, only looked at.

Failed side effects (a document or message that could not be produced) are listed for staff to act on.
"""

from django.contrib import admin

from services.audit.service import access_record_in_admin
from services.workflow.models import RequestEvent, ServiceRequest, SideEffect


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RequestEvent
    fields = ["sequence", "created_at", "action", "from_state", "to_state", "actor_kind", "actor", "channel", "payload"]
    readonly_fields = fields
    extra = 0


class SideEffectInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SideEffect
    fields = ["kind", "status", "attempts", "last_error", "created_at", "finished_at"]
    readonly_fields = fields
    extra = 0


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "service", "state", "channel", "submitted_at", "deadline", "escalated"]
    list_filter = ["state", "channel", "escalated", "service__agency", "service"]
    search_fields = ["reference", "citizen__iin"]
    list_select_related = ["service"]
    date_hierarchy = "created_at"
    inlines = [EventInline, SideEffectInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        access_record_in_admin(user=request.user, request_id=object_id)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(SideEffect)
class SideEffectAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["request", "kind", "status", "attempts", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["request__reference"]
    list_select_related = ["request"]
    readonly_fields = ["request", "event", "kind", "status", "attempts", "last_error", "created_at", "finished_at"]
