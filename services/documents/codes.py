"""Verification codes: 20 characters of Crockford base32 (100 random bits), easy to read and type.

The alphabet has no I, L, O or U, so a code read off paper cannot be mistaken; when a code is
typed, I and L are read as 1, O as 0, case is ignored, and spaces and hyphens are dropped.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20  # 20 x 5 bits = 100 bits from `secrets`: not guessable, not enumerable
CODE_PATTERN = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")
_TYPING_SLIPS = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s\-]+")


def generate_code() -> str:
    """A new random verification code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_code(text: str) -> str | None:
    """The canonical form of a typed code, or None when it cannot be a code."""
    candidate = _SEPARATORS.sub("", text or "").upper().translate(_TYPING_SLIPS)
    return candidate if CODE_PATTERN.fullmatch(candidate) else None


def format_code(code: str) -> str:
    """The code in groups of four, as printed: ABCD-EFGH-JKMN-PQRS-TVWX."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
