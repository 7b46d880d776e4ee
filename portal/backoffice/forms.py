"""Forms of the back office. They check the shape of the input; the rules live in services.workflow."""

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.forms import LoginForm
from services.accounts.models import User
from services.accounts.totp import totp_device_of, totp_enrolment_confirm, totp_enrolment_of, totp_wait_seconds
from services.backoffice.selectors import QUEUE_STATES, Assignment, DeadlineStatus, QueueCounts
from services.catalogue.models import Service

BAD_CODE = _("The one-time code is wrong or was already used. Wait for the next code and try again.")
NO_CODE = _("Enter the one-time code.")
NO_DEVICE = _("No authenticator is set up for your account. Ask your administrator to set one up.")


def code_refusal(device: TOTPDevice, token: str) -> str | None:
    """Why `token` does not log in with `device` (too many attempts, or a wrong code), or None if it does.

    After failed attempts django-otp refuses every code for a while, the right one too: saying so
    (and for how long) keeps a person from thinking the right code is wrong.
    """
    wait = totp_wait_seconds(device)
    if wait:
        return _throttled(wait)
    return None if device.verify_token(token) else str(BAD_CODE)


def _throttled(seconds: int) -> str:
    return ngettext(
        "Too many attempts: wait %(seconds)d second and try again.",
        "Too many attempts: wait %(seconds)d seconds and try again.",
        seconds,
    ) % {"seconds": seconds}


class StaffLoginForm(LoginForm):
    """IIN, password and the one-time code from the person's authenticator app."""

    otp_token = forms.CharField(
        label=_("One-time code"),
        max_length=8,
        required=False,  # not asked of a person setting up their authenticator: that comes next
        help_text=_("The 6 digits your authenticator app shows now."),
    )
    error_messages = {
        **LoginForm.error_messages,
        "not_staff": _("This login is for agency staff. Check the IIN and the password."),
        "no_device": NO_DEVICE,
        "no_code": NO_CODE,
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.device = None
        self.enrolment = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is None:  # a required field is missing: its own error says so, and so does the code's
            if not _digits(cleaned.get("otp_token", "")):
                self.add_error("otp_token", self.error_messages["no_code"])
            return cleaned
        if not user.staff_role:
            raise ValidationError(self.error_messages["not_staff"], code="not_staff")
        self.device = totp_device_of(user)
        if self.device is None:
            self.enrolment = totp_enrolment_of(user)
            if self.enrolment is None:
                raise ValidationError(self.error_messages["no_device"], code="no_device")
            return cleaned
        token = _digits(cleaned.get("otp_token", ""))
        if not token:
            self.add_error("otp_token", self.error_messages["no_code"])
        elif refusal := code_refusal(self.device, token):
            self.add_error("otp_token", refusal)
        return cleaned


class AdminLoginForm(AdminAuthenticationForm):
    """The admin site's login: IIN, password and the code of the person's one authenticator (no device to pick)."""

    otp_token = forms.CharField(
        label=_("One-time code"),
        max_length=8,
        required=False,
        help_text=_("The 6 digits your authenticator app shows now."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # a wrong password or a person who is not staff stops here
        user = self.get_user()
        if user is None:  # the IIN or the password is missing: its own error says so
            return cleaned
        device = totp_device_of(user)
        token = _digits(cleaned.get("otp_token", ""))
        if device is None:
            raise ValidationError(NO_DEVICE, code="no_device")
        if not token:
            self.add_error("otp_token", NO_CODE)
        elif refusal := code_refusal(device, token):
            self.add_error("otp_token", refusal)
        else:
            user.otp_device = device  # django-otp marks the session verified when Django logs the user in
        return cleaned


class AuthenticatorConfirmForm(forms.Form):
    """The first code of a new authenticator, which confirms that it was set up right."""

    otp_token = forms.CharField(
        label=_("One-time code"),
        max_length=8,
        help_text=_("The 6 digits your authenticator app shows now."),
        error_messages={"required": NO_CODE},
    )

    def __init__(self, *args: Any, device: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self) -> str:
        token = _digits(self.cleaned_data["otp_token"])
        if wait := totp_wait_seconds(self.device):
            raise ValidationError(_throttled(wait), code="throttled")
        if not totp_enrolment_confirm(device=self.device, token=token):
            raise ValidationError(BAD_CODE, code="bad_code")
        return token


def _digits(text: str) -> str:
    return "".join(text.split())


def _counted(label: str, count: int) -> str:
    return f"{label} ({count})"


class QueueFilterForm(forms.Form):
    """The queue's filters, each option labelled with how many requests it would show."""

    service = forms.TypedChoiceField(label=_("Service"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("Status"), required=False)
    deadline = forms.ChoiceField(label=_("Deadline"), required=False)
    assignment = forms.ChoiceField(label=_("Assigned"), required=False)
    escalated = forms.BooleanField(label=_("Escalated only"), required=False)

    def __init__(self, *args: Any, services: list[Service], counts: QueueCounts, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = _counted(str(_("All")), counts.total)
        self.fields["service"].choices = [("", everything)] + [
            (service.pk, _counted(service.name, counts.by_service.get(service.pk, 0))) for service in services
        ]
        self.fields["state"].choices = [("", everything)] + [
            (state.value, _counted(str(state.label), counts.by_state.get(state.value, 0))) for state in QUEUE_STATES
        ]
        self.fields["deadline"].choices = [("", everything)] + [
            (status.value, _counted(str(status.label), counts.by_deadline[status.value])) for status in DeadlineStatus
        ]
        self.fields["assignment"].choices = [("", everything)] + [
            (option.value, _counted(str(option.label), counts.by_assignment[option.value])) for option in Assignment
        ]
        self.fields["escalated"].label = _counted(str(_("Escalated only")), counts.escalated)

    def filters(self) -> dict[str, Any]:
        """The chosen filters as `queue_for_agency` takes them: each valid one, while an invalid one
        is left out and its error is shown by its field."""
        if not self.is_bound:
            return {}
        self.is_valid()  # fills cleaned_data with the fields that are valid
        return {name: value for name, value in self.cleaned_data.items() if value}


class MessageForm(forms.Form):
    message = forms.CharField(label=_("What do you need from the citizen?"), widget=forms.Textarea, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea, required=False)


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("Internal note (optional)"), widget=forms.Textarea, required=False)


class RejectForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground for refusal"), required=False, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Explanation for the citizen"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, grounds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = grounds


class AssigneeForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Give to"), queryset=User.objects.none(), error_messages={"required": _("Choose an officer.")}
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff
        self.fields["assignee"].label_from_instance = lambda officer: officer.get_full_name() or officer.iin
