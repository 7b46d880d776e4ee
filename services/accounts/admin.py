import django_otp.plugins.otp_totp.admin  # noqa: F401  (registers django-otp's admin, replaced below)
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

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


# django-otp's own admin adds devices with a key of the administrator's choosing and shows every
# secret: a second authenticator past the one-per-person rule and the audit. A person gets a new
# one only through "Let them set up a new authenticator" above, confirmed at the staff login.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Who has an authenticator, and since when: to look at only, and never with its secret key."""

    list_display = ["user", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    list_filter = ["confirmed"]
    search_fields = ["user__iin", "user__last_name"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TOTPDevice | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: TOTPDevice | None = None) -> bool:
        return False
