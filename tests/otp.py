"""Signing staff in with their second factor in tests: the code always comes from the device's own secret."""

from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from services.accounts.models import User
from services.accounts.totp import totp_device_ensure


def verified_client(user: User, *, language: str = "en") -> Client:
    """A browser signed in as `user` and verified by their authenticator, as after a login with a code."""
    device = totp_device_ensure(user=user)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client
