"""Forms of the account pages. They check the shape of the answers; the rules live in services.accounts."""

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from services.accounts.iin import validate_iin
from services.accounts.models import Language
from services.accounts.service import CODE_DIGITS, signup_password_validate, user_for_password_reset
from services.consents.models import Purpose
from services.consents.selectors import clients_asking

IIN_REQUIRED = _("Enter your IIN.")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a refusal from services.accounts: by the field it names, or at the top when the form has no such field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        shown = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if shown else None, errors)


def _iin_field() -> forms.CharField:
    return forms.CharField(
        label=_("IIN"),
        max_length=20,
        help_text=_("12 digits, as on your identity card."),
        error_messages={"required": IIN_REQUIRED},
    )


def _clean_iin(value: str) -> str:
    """Spaces do not matter (people copy the IIN in groups); the check digit does."""
    iin = "".join(value.split())
    validate_iin(iin)
    return iin


class SignupForm(forms.Form):
    """Step 1 of sign-up: who you are, how to reach you, your password and your consent."""

    iin = _iin_field()
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send password reset links here."),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address in the correct format, like name@example.kz."),
        },
    )
    password = forms.CharField(
        label=_("Create a password"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("At least 8 characters. Do not use only digits, your name or your IIN."),
        error_messages={"required": _("Enter a password.")},
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data as described above"),
        error_messages={"required": _("To open an account, agree to the processing of your personal data.")},
    )
    # The version of the text the page showed; services.accounts refuses one that is no longer current.
    consent_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_iin(self) -> str:
        return _clean_iin(self.cleaned_data["iin"])

    def clean(self) -> dict[str, Any]:
        # The password rules here as well as in signup_start, so their errors come with the others at once.
        cleaned = super().clean()
        if cleaned.get("password"):
            try:
                signup_password_validate(
                    iin=cleaned.get("iin", ""), email=cleaned.get("email", ""), password=cleaned["password"]
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class CodeForm(forms.Form):
    """Step 2 of sign-up: the one-time code from the SMS."""

    code = forms.RegexField(
        label=_("Code from the SMS"),
        regex=rf"^\s*\d{{{CODE_DIGITS}}}\s*$",
        max_length=20,
        help_text=_("The 6 digits, for example 472019."),
        error_messages={
            "required": _("Enter the code from the SMS."),
            "invalid": _("Enter the 6 digits of the code from the SMS."),
        },
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()

    @classmethod
    def refused(cls, error: ValidationError) -> "CodeForm":
        """An empty form showing `error`, for a request for a new code that was refused."""
        form = cls()
        form.cleaned_data = {}  # add_error expects a cleaned form; this one was never bound
        add_service_errors(form, error)
        return form


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form, with the IIN as the user name (the field keeps the name `username` for axes)."""

    error_messages = {
        "invalid_login": _("The IIN or the password is wrong. Check them and try again."),
        "inactive": _("This account is closed."),
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"] = _iin_field()
        self.fields["username"].error_messages["required"] = IIN_REQUIRED
        self.fields["password"].label = _("Password")
        self.fields["password"].error_messages["required"] = _("Enter your password.")

    def clean_username(self) -> str:
        # Only spaces are removed: a malformed IIN fails like a wrong one, so axes counts it too.
        return "".join(self.cleaned_data["username"].split())


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Asks for the IIN and emails a reset link to that account's address, saying the same whether or not it exists."""

    email = None
    iin = _iin_field()
    field_order = ["iin"]

    def clean_iin(self) -> str:
        return _clean_iin(self.cleaned_data["iin"])

    def save(
        self,
        domain_override: str | None = None,
        subject_template_name: str = "portal/accounts/password_reset_subject.txt",
        email_template_name: str = "portal/accounts/password_reset_email.txt",
        use_https: bool = False,
        token_generator: Any = default_token_generator,
        from_email: str | None = None,
        request: HttpRequest | None = None,
        html_email_template_name: str | None = None,
        extra_email_context: dict | None = None,
    ) -> None:
        """Send the link, in the account's preferred language, if the IIN has an account with an email address."""
        user = user_for_password_reset(iin=self.cleaned_data["iin"])
        if user is None or not user.has_usable_password():
            return
        site = get_current_site(request)
        context = {
            "email": user.email,
            "domain": domain_override or site.domain,
            "site_name": domain_override or site.name,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": token_generator.make_token(user),
            "protocol": "https" if use_https else "http",
            **(extra_email_context or {}),
        }
        with translation.override(user.preferred_language):
            self.send_mail(
                subject_template_name, email_template_name, context, from_email, user.email, html_email_template_name
            )


class ProfileForm(forms.Form):
    """The language the portal uses for you, and your email address."""

    preferred_language = forms.ChoiceField(
        label=_("Language of the portal and of our messages"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a language.")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address in the correct format, like name@example.kz."),
        },
    )


class ConsentGiveForm(forms.Form):
    """The hidden fields of an “Allow” button on the profile page."""

    client = forms.ModelChoiceField(queryset=clients_asking())
    purpose = forms.ChoiceField(choices=Purpose.choices)
