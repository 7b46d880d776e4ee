"""Standard Webhooks signatures, and the sealed storage of the secrets."""

import base64
import time

import pytest
from cryptography.fernet import InvalidToken

from services.webhooks.sealing import secret_generate, secret_reseal, secret_seal, secret_unseal
from services.webhooks.signing import VerificationError, sign, verify

BODY = b'{"type":"request.state_changed"}'


def _headers(secret, *, body=BODY, timestamp=None, message_id="42"):
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Webhook-Id": message_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": sign(secret=secret, message_id=message_id, timestamp=timestamp, body=body),
    }


def test_a_secret_is_32_random_bytes_after_whsec():
    secret = secret_generate()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert secret_generate() != secret


def test_a_sealed_secret_does_not_show_it_and_unseals_to_it():
    secret = secret_generate()
    sealed = secret_seal(secret)
    assert secret.removeprefix("whsec_") not in sealed
    assert secret_unseal(sealed) == secret


def test_after_a_rotation_a_secret_unseals_while_the_old_key_is_a_fallback(settings):
    secret = secret_generate()
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "the old key " * 4, []
    sealed = secret_seal(secret)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "the new key " * 4, ["the old key " * 4]
    assert secret_unseal(sealed) == secret
    resealed = secret_reseal(sealed)
    settings.SECRET_KEY_FALLBACKS = []
    assert secret_unseal(resealed) == secret
    with pytest.raises(InvalidToken):
        secret_unseal(sealed)


def test_a_signed_message_verifies():
    secret = secret_generate()
    verify(secret, _headers(secret), BODY)


def test_the_signature_matches_the_standard_webhooks_example():
    # The example of the Standard Webhooks specification.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    signature = sign(
        secret=secret, message_id="msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp=1614265330, body=b'{"test": 2432232314}'
    )
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_a_tampered_body_another_secret_or_id_is_refused():
    secret = secret_generate()
    with pytest.raises(VerificationError):
        verify(secret, _headers(secret), BODY.replace(b"state", b"STATE"))
    with pytest.raises(VerificationError):
        verify(secret_generate(), _headers(secret), BODY)
    headers = _headers(secret)
    headers["Webhook-Id"] = "43"
    with pytest.raises(VerificationError):
        verify(secret, headers, BODY)


def test_a_stale_or_future_timestamp_is_refused():
    secret = secret_generate()
    with pytest.raises(VerificationError, match="tolerance"):
        verify(secret, _headers(secret, timestamp=int(time.time()) - 301), BODY)
    with pytest.raises(VerificationError, match="tolerance"):
        verify(secret, _headers(secret, timestamp=int(time.time()) + 301), BODY)
    verify(secret, _headers(secret, timestamp=int(time.time()) - 290), BODY)


def test_missing_headers_are_refused():
    with pytest.raises(VerificationError, match="missing"):
        verify(secret_generate(), {}, BODY)
