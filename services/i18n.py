"""Texts the domain keeps in the three portal languages."""

from django.utils.translation import get_language

LANGUAGES = ("kk", "ru", "en")
FALLBACK = "ru"


def current_language() -> str:
    """The active language reduced to one of the portal's three."""
    code = (get_language() or FALLBACK).split("-")[0]
    return code if code in LANGUAGES else FALLBACK


def pick(text: dict[str, str] | None, language: str | None = None) -> str:
    """One language's version of a {"kk", "ru", "en"} text, the active language by default."""
    if not text:
        return ""
    language = language or current_language()
    return text.get(language) or text.get(FALLBACK) or next(iter(text.values()), "")
