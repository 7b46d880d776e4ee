"""Webhooks: clients subscribe URLs; each state change of a request a client may read becomes a delivery.

Deliveries are outbox rows written by `transition` in the state change's transaction
(`deliveries_record`), dispatched to Celery after commit, and re-dispatched by a sweeper when
their time has come and no worker holds them. A worker claims a delivery with a lease, checks
again that the consent stands and the subscription is active, and POSTs the event signed per
Standard Webhooks, with the delivery's id as the idempotency key. A delivery that keeps failing
ends as failed, on its own row; the request keeps its state.
"""

import contextlib
import json
import logging
import random
import socket
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import urllib3
import urllib3.connection
from cryptography.fernet import InvalidToken
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from services.accounts.models import User
from services.audit.models import AuditAction
from services.audit.service import audit_event_record
from services.consents.models import Consent, Purpose, ThirdPartyClient
from services.consents.selectors import consent_stands, purpose_allowed
from services.webhooks.addresses import Target, UnsafeURL, target_resolve
from services.webhooks.models import Delivery, DeliveryAttempt, Subscription
from services.webhooks.sealing import secret_generate, secret_reseal, secret_seal, secret_unseal
from services.webhooks.signing import sign
from services.workflow.models import RequestEvent

logger = logging.getLogger(__name__)

EVENT_TYPE = "request.state_changed"
EXCERPT_CHARACTERS = 200
ERROR_CHARACTERS = 500
BATCH = 500


def subscription_create(*, client: ThirdPartyClient, url: str, states: list[str]) -> tuple[Subscription, str]:
    """Subscribe `url` to the state changes (to `states`, or all) of the requests `client` may read.

    Returns the subscription and its signing secret, which is never shown again. Raises UnsafeURL.
    """
    target_resolve(url)
    secret = secret_generate()
    with transaction.atomic():
        subscription = Subscription.objects.create(
            client=client, url=url, states=sorted(set(states)), secret_sealed=secret_seal(secret)
        )
        audit_event_record(
            user=client.user, action=AuditAction.WEBHOOK_SUBSCRIBED, target=_audit_target(subscription), detail=url
        )
    return subscription, secret


def subscription_delete(*, subscription: Subscription, user: User) -> None:
    """Close the subscription; its pending deliveries are cancelled (the log of past ones stays)."""
    now = timezone.now()
    with transaction.atomic():
        if not Subscription.objects.filter(pk=subscription.pk, deleted_at__isnull=True).update(deleted_at=now):
            return
        subscription.deleted_at = now
        Delivery.objects.filter(subscription=subscription, state=Delivery.State.PENDING).update(
            state=Delivery.State.CANCELLED, finished_at=now
        )
        audit_event_record(
            user=user, action=AuditAction.WEBHOOK_DELETED, target=_audit_target(subscription), detail=subscription.url
        )


def secrets_reseal() -> int:
    """Seal every subscription's secret under the current SECRET_KEY; returns how many were resealed.

    Run after a rotation, while the previous key is still in SECRET_KEY_FALLBACKS. A secret no key in
    use can unseal is left as it is (and logged): its client has to subscribe again.
    """
    resealed = []
    for subscription in Subscription.objects.only("pk", "secret_sealed").iterator(chunk_size=BATCH):
        try:
            subscription.secret_sealed = secret_reseal(subscription.secret_sealed)
        except InvalidToken:
            logger.warning("webhook subscription %s: no key in use unseals its secret", subscription.pk)
            continue
        resealed.append(subscription)
    Subscription.objects.bulk_update(resealed, ["secret_sealed"], batch_size=BATCH)
    return len(resealed)


def deliveries_record(*, event: RequestEvent) -> list[int]:
    """In the event's transaction, one delivery per active subscription that should hear of it.

    A subscription hears of a state change when its client may still ask for the consent's purpose,
    its consent from the request's citizen stands and the new state is one it asked for (or it
    asked for all). One statement, whatever
    the number of subscriptions; the deliveries are dispatched only if the transaction commits.
    Events that leave the state as it is (claims, notes, draft pages) are not sent.
    """
    if event.from_state == event.to_state:
        return []
    delivery, subscription = Delivery._meta.db_table, Subscription._meta.db_table
    consent, client = Consent._meta.db_table, ThirdPartyClient._meta.db_table
    now = connection.ops.adapt_datetimefield_value(event.created_at)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {delivery} (subscription_id, event_id, state, attempts, next_attempt_at, created_at) "  # noqa: S608
            f"SELECT s.id, %s, %s, 0, %s, %s FROM {subscription} s "
            f"JOIN {client} t ON t.id = s.client_id "
            f"JOIN {consent} c ON c.client_id = s.client_id "
            "WHERE s.deleted_at IS NULL AND t.active AND c.citizen_id = %s AND c.purpose = %s "
            f"AND c.revoked_at IS NULL AND {_PURPOSE_KEPT[connection.vendor]} AND {_STATES_MATCH[connection.vendor]} "
            "ON CONFLICT (subscription_id, event_id) DO NOTHING RETURNING id",
            [
                event.pk,
                Delivery.State.PENDING,
                now,
                now,
                event.request.citizen_id,
                Purpose.READ_REQUESTS,
                event.to_state,
            ],
        )
        delivery_ids = [row[0] for row in cursor.fetchall()]
    if delivery_ids:
        transaction.on_commit(lambda: deliveries_dispatch(delivery_ids))
    return delivery_ids


# The client still has the consent's purpose among its own (a consent outlives a purpose taken away).
_PURPOSE_KEPT = {
    "postgresql": "t.purposes @> jsonb_build_array(c.purpose)",
    "sqlite": "EXISTS (SELECT 1 FROM json_each(t.purposes) WHERE value = c.purpose)",
}
# The subscription asked for every change (an empty list) or for this state.
_STATES_MATCH = {
    "postgresql": "(s.states = '[]'::jsonb OR s.states @> jsonb_build_array(%s::text))",
    "sqlite": "(json_array_length(s.states) = 0 OR EXISTS (SELECT 1 FROM json_each(s.states) WHERE value = %s))",
}


def deliveries_dispatch(delivery_ids: list[int], *, countdown: float | None = None) -> None:
    """One Celery message per delivery. A broker that cannot be reached leaves them to the sweeper."""
    from services.webhooks.tasks import deliver_webhook

    for delivery_id in delivery_ids:
        try:
            deliver_webhook.apply_async((delivery_id,), countdown=countdown)
        except Exception:  # the broker is down: the row stays pending and the sweeper sends it again
            logger.warning("webhook delivery %s not dispatched; the sweeper will retry", delivery_id, exc_info=True)
            return


def deliveries_redispatch() -> int:
    """Send again the pending deliveries whose time has come and that no worker holds (lease expired).

    A delivery just recorded is left alone for the outbox's dispatch grace: its message is on its way.
    """
    now = timezone.now()
    due = (
        Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now - settings.OUTBOX_DISPATCH_GRACE)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    delivery_ids = list(due)
    deliveries_dispatch(delivery_ids)
    return len(delivery_ids)


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str


def delivery_send(delivery_id: int) -> Delivery.State | None:
    """Make one attempt at a delivery, if it is pending, due, and no other worker holds it.

    Returns the delivery's state after the attempt (None: nothing was attempted). A failed attempt
    is retried with exponential backoff and jitter until settings.WEBHOOK_MAX_ATTEMPTS, then the
    delivery is failed. A consent revoked or a subscription deleted meanwhile cancels it, unsent.
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)  # a task is killed before its lease ends
    claimed = (
        Delivery.objects.filter(pk=delivery_id, state=Delivery.State.PENDING, next_attempt_at__lte=now)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .update(leased_until=lease, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("subscription__client", "event__request__service").get(pk=delivery_id)
    held = Delivery.objects.filter(pk=delivery_id, state=Delivery.State.PENDING, leased_until=lease)
    if not _still_wanted(delivery):
        return _finish(held, Delivery.State.CANCELLED)
    if delivery.attempts > settings.WEBHOOK_MAX_ATTEMPTS:  # the last attempts never finished (a worker died)
        return _finish(held, Delivery.State.FAILED)
    started, clock = timezone.now(), time.monotonic()
    response, error = None, ""
    try:
        response = _post(delivery)
    except (UnsafeURL, InvalidToken, urllib3.exceptions.HTTPError, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:ERROR_CHARACTERS]
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started_at=started,
        duration_ms=round((time.monotonic() - clock) * 1000),
        status_code=response.status if response else None,
        error=error,
        response_excerpt=response.excerpt if response else "",
    )
    status_code = response.status if response else None
    if status_code is not None and 200 <= status_code < 300:
        return _finish(held, Delivery.State.DELIVERED, last_status_code=status_code)
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        logger.warning("webhook delivery %s failed after %s attempts", delivery_id, delivery.attempts)
        return _finish(held, Delivery.State.FAILED, last_status_code=status_code)
    delay = retry_delay(delivery.attempts)
    held.update(leased_until=None, last_status_code=status_code, next_attempt_at=timezone.now() + delay)
    if delay <= settings.OUTBOX_RETRY_AFTER:  # later retries are the sweeper's: no long countdown messages
        transaction.on_commit(lambda: deliveries_dispatch([delivery_id], countdown=delay.total_seconds()))
    return Delivery.State.PENDING


def _finish(held: QuerySet[Delivery], state: Delivery.State, **columns: Any) -> Delivery.State:
    """End the delivery this worker holds in `state`, releasing its lease."""
    held.update(state=state, leased_until=None, finished_at=timezone.now(), **columns)
    return state


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: base * 2^(attempts-1), capped, jittered in [half, all]."""
    ceiling = min(settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempts - 1), settings.WEBHOOK_RETRY_MAX_SECONDS)
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))  # noqa: S311 (jitter, not a secret)


def payload(event: RequestEvent) -> dict:
    """The JSON body sent for a state change."""
    request = event.request
    return {
        "type": EVENT_TYPE,
        "timestamp": event.created_at.isoformat(),
        "data": {
            "reference": request.reference,
            "service": request.service.code,
            "state": event.to_state,
            "previous_state": event.from_state,
            "sequence": event.sequence,
            "occurred_at": event.created_at.isoformat(),
        },
    }


def _still_wanted(delivery: Delivery) -> bool:
    """The subscription is active, its client too and still may read requests, and the citizen's consent stands."""
    subscription = delivery.subscription
    return (
        subscription.deleted_at is None
        and purpose_allowed(client=subscription.client, purpose=Purpose.READ_REQUESTS)
        and consent_stands(
            citizen_id=delivery.event.request.citizen_id,
            client_id=subscription.client_id,
            purpose=Purpose.READ_REQUESTS,
        )
    )


def _post(delivery: Delivery) -> Answer:
    """POST the event to the subscription's URL, checked again now and connected to the address checked."""
    subscription = delivery.subscription
    target = target_resolve(subscription.url)
    body = json.dumps(payload(delivery.event), separators=(",", ":"), ensure_ascii=False).encode()
    message_id, timestamp = str(delivery.pk), int(time.time())
    headers = {
        "Host": target.host_header,
        "Content-Type": "application/json",
        "User-Agent": "portal-webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(
            secret=secret_unseal(subscription.secret_sealed), message_id=message_id, timestamp=timestamp, body=body
        ),
    }
    with _pool(target) as pool:
        answer = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers=headers,
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
        )
        try:
            excerpt = answer.read(EXCERPT_CHARACTERS).decode(errors="replace")
        finally:
            answer.release_conn()
    return Answer(status=answer.status, excerpt=excerpt[:EXCERPT_CHARACTERS])


class _CutOffAtDeadline:
    """A connection whose socket is shut down once the whole call has taken WEBHOOK_TIMEOUT_SECONDS:
    urllib3's timeouts bound each read, so a receiver that answers a byte at a time is never cut off
    by them alone. The blocked read then fails, and the attempt counts as failed."""

    sock: Any

    def connect(self) -> None:
        self._watchdog = threading.Timer(settings.WEBHOOK_TIMEOUT_SECONDS, self._cut_off)  # connecting included
        self._watchdog.daemon = True
        self._watchdog.start()
        super().connect()  # type: ignore[misc]

    def _cut_off(self) -> None:
        with contextlib.suppress(OSError, AttributeError):
            self.sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        if getattr(self, "_watchdog", None) is not None:
            self._watchdog.cancel()
        super().close()  # type: ignore[misc]


class _HTTPConnection(_CutOffAtDeadline, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_CutOffAtDeadline, urllib3.connection.HTTPSConnection):
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


def _pool(target: Target) -> urllib3.HTTPConnectionPool:
    """A pool to the checked address: the name goes in TLS SNI and the certificate check, never to DNS."""
    timeout = urllib3.Timeout(total=settings.WEBHOOK_TIMEOUT_SECONDS)
    if target.scheme == "https":
        return _HTTPSPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
        )
    return _HTTPPool(target.address, target.port, timeout=timeout, retries=False, maxsize=1)


def _audit_target(subscription: Subscription) -> str:
    return f"webhook subscription {subscription.pk}"
