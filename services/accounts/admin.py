from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from services.accounts.models import User
from services.accounts.totp import totp_enrolment_open


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
    actions = ["open_authenticator_setup"]

    @admin.action(description=_("Let them set up a new authenticator (their current one stops working)"))
    def open_authenticator_setup(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        staff = [user for user in queryset if user.staff_role]
        for user in staff:
            totp_enrolment_open(user=user, by=request.user)
        if len(staff) < queryset.count():
            self.message_user(request, gettext("Only agency staff log in with an authenticator."), messages.WARNING)
        self.message_user(
            request,
            ngettext(
                "%(count)d person can set up an authenticator at the staff login.",
                "%(count)d people can set up an authenticator at the staff login.",
                len(staff),
            )
            % {"count": len(staff)},
        )
