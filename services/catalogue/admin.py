from django.contrib import admin

from services.catalogue.models import Agency, FormVersion, LifeEvent, Service


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_kk", "name_ru"]
    search_fields = ["code", "name_en", "name_kk", "name_ru"]


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_kk", "name_ru"]


class FormVersionInline(admin.TabularInline):
    """Form versions are history: shown, never edited (a changed form is loaded as a new version)."""

    model = FormVersion
    fields = ["version", "digest", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "agency", "decision_mode", "legal_deadline_days", "fee_kzt", "active"]
    list_filter = ["agency", "decision_mode", "active"]
    search_fields = ["code", "name_en", "name_kk", "name_ru"]
    filter_horizontal = ["life_events"]
    readonly_fields = ["form"]
    inlines = [FormVersionInline]
