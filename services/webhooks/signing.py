"""Standard Webhooks signatures: what the sender puts in the headers and how a receiver checks them.

The signed content is `{webhook-id}.{webhook-timestamp}.{body}`; the signature is HMAC-SHA256 with
the secret's bytes (the base64 after `whsec_`), sent as `v1,<base64>`. `verify` is all a receiver
needs (it reads nothing of Django), and the tests' receiver uses it as a client would.
"""

import base64
import hashlib
import hmac
import time
from collections.abc import Mapping

PREFIX = "whsec_"
TOLERANCE_SECONDS = 5 * 60


class VerificationError(Exception):
    """The headers are missing, the timestamp is too old or too new, or no signature matches."""


def sign(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value for this message."""
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    tolerance: int = TOLERANCE_SECONDS,
    now: float | None = None,
) -> None:
    """Check a received webhook; raise VerificationError unless it is genuine and recent.

    `headers` are the request's headers (any capitalisation); `body` the raw bytes as received.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    try:
        message_id = lowered["webhook-id"]
        timestamp = int(lowered["webhook-timestamp"])
        signatures = lowered["webhook-signature"].split()
    except (KeyError, ValueError) as error:
        raise VerificationError("missing or malformed webhook headers") from error
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise VerificationError("the timestamp is outside the tolerance")
    expected = sign(secret=secret, message_id=message_id, timestamp=timestamp, body=body)
    if not any(hmac.compare_digest(expected.encode(), candidate.encode()) for candidate in signatures):
        raise VerificationError("no signature matches")


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))
