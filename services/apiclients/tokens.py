"""Personal access tokens: create, list, revoke, and authenticate by secret."""

import hashlib
import secrets
from datetime import timedelta

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.accounts.models import User
from services.apiclients.models import AccessToken

SECRET_PREFIX = "egov_"  # noqa: S105 (a marker that names the kind of secret, not a secret)
MAX_LIFETIME_DAYS = 365
DEFAULT_LIFETIME_DAYS = 90
# How stale `last_used_at` may get before a use writes it again (a write on every call costs a query).
_LAST_USED_RESOLUTION = timedelta(minutes=1)


class SecondFactorRequired(Exception):
    """Staff accounts get tokens only once a second factor (a django-otp device) is set up and used."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("Staff accounts need a second factor set up before they can have access tokens."))


class SecondFactorNotUsed(SecondFactorRequired):
    """A staff account signed in with its password alone: a token would outlive that weaker sign-in."""

    def __init__(self) -> None:
        super().__init__(
            _("Sign in through the staff sign-in, with your one-time code, before creating an access token.")
        )


def secret_hash(secret: str) -> str:
    """The stored form of a secret: its SHA-256 (secrets are random and long, so no salt is needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def is_staff_account(user: User) -> bool:
    return bool(user.is_staff or user.is_superuser or user.staff_role)


def second_factor_configured(user: User) -> bool:
    """Whether the user has a confirmed django-otp device; False while django-otp is not installed."""
    if not apps.is_installed("django_otp"):
        return False
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)


def token_create(
    *, user: User, name: str, lifetime_days: int = DEFAULT_LIFETIME_DAYS, second_factor_verified: bool = False
) -> tuple[AccessToken, str]:
    """A new token for `user` and its secret (shown to the owner this once, never stored).

    `second_factor_verified` says the caller's session was verified with the account's one-time code
    (django-otp's `user.is_verified()`); staff accounts get tokens only then, since a token passes the
    staff second-factor checks on its own. Raises SecondFactorRequired for staff without a second
    factor, SecondFactorNotUsed for staff whose session did not use it; ValueError for a lifetime out of range.
    """
    if not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        raise ValueError(f"lifetime_days must be between 1 and {MAX_LIFETIME_DAYS}")
    if is_staff_account(user):
        if not second_factor_configured(user):
            raise SecondFactorRequired()
        if not second_factor_verified:
            raise SecondFactorNotUsed()
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = AccessToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=secret[: len(SECRET_PREFIX) + 6],
        secret_hash=secret_hash(secret),
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days),
        second_factor_verified=second_factor_verified,
    )
    return token, secret


def tokens_of(*, user: User) -> QuerySet[AccessToken]:
    """The user's tokens that still work, newest first."""
    return AccessToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()).order_by(
        "-created_at", "-pk"
    )


def token_revoke(*, token: AccessToken) -> AccessToken:
    """Revoke a token (its owner's choice); revoking it again changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(secret: str) -> AccessToken | None:
    """The active token with this secret, its use recorded; None if there is none, or for staff a token not made
    from a session verified with the one-time code (made before a promotion, say) or after losing the second factor."""
    if not secret.startswith(SECRET_PREFIX):
        return None
    try:  # the hash is unique: a plain look-up, without the ORDER BY of .first()
        token = AccessToken.objects.select_related("user").get(secret_hash=secret_hash(secret))
    except AccessToken.DoesNotExist:
        return None
    now = timezone.now()
    if not token.is_active(now) or not token.user.is_active:
        return None
    if is_staff_account(token.user) and not (token.second_factor_verified and second_factor_configured(token.user)):
        return None
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
