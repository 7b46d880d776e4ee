"""A message provider shared by every process of a test, in a file: it records each call and
accepts a message once per idempotency key, as real providers that honour the key do."""

import fcntl
import json
import os
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

from services.notifications.mail import IDEMPOTENCY_HEADER
from services.notifications.sms import SmsBackend


class ProviderDown(RuntimeError):
    """The provider is told to refuse every message."""


def _directory() -> Path:
    return Path(os.environ["RELIABILITY_DIR"])


def record(channel: str, key: str, to: str) -> str:
    """Append the call; return the id of the first accepted message with this key."""
    if (_directory() / f"fail-{channel}").exists():
        raise ProviderDown(f"the {channel} provider is told to fail")
    with open(_directory() / "provider.jsonl", "a+", encoding="utf-8") as log:
        fcntl.flock(log, fcntl.LOCK_EX)
        log.seek(0)
        accepted = any(json.loads(line)["key"] == key and json.loads(line)["accepted"] for line in log if line.strip())
        log.write(json.dumps({"channel": channel, "key": key, "to": to, "accepted": not accepted}) + "\n")
    return f"{channel}-{key}"


def calls(directory: Path) -> list[dict]:
    """Every call made to the provider during the test."""
    path = directory / "provider.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class FileSmsBackend(SmsBackend):
    def send(self, *, phone: str, text: str, idempotency_key: str) -> str:
        return record("sms", idempotency_key, phone)


class FileEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: list) -> int:
        for message in email_messages:
            record("email", message.extra_headers[IDEMPOTENCY_HEADER], message.to[0])
        return len(email_messages)
