from django.contrib import admin

from services.catalogue.models import Agency, FormVersion, LifeEvent, Service


class RefreshServiceSearchMixin:
    """An agency's or a life event's names are part of its services' search columns."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        for service in obj.services.all():
            service.search_refresh()


@admin.register(Agency)
class AgencyAdmin(RefreshServiceSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name_en", "name_kk", "name_ru"]
    search_fields = ["code", "name_en", "name_kk", "name_ru"]


@admin.register(LifeEvent)
class LifeEventAdmin(RefreshServiceSearchMixin, admin.ModelAdmin):
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

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        form.instance.search_refresh()  # names and life events feed the search columns
