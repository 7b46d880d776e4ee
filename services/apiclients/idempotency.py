"""Idempotent writes with Stripe's semantics: one key, one outcome, replayed for every retry.

The key row is inserted in the same transaction as the write it guards. A concurrent retry's insert
waits on the unique index until the first transaction ends, then finds the stored response; if the
first write failed (rolled back), the retry runs the write itself.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
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
            IdempotencyKey.objects.filter(pk=row.pk).update(
                response_status=response.status,
                response_body=response.body,
                response_content_type=response.content_type,
            )
            return response
    except _Discard as discarded:
        return discarded.response


_CLAIM = """
    INSERT INTO {table} (user_id, key, fingerprint, created_at, response_body, response_content_type)
    VALUES (%s, %s, %s, %s, '', '')
    ON CONFLICT (user_id, key) DO UPDATE
        SET fingerprint = EXCLUDED.fingerprint, created_at = EXCLUDED.created_at,
            response_status = NULL, response_body = '', response_content_type = ''
        WHERE {table}.created_at < %s
    RETURNING id
"""


def _claim(*, user: User, key: str, fingerprint: str) -> IdempotencyKey:
    """The key's row: a new one (the caller runs the write), or the one another write completed.

    One statement: it inserts the key, or takes over a key older than its lifetime (a new key), or
    finds a live key and returns nothing. A concurrent write holding the key makes it wait until
    that transaction ends: committed, its row is the answer; rolled back, the insert goes ahead.
    """
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            _CLAIM.format(table=connection.ops.quote_name(IdempotencyKey._meta.db_table)),
            [user.pk, key, fingerprint, adapt(now), adapt(now - KEY_LIFETIME)],
        )
        claimed = cursor.fetchone()
    if claimed is not None:
        return IdempotencyKey(pk=claimed[0], user=user, key=key, fingerprint=fingerprint, created_at=now)
    return IdempotencyKey.objects.get(user=user, key=key)


def idempotency_keys_purge() -> int:
    """Delete the keys older than their lifetime (a retry after that is a new write); how many went."""
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEY_LIFETIME).delete()
    return deleted
