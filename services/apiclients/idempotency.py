"""Idempotent writes with Stripe's semantics: one key, one outcome, replayed for every retry.

The key row is inserted in the same transaction as the write it guards. A concurrent retry's insert
waits on the unique index until the first transaction ends, then finds the stored response; if the
first write failed (rolled back), the retry runs the write itself.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from services.accounts.models import User
from services.apiclients.models import IdempotencyKey

MAX_KEY_LENGTH = 255
# Stripe keeps keys for 24 hours; an older key is a new key.
KEY_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: str  # the JSON text of the body
    content_type: str
    replayed: bool = False


class KeyReused(Exception):
    """The key was first used for a different write (another path or body)."""


class _Discard(Exception):
    """A server error: roll the write and its key back, so a retry may run it again."""

    def __init__(self, response: StoredResponse):
        self.response = response


def idempotent_write(*, user: User, key: str, fingerprint: str, write: Callable[[], StoredResponse]) -> StoredResponse:
    """Run `write` once for this user and key, store its response, and return it; a retry gets it replayed.

    Raises KeyReused when the key was used with another `fingerprint`. A response of 500 or more is
    not stored and nothing the write did is kept.
    """
    try:
        with transaction.atomic():
            row = _claim(user=user, key=key, fingerprint=fingerprint)
            if row.response_status is not None:
                if row.fingerprint != fingerprint:
                    raise KeyReused(key)
                return StoredResponse(row.response_status, row.response_body, row.response_content_type, replayed=True)
            response = write()
            if response.status >= 500:
                raise _Discard(response)
            row.response_status = response.status
            row.response_body = response.body
            row.response_content_type = response.content_type
            row.save(update_fields=["response_status", "response_body", "response_content_type"])
            return response
    except _Discard as discarded:
        return discarded.response


def _claim(*, user: User, key: str, fingerprint: str) -> IdempotencyKey:
    """The key's row: a new one (the caller runs the write), or the one another write completed."""
    IdempotencyKey.objects.filter(user=user, key=key, created_at__lt=timezone.now() - KEY_LIFETIME).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint)
    except IntegrityError:
        # Another transaction holds the key: the insert waited for it to commit.
        return IdempotencyKey.objects.get(user=user, key=key)


def idempotency_keys_purge() -> int:
    """Delete the keys older than their lifetime (a retry after that is a new write); how many went."""
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEY_LIFETIME).delete()
    return deleted
