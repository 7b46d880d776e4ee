"""Sending SMS through a pluggable backend, chosen by the dotted path in `settings.SMS_BACKEND`.

A backend has one method, `send(*, phone, text, idempotency_key) -> str`, which returns the
provider's message id. Real providers are expected to honour the idempotency key: a second send
with the same key returns the first message's id and sends nothing.
"""

import logging
import threading
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(RuntimeError):
    """The provider did not accept the message; the caller retries later."""


class SmsBackend(ABC):
    """The interface every SMS backend implements."""

    @abstractmethod
    def send(self, *, phone: str, text: str, idempotency_key: str) -> str:
        """Send `text` to `phone` once per `idempotency_key`; return the provider's message id."""


def sms_backend() -> SmsBackend:
    """An instance of the configured backend (read at call time, so tests can change the setting)."""
    return import_string(settings.SMS_BACKEND)()


def sms_send(*, phone: str, text: str, idempotency_key: str) -> str:
    """Send one SMS through the configured backend; return the provider's message id."""
    return sms_backend().send(phone=phone, text=text, idempotency_key=idempotency_key)


class LogSmsBackend(SmsBackend):
    """The default: writes the message to the log. The Notification rows feed the dev inbox."""

    def send(self, *, phone: str, text: str, idempotency_key: str) -> str:
        """Log the message at INFO and return an id derived from the key (so a resend gets the same id)."""
        logger.info("SMS to %s [%s]: %s", phone, idempotency_key, text)
        return f"log-{idempotency_key}"


@dataclass(frozen=True)
class SmsMessage:
    """An SMS kept by the in-memory backend."""

    phone: str
    text: str
    idempotency_key: str
    message_id: str


class LocmemSmsBackend(SmsBackend):
    """For tests: keeps messages in the class-level `outbox`, once per idempotency key.

    Set `failing = True` to make every send raise SmsError; `reset()` empties it between tests.
    """

    outbox: ClassVar[list[SmsMessage]] = []
    failing: ClassVar[bool] = False
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def send(self, *, phone: str, text: str, idempotency_key: str) -> str:
        """Store the message unless the key was seen before; return its id either way."""
        if self.failing:
            raise SmsError("the SMS provider is unavailable")
        with self._lock:
            for message in self.outbox:
                if message.idempotency_key == idempotency_key:
                    return message.message_id
            message = SmsMessage(phone=phone, text=text, idempotency_key=idempotency_key, message_id=uuid.uuid4().hex)
            self.outbox.append(message)
        return message.message_id

    @classmethod
    def reset(cls) -> None:
        """Forget every message and stop failing."""
        with cls._lock:
            cls.outbox.clear()
        cls.failing = False
