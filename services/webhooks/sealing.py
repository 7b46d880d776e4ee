"""Signing secrets: generated here, shown once, and kept sealed so the sender can sign with them.

The sealing key is derived from SECRET_KEY (HKDF-SHA256), so a copy of the database alone does not
give the secrets away. After a rotation, secrets sealed under a key in SECRET_KEY_FALLBACKS still
unseal; `manage.py webhook_secrets_reseal` seals them under the new key, so the old one can go.
"""

import base64
import secrets

from cryptography.fernet import Fernet, MultiFernet
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
    """The secret a sealed value holds; raises cryptography.fernet.InvalidToken if no key in use sealed it."""
    return _fernet().decrypt(sealed.encode()).decode()


def secret_reseal(sealed: str) -> str:
    """The same secret sealed under the current SECRET_KEY, whichever key in use sealed it."""
    return _fernet().rotate(sealed.encode()).decode()


def _fernet() -> MultiFernet:
    """Seals under SECRET_KEY; unseals under it or any of SECRET_KEY_FALLBACKS."""
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([Fernet(_sealing_key(key)) for key in keys])


def _sealing_key(secret_key: str) -> bytes:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"portal webhook secrets").derive(
        secret_key.encode()
    )
    return base64.urlsafe_b64encode(key)
