"""Staff's second factor: one TOTP device (an authenticator app) per person, with django-otp."""

import hashlib

from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from services.accounts.models import User

DEVICE_NAME = "authenticator"


def totp_device_of(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator, or None when none is set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


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
