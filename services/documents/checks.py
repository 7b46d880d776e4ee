"""System checks of the documents app."""

from typing import Any

from django.core import checks

from services.documents.signing import signing_key_problem


def check_signing_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """An error when documents could not be signed with a lasting key (DEBUG off and no key, or a bad key)."""
    problem = signing_key_problem()
    if not problem:
        return []
    return [
        checks.Error(
            problem,
            hint=(
                "Set DOCUMENT_SIGNING_KEY to base64 of a raw 32-byte Ed25519 private key, e.g. the output of "
                'python -c "from services.documents.signing import generate_key; print(generate_key())". '
                "Keep it secret and stable: documents signed with a lost key can no longer be verified."
            ),
            id="documents.E001",
        )
    ]
