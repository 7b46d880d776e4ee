"""Account pages: sign up with a code sent to the registered phone, log in and out, reset a password, profile.

The views translate HTTP to services.accounts and back. Sending a code or a reset link is rate
limited per IIN (so nobody's phone or mailbox can be flooded) and per client address (so nobody can
probe many IINs).
"""

from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from portal.accounts.forms import (
    CodeForm,
    ConsentGiveForm,
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    SignupForm,
    add_service_errors,
)
from services.accounts.consent import CONSENT_PARAGRAPHS, CONSENT_VERSION
from services.accounts.models import Language, SignupVerification
from services.accounts.service import (
    phone_mask,
    profile_update,
    signup_confirm,
    signup_pending,
    signup_resend,
    signup_start,
)
from services.consents.selectors import consent_offers, consents_of
from services.consents.service import consent_give, consent_revoke

# Codes sent: per IIN, a person who lost a few messages still gets through; per address, a
# family or an office sharing one address can sign up several people in an hour.
CODE_RATE_PER_IIN = "3/10m"
CODE_RATE_PER_IP = "20/h"
_CODE_GROUP = "accounts:signup-code"
_SESSION_VERIFICATION = "accounts:signup-verification"
_SESSION_NEXT = "accounts:signup-next"
_LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"

TOO_MANY_CODES = _("Too many codes were requested. Wait 10 minutes, then try again.")
# Reset links: per IIN, nobody's mailbox can be flooded; per address, nobody can mail many accounts.
RESET_RATE_PER_IIN = "3/h"
RESET_RATE_PER_IP = "20/h"
_RESET_GROUP = "accounts:password-reset"
TOO_MANY_RESETS = _("Too many reset links were requested. Wait an hour, then try again.")


def _remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """Switch the portal to `language` from the next page on, as Django's set_language view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _safe_next(request: HttpRequest, url: str | None) -> str | None:
    """`url` if it stays on this site, else None (no open redirects)."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def _over_limit(request: HttpRequest, *, group: str, iin: str, per_iin: str, per_ip: str) -> bool:
    """Count one more message for this IIN and this address; True when either is over its limit."""
    by_iin = is_ratelimited(request, group=group, key=lambda group, request: iin, rate=per_iin, increment=True)
    by_ip = is_ratelimited(request, group=f"{group}:ip", key="ip", rate=per_ip, increment=True)
    return by_iin or by_ip


def _codes_limited(request: HttpRequest, *, iin: str) -> bool:
    return _over_limit(request, group=_CODE_GROUP, iin=iin, per_iin=CODE_RATE_PER_IIN, per_ip=CODE_RATE_PER_IP)


def _page_language() -> str:
    """The language the page is shown in, which a new account keeps as its preferred one."""
    language = get_language()
    return language if language in Language.values else Language.KAZAKH


def _pending(request: HttpRequest) -> SignupVerification | None:
    verification_id = request.session.get(_SESSION_VERIFICATION)
    return signup_pending(verification_id=verification_id) if verification_id else None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Step 1: IIN, email, password and consent; sends the code to the phone the register holds."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _codes_limited(request, iin=data["iin"]):
            form.add_error(None, TOO_MANY_CODES)
            status = 429
        else:
            try:
                verification = signup_start(
                    iin=data["iin"],
                    email=data["email"],
                    password=data["password"],
                    preferred_language=_page_language(),
                    consent_version=data["consent_version"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                request.session[_SESSION_VERIFICATION] = str(verification.id)
                request.session[_SESSION_NEXT] = next_url
                return redirect("signup_code")
    context = {
        "form": form,
        "consent_paragraphs": CONSENT_PARAGRAPHS,
        "consent_version": CONSENT_VERSION,
        "next": next_url,
    }
    return render(request, "portal/accounts/signup.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the SMS. The right code opens the account and logs the person in."""
    verification = _pending(request)
    if verification is None:
        return redirect("signup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = signup_confirm(verification_id=verification.id, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.pop(_SESSION_VERIFICATION, None)
            next_url = request.session.pop(_SESSION_NEXT, None)
            login(request, user, backend=_LOGIN_BACKEND)
            messages.success(request, _("Your account is open. You are logged in."))
            return _remember_language(redirect(next_url or "profile"), user.preferred_language)
    return _code_page(request, form, verification)


def _code_page(
    request: HttpRequest, form: CodeForm, verification: SignupVerification, status: int = 200
) -> HttpResponse:
    context = {"form": form, "masked_phone": phone_mask(verification.phone)}
    return render(request, "portal/accounts/signup_code.html", context, status=status)


@never_cache
@require_POST
def signup_code_resend(request: HttpRequest) -> HttpResponse:
    """Send a new code for the sign-up in progress; the previous code stops working."""
    verification = _pending(request)
    if verification is None:
        return redirect("signup")
    if _codes_limited(request, iin=verification.iin):
        return _code_page(request, CodeForm.refused(ValidationError(TOO_MANY_CODES)), verification, status=429)
    try:
        verification = signup_resend(verification_id=verification.id)
    except ValidationError as error:
        return _code_page(request, CodeForm.refused(error), verification)
    request.session[_SESSION_VERIFICATION] = str(verification.id)
    messages.success(request, _("We sent a new code. The previous code no longer works."))
    return redirect("signup_code")


class LoginView(auth_views.LoginView):
    """Log in with IIN and password; the portal then speaks the person's preferred language."""

    form_class = LoginForm
    template_name = "portal/accounts/login.html"

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        return _remember_language(response, form.get_user().preferred_language)


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, as Django requires) and return to the home page."""

    next_page = "/"


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for the IIN; the link goes to the account's email address. The answer is the same for any IIN."""

    form_class = PasswordResetForm
    template_name = "portal/accounts/password_reset.html"
    email_template_name = "portal/accounts/password_reset_email.txt"
    subject_template_name = "portal/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        """Counted whether or not the IIN has an account, so being refused tells nothing about it."""
        if _resets_limited(self.request, iin=form.cleaned_data["iin"]):
            form.add_error(None, TOO_MANY_RESETS)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


def _resets_limited(request: HttpRequest, *, iin: str) -> bool:
    return _over_limit(request, group=_RESET_GROUP, iin=iin, per_iin=RESET_RATE_PER_IIN, per_ip=RESET_RATE_PER_IP)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/accounts/password_reset_complete.html"


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The person's details from the register, and the language and email address they can change."""
    user = request.user
    form = ProfileForm(
        request.POST or None, initial={"preferred_language": user.preferred_language, "email": user.email}
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            with translation.override(user.preferred_language):
                messages.success(request, str(_("Your profile is saved.")))
            return _remember_language(HttpResponseRedirect(reverse("profile")), user.preferred_language)
    context = {"form": form, "consent_offers": consent_offers(user)}
    return render(request, "portal/accounts/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_consent_give(request: HttpRequest) -> HttpResponse:
    """Allow an organisation one purpose (a plain form on the profile page; a GET goes back to it)."""
    if request.method == "GET":
        return redirect(f"{reverse('profile')}#consents")
    form = ConsentGiveForm(request.POST)
    if not form.is_valid():
        raise Http404
    client = form.cleaned_data["client"]
    try:
        consent_give(citizen=request.user, client=client, purpose=form.cleaned_data["purpose"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Consent given to %(organisation)s.") % {"organisation": client.name})
    return redirect(f"{reverse('profile')}#consents")


@login_required
@require_http_methods(["GET", "POST"])
def profile_consent_revoke(request: HttpRequest, consent_id: int) -> HttpResponse:
    """Revoke one of the citizen's consents; the organisation loses access at once (a GET goes back)."""
    consent = get_object_or_404(consents_of(request.user), pk=consent_id)
    if request.method == "GET":
        return redirect(f"{reverse('profile')}#consents")
    consent = consent_revoke(consent=consent)
    messages.success(
        request, _("Consent revoked: %(organisation)s no longer has access.") % {"organisation": consent.client.name}
    )
    return redirect(f"{reverse('profile')}#consents")


def lockout(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' page for a login refused after too many failures (AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else None
    return render(request, "portal/accounts/lockout.html", {"minutes": minutes}, status=429)
