"""The portal's Ed25519 signature over the exact bytes of each result document.

The private key is `settings.DOCUMENT_SIGNING_KEY` (base64 of the raw 32 bytes). In development
(DEBUG on, no key set) one is generated once into `VAR_DIR/document_signing_key` and reused, so
documents issued by `make run` stay valid across restarts. With DEBUG off a missing key is a
configuration error: documents signed with a throwaway key could never be checked again.

Rotating the key: put the old key's public half (`public_key_base64()`, run with the old key) in
`DOCUMENT_SIGNING_KEYS_RETIRED` and the new private key in `DOCUMENT_SIGNING_KEY`. New documents
are signed with the new key; documents signed before still verify against the retired public key,
and the old private key can be destroyed.
"""

import base64
import binascii
import hashlib
import os
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_KEY_FILE = "document_signing_key"
_KEY_LENGTH = 32


def sign(data: bytes) -> str:
    """Base64 of the Ed25519 signature of `data` with the portal's key."""
    return base64.b64encode(_private_key().sign(data)).decode("ascii")


def signature_is_valid(data: bytes, signature: str) -> bool:
    """True when `signature` (base64) is the signature of exactly these bytes by the portal's key or a retired one."""
    return signing_key_of(data, signature) is not None


def signing_key_of(data: bytes, signature: str) -> Ed25519PublicKey | None:
    """The public key (the current one, else a retired one) whose signature of `data` this is; None if none."""
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return None
    for key in (_public_key(), *_retired_public_keys()):
        try:
            key.verify(raw, data)
        except InvalidSignature:
            continue
        return key
    return None


def is_retired(key: Ed25519PublicKey) -> bool:
    return _raw(key) != _raw(_public_key())


def public_key_pem(key: Ed25519PublicKey | None = None) -> str:
    """A public key (the current one by default) in PEM (SubjectPublicKeyInfo), for checking signatures offline."""
    return (
        (key or _public_key())
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def public_key_fingerprint(key: Ed25519PublicKey | None = None) -> str:
    """SHA-256 of a raw public key (the current one by default), as colon-separated hex pairs (short
    enough to read aloud)."""
    digest = hashlib.sha256(_raw(key or _public_key())).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def public_key_base64() -> str:
    """The current key's public half as base64 of its raw 32 bytes: the entry for DOCUMENT_SIGNING_KEYS_RETIRED."""
    return base64.b64encode(_raw(_public_key())).decode("ascii")


def signing_key_problem() -> str:
    """Why the configured keys cannot be used ("" when they can); used by the system check."""
    configured = settings.DOCUMENT_SIGNING_KEY
    if not configured and not settings.DEBUG:
        return "DOCUMENT_SIGNING_KEY is not set."
    try:
        if configured:
            _decode_key(configured)
        _retired_public_keys()
    except ImproperlyConfigured as exc:
        return str(exc)
    return ""


def generate_key() -> str:
    """A new private key as base64 of its raw 32 bytes: the value to put in DOCUMENT_SIGNING_KEY."""
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode("ascii")


def _private_key() -> Ed25519PrivateKey:
    return _decode_key(_configured_key())


def _public_key() -> Ed25519PublicKey:
    return _private_key().public_key()


def _configured_key() -> str:
    configured = settings.DOCUMENT_SIGNING_KEY
    if configured:
        return configured
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "DOCUMENT_SIGNING_KEY must be set when DEBUG is off: base64 of a raw 32-byte Ed25519 private key. "
            'Generate one with: python -c "from services.documents.signing import generate_key; print(generate_key())"'
        )
    return _development_key(Path(settings.VAR_DIR) / DEVELOPMENT_KEY_FILE)


def _development_key(path: Path) -> str:
    """Read the development key, creating it once (mode 0600) if it does not exist yet."""
    if not path.exists():
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(generate_key())
        try:
            os.link(temporary, path)  # atomic: of two processes starting at once, one key wins
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _retired_public_keys() -> tuple[Ed25519PublicKey, ...]:
    return tuple(_decode_public_key(entry) for entry in settings.DOCUMENT_SIGNING_KEYS_RETIRED)


@lru_cache(maxsize=16)
def _decode_public_key(encoded: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        raw = b""
    if len(raw) != _KEY_LENGTH:
        raise ImproperlyConfigured(
            f"Each DOCUMENT_SIGNING_KEYS_RETIRED entry must be base64 of a raw {_KEY_LENGTH}-byte Ed25519 public key."
        )
    return Ed25519PublicKey.from_public_bytes(raw)


@lru_cache(maxsize=4)
def _decode_key(encoded: str) -> Ed25519PrivateKey:
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        raw = b""
    if len(raw) != _KEY_LENGTH:
        raise ImproperlyConfigured(
            f"DOCUMENT_SIGNING_KEY must be base64 of a raw {_KEY_LENGTH}-byte Ed25519 private key."
        )
    return Ed25519PrivateKey.from_private_bytes(raw)
