"""Setting up an authenticator, once an administrator has let the person do it.

The staff login checks the IIN and the password; a person with a set-up offer and no authenticator
yet is sent here with that fact in the session (not logged in). The page shows the new secret as a
QR code and as text; the first code from the app confirms it and logs the person in.
"""

import base64
import textwrap

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.backoffice.forms import AuthenticatorConfirmForm
from services.accounts.models import User
from services.accounts.totp import totp_enrolment_of

SESSION_KEY = "backoffice:enrolment"
_LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def enrolment_begin(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    """After the password: remember whose set-up this is, and go to the set-up page."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = device.pk
    return redirect("backoffice:authenticator")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def authenticator(request: HttpRequest) -> HttpResponse:
    device = _pending_device(request)
    if device is None:
        return redirect("backoffice:login")
    form = AuthenticatorConfirmForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        del request.session[SESSION_KEY]
        login(request, device.user, backend=_LOGIN_BACKEND)
        otp_login(request, device)
        messages.success(request, gettext("Your authenticator is set up. Use its codes every time you log in."))
        return redirect("backoffice:queue")
    context = {"form": form, "qr_svg": _qr_svg(device.config_url), "secret": _grouped_secret(device)}
    return render(request, "portal/backoffice/authenticator.html", context, status=400 if form.errors else 200)


def _pending_device(request: HttpRequest) -> TOTPDevice | None:
    """The device in the session, while it is still the person's open set-up offer."""
    pk = request.session.get(SESSION_KEY)
    device = TOTPDevice.objects.filter(pk=pk).select_related("user").first() if pk else None
    if device is None or not isinstance(device.user, User) or totp_enrolment_of(device.user) != device:
        return None
    return device


def _qr_svg(uri: str) -> str:
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, title=gettext("QR code of your new authenticator"))


def _grouped_secret(device: TOTPDevice) -> str:
    """The secret as an app asks for it when typed in: base32, in groups of four."""
    return " ".join(textwrap.wrap(base64.b32encode(device.bin_key).decode(), 4))
