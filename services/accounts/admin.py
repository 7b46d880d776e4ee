from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from services.accounts.models import User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """People are found by IIN; staff get an agency and a role here."""

    ordering = ["iin"]
    list_display = ["iin", "last_name", "first_name", "agency", "staff_role", "is_active"]
    list_filter = ["staff_role", "agency", "is_superuser", "is_active"]
    search_fields = ["iin", "last_name", "first_name", "email"]
    fieldsets = [
        (None, {"fields": ["iin", "password"]}),
        (_("Person"), {"fields": ["last_name", "first_name", "email", "phone", "preferred_language"]}),
        (_("Civil service"), {"fields": ["agency", "staff_role"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["iin", "password1", "password2"]})]
