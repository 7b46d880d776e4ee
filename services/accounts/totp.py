"""Staff's second factor: one TOTP device (an authenticator app) per person, with django-otp."""

import hashlib
import math
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from services.accounts.models import User
from services.audit.models import AuditAction
from services.audit.service import audit_event_record

DEVICE_NAME = "authenticator"


def totp_device_of(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator, or None when none is set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def totp_wait_seconds(device: TOTPDevice) -> int:
    """How many seconds django-otp still refuses every code after failed attempts (0: a code is checked now).

    While the device is throttled even the right code fails, so a caller says how long to wait instead.
    """
    allowed, data = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (data or {}).get("locked_until")
    if locked_until is None:  # throttled for a reason without an end: a short wait, then try again
        return 1
    return max(1, math.ceil((locked_until - timezone.now()).total_seconds()))


@transaction.atomic
def totp_device_ensure(*, user: User, key: str | None = None) -> TOTPDevice:
    """Give `user` exactly one confirmed authenticator, with the hex `key` if given (else a new random one)."""
    TOTPDevice.objects.filter(user=user).exclude(key=key or "").delete()
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:
        device = TOTPDevice(user=user, name=DEVICE_NAME, confirmed=True)
        if key:
            device.key = key
        device.save()
    return device


def totp_enrolment_open(*, user: User, by: User) -> TOTPDevice:
    """An administrator lets `user` set up a new authenticator (a first one, or after losing a phone).

    Every device the person had stops working; the new one counts only once the person has shown a
    code from it at the staff login, within TOTP_ENROLMENT_HOURS.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        audit_event_record(user=by, action=AuditAction.AUTHENTICATOR_SETUP_OPENED, target=f"user:{user.pk}")
    return device


def totp_enrolment_of(user: User) -> TOTPDevice | None:
    """The authenticator `user` has been let set up and has not confirmed yet, while the offer stands."""
    since = timezone.now() - timedelta(hours=settings.TOTP_ENROLMENT_HOURS)
    return TOTPDevice.objects.filter(user=user, confirmed=False, created_at__gte=since).order_by("-pk").first()


def totp_enrolment_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm the new authenticator if `token` is its current code; False (nothing changed) otherwise."""
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_event_record(user=device.user, action=AuditAction.AUTHENTICATOR_CONFIRMED, target=f"device:{device.pk}")
    return True


def totp_demo_key(iin: str) -> str:
    """A fixed secret per demo person (development only), so an authenticator keeps working across resets."""
    return hashlib.sha256(f"portal-demo-totp:{iin}".encode()).hexdigest()[:40]


def totp_code_now(device: TOTPDevice) -> str:
    """The code the person's authenticator shows at this moment (for development and tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def totp_time_step(device: TOTPDevice) -> int:
    """The current time step, so a caller can wait for the next one before using a code again."""
    return TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
