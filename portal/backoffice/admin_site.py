"""The admin site: django-otp's, with the back office's login (the code of the person's one authenticator)."""

from django_otp.admin import OTPAdminSite

from portal.backoffice.forms import AdminLoginForm


class PortalAdminSite(OTPAdminSite):
    """Only people verified by their one-time code get in; the login asks for no device, as each has one."""

    login_form = AdminLoginForm
    login_template = "portal/backoffice/admin_login.html"
