import base64
import stat

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.core.exceptions import ImproperlyConfigured

from services.documents import signing
from services.documents.checks import check_signing_key
from services.documents.signing import (
    DEVELOPMENT_KEY_FILE,
    public_key_fingerprint,
    public_key_pem,
    sign,
    signature_is_valid,
)

DATA = b"%PDF-1.3 any bytes at all"


def test_a_signature_holds_for_exactly_the_signed_bytes():
    signature = sign(DATA)
    assert len(base64.b64decode(signature)) == 64
    assert signature_is_valid(DATA, signature)
    assert not signature_is_valid(DATA + b" ", signature)
    assert not signature_is_valid(b"%PDF-1.3 any bytes at alm", signature)


def test_a_malformed_or_foreign_signature_is_simply_not_valid():
    assert not signature_is_valid(DATA, "not base64 !!")
    assert not signature_is_valid(DATA, base64.b64encode(b"\0" * 64).decode())
    assert not signature_is_valid(DATA, "")


def test_the_public_key_pem_checks_the_signature_offline():
    public_key = load_pem_public_key(public_key_pem().encode())
    public_key.verify(base64.b64decode(sign(DATA)), DATA)  # raises if it does not hold
    assert len(public_key_fingerprint().split(":")) == 32


def test_in_development_a_key_is_generated_once_privately_and_reused(settings, tmp_path):
    settings.DEBUG = True
    settings.DOCUMENT_SIGNING_KEY = ""
    settings.VAR_DIR = tmp_path
    signature = sign(DATA)
    key_file = tmp_path / DEVELOPMENT_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(base64.b64decode(key_file.read_text())) == 32
    assert signature_is_valid(DATA, signature)
    assert sign(DATA) == signature  # the same key again (Ed25519 signatures are deterministic)
    assert [path.name for path in tmp_path.iterdir()] == [DEVELOPMENT_KEY_FILE]


def test_without_debug_a_missing_key_is_a_configuration_error_at_first_use(settings, tmp_path):
    settings.DEBUG = False
    settings.DOCUMENT_SIGNING_KEY = ""
    settings.VAR_DIR = tmp_path
    with pytest.raises(ImproperlyConfigured, match="DOCUMENT_SIGNING_KEY must be set"):
        sign(DATA)
    assert not (tmp_path / DEVELOPMENT_KEY_FILE).exists()


def test_a_key_that_is_not_32_bytes_of_base64_is_a_configuration_error(settings):
    settings.DOCUMENT_SIGNING_KEY = base64.b64encode(b"too short").decode()
    with pytest.raises(ImproperlyConfigured, match="32-byte"):
        sign(DATA)


@pytest.mark.parametrize(
    ("debug", "key", "errors"),
    [
        (False, "", ["documents.E001"]),
        (False, "bm90IGEga2V5", ["documents.E001"]),
        (True, "bm90IGEga2V5", ["documents.E001"]),
        (True, "", []),
        (False, signing.generate_key(), []),
    ],
)
def test_the_deploy_check_wants_a_lasting_valid_key(settings, debug, key, errors):
    settings.DEBUG = debug
    settings.DOCUMENT_SIGNING_KEY = key
    assert [message.id for message in check_signing_key()] == errors


def test_a_retired_key_that_is_not_a_public_key_is_a_configuration_error(settings):
    settings.DOCUMENT_SIGNING_KEY = signing.generate_key()
    settings.DOCUMENT_SIGNING_KEYS_RETIRED = [signing.public_key_base64()]
    assert check_signing_key() == []
    settings.DOCUMENT_SIGNING_KEYS_RETIRED = ["bm90IGEga2V5"]
    assert [message.id for message in check_signing_key()] == ["documents.E001"]


def test_the_check_is_registered_as_a_deployment_check():
    from django.core import checks

    assert check_signing_key in checks.registry.registry.get_checks(include_deployment_checks=True)
    assert check_signing_key not in checks.registry.registry.get_checks(include_deployment_checks=False)
