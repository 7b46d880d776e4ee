"""Who may open the staff dashboard: agency staff (any role) and administrators, signed in with a one-time code.

The same rule as the back office (`portal.backoffice.access`), widened to administrators, who sign
in through the admin's own login with a code. Anonymous visitors, and staff or administrators whose
session has no verified code, are sent to log in; anyone else signed in (a citizen) is refused.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from portal.backoffice.access import View


def dashboard_staff_required(view: View) -> View:
    """Let only verified agency staff and verified administrators through to `view`."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        administrator = user.is_authenticated and user.is_staff and not user.staff_role
        if not user.is_authenticated or ((user.staff_role or administrator) and not user.is_verified()):
            login = reverse("admin:login") if administrator else reverse("backoffice:login")
            return redirect_to_login(request.get_full_path(), login)
        if not (user.staff_role or administrator):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded
