from django.contrib import admin

from services.webhooks.models import Delivery, DeliveryAttempt, Subscription
from services.workflow.admin import ReadOnlyAdminMixin


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Clients subscribe and delete through the API; staff read (the secret is sealed and never shown)."""

    list_display = ["id", "client", "url", "states", "created_at", "deleted_at"]
    list_filter = ["client"]
    search_fields = ["url", "client__bin"]
    list_select_related = ["client"]
    fields = readonly_fields = list_display


class AttemptInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DeliveryAttempt
    fields = ["number", "started_at", "duration_ms", "status_code", "error", "response_excerpt"]
    readonly_fields = fields
    extra = 0


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Failed deliveries are shown here to staff; the request they belong to keeps its state."""

    list_display = ["id", "subscription", "event", "state", "attempts", "last_status_code", "next_attempt_at"]
    list_filter = ["state"]
    search_fields = ["event__request__reference", "subscription__url"]
    list_select_related = ["subscription", "event"]
    readonly_fields = [*list_display, "leased_until", "created_at", "finished_at"]
    inlines = [AttemptInline]
