"""The thin test module: the real settings, with a fixed key and a fast password hasher."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret-key-test-only-not-a-secret-key")
os.environ.setdefault("HTTPS", "false")
# A fixed Ed25519 key for signing test documents (never used outside tests).
os.environ.setdefault("DOCUMENT_SIGNING_KEY", "P+GL/XCY1RDn22QnOD3UCyPnt91DHCgQeEqkjGGiCGs=")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
