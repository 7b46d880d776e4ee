"""The notifications app's public functions: deliver an event's message once, record a give-up, list recent.

Delivery runs inside the outbox's transaction with the SideEffect row locked: the message is sent
with the notification's idempotency key and the row is saved as sent before that transaction
commits. A crash in between rolls the row back, and the retry sends again with the SAME key, which
the provider (and LocmemSmsBackend) uses to drop the duplicate. For email, the resend carries the
same Message-ID and X-Idempotency-Key header, so the receiving side can recognise it.
"""

import logging

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from services.notifications.mail import email_send
from services.notifications.messages import Message, message_compose
from services.notifications.models import Notification, notification_key
from services.notifications.sms import sms_send
from services.workflow.models import SideEffect

logger = logging.getLogger(__name__)


def notification_deliver(*, effect: SideEffect, channel: Notification.Channel) -> Notification | None:
    """Send the message of the effect's event on `channel`, once; return its row.

    Returns None, recording nothing, when the event sends nothing on that channel (see
    `services.notifications.messages`); the outbox row is then done all the same. Never changes the
    request. Exceptions from the provider propagate, so the outbox retries.
    """
    notification = _existing(effect, channel)
    if notification is not None and notification.status == Notification.Status.SENT:
        return notification
    message = message_compose(event=effect.event, channel=channel)
    if message is None:
        return None
    notification = _fill(notification or _new(effect, channel), message)
    notification.provider_message_id = _send(notification)
    notification.status = Notification.Status.SENT
    notification.error = ""
    notification.sent_at = timezone.now()
    notification.save()
    return notification


def notification_give_up(*, effect: SideEffect, channel: Notification.Channel) -> Notification | None:
    """Record that the effect's message was never sent: the row is marked failed with the reason.

    Runs in a savepoint and logs instead of raising, so the outbox row is marked failed whatever
    happens here. Returns None when nothing was recorded (the event has no message on `channel`).
    """
    try:
        with transaction.atomic():
            return _record_failure(effect, channel)
    except Exception:  # the outbox row must still be marked failed; the log keeps the cause
        logger.exception("could not record the failed %s notification of side effect %s", channel, effect.pk)
        return None


def notifications_latest(*, limit: int = 100) -> QuerySet[Notification]:
    """The most recent notifications, newest first, with their request."""
    return Notification.objects.select_related("request").order_by("-created_at", "-pk")[:limit]


def _record_failure(effect: SideEffect, channel: Notification.Channel) -> Notification | None:
    notification = _existing(effect, channel)
    if notification is not None and notification.status == Notification.Status.SENT:
        return notification
    if notification is None:
        message = message_compose(event=effect.event, channel=channel)
        if message is None:
            return None
        notification = _fill(_new(effect, channel), message)
    notification.status = Notification.Status.FAILED
    notification.error = effect.last_error
    notification.save()
    return notification


def _existing(effect: SideEffect, channel: Notification.Channel) -> Notification | None:
    return Notification.objects.filter(event_id=effect.event_id, channel=channel).first()


def _new(effect: SideEffect, channel: Notification.Channel) -> Notification:
    return Notification(
        request_id=effect.request_id,
        event_id=effect.event_id,
        channel=channel,
        idempotency_key=notification_key(event_id=effect.event_id, channel=channel),
    )


def _fill(notification: Notification, message: Message) -> Notification:
    notification.recipient = message.recipient
    notification.language = message.language
    notification.subject = message.subject
    notification.body = message.body
    return notification


def _send(notification: Notification) -> str:
    if notification.channel == Notification.Channel.EMAIL:
        return email_send(
            to=notification.recipient,
            subject=notification.subject,
            body=notification.body,
            language=notification.language,
            idempotency_key=notification.idempotency_key,
        )
    return sms_send(phone=notification.recipient, text=notification.body, idempotency_key=notification.idempotency_key)
