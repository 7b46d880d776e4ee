"""Who may open the back office: agency staff who logged in with a one-time code.

Anonymous visitors, and staff who signed in without a code, are sent to the staff login; anyone
else signed in (a citizen, an administrator without an agency) is refused with 403. Each request
is then looked up within the officer's agency, so another agency's reference answers 404.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

View = Callable[..., HttpResponse]


def staff_required(view: View | None = None, *, supervisor: bool = False) -> View | Callable[[View], View]:
    """Let only verified agency staff (with `supervisor`, only supervisors) through to `view`."""

    def decorate(inner: View) -> View:
        @wraps(inner)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or (user.staff_role and not user.is_verified()):
                return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
            if not user.staff_role or (supervisor and user.staff_role != "supervisor"):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return guarded

    return decorate(view) if view is not None else decorate
