"""Signing secrets: generated here, shown once, and kept sealed so the sender can sign with them.

The sealing key is derived from SECRET_KEY (HKDF-SHA256), so a copy of the database alone does not
give the secrets away. Rotating SECRET_KEY makes the sealed secrets unreadable: clients subscribe again.
"""

import base64
import secrets

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from services.webhooks.signing import PREFIX

_SECRET_BYTES = 32


def secret_generate() -> str:
    """A new signing secret, Standard Webhooks style: `whsec_` and the base64 of 32 random bytes."""
    return PREFIX + base64.b64encode(secrets.token_bytes(_SECRET_BYTES)).decode()


def secret_seal(secret: str) -> str:
    """The secret encrypted and authenticated (Fernet) for storage."""
    return _fernet().encrypt(secret.encode()).decode()


def secret_unseal(sealed: str) -> str:
    """The secret a sealed value holds; raises cryptography.fernet.InvalidToken if SECRET_KEY changed."""
    return _fernet().decrypt(sealed.encode()).decode()


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"portal webhook secrets").derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))
