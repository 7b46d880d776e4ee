"""The API's JSON parser: DRF's, refusing what the database cannot store or Python cannot walk."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No form nests answers anywhere near this; a limit keeps every later walk of the data far from the recursion limit.
MAX_DEPTH = 32


class StrictJSONParser(JSONParser):
    """JSON whose strings and keys can be encoded as UTF-8 and stored by PostgreSQL, nested at most MAX_DEPTH deep.

    A lone surrogate (`"\\ud800"`) is valid JSON but not Unicode: stored, it breaks every later render, and jsonb
    refuses it and `\\u0000` alike. Each is a 400 like any other malformed body.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        _check(data)
        return data


def _check(data: Any) -> None:
    """Walks the parsed body once, without recursion."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            _check_string(value)
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise _too_deep()
            if isinstance(value, dict):
                for key in value:
                    _check_string(key)
                pending.extend((item, depth + 1) for item in value.values())
            else:
                pending.extend((item, depth + 1) for item in value)


def _too_deep() -> ParseError:
    return ParseError(_("JSON parse error - nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH})


def _check_string(text: str) -> None:
    if "\x00" in text:
        raise ParseError(_("JSON parse error - a string holds the NUL character (\\u0000)."))
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(_("JSON parse error - a string holds a lone surrogate (\\ud800 to \\udfff).")) from None
