"""Retiring a v1 operation: the `deprecated` mark in the schema and the Deprecation and Sunset headers.

An operation to be removed is listed in `settings.API_DEPRECATIONS` under its method and its path
as the schema writes it, with the day it was deprecated, the day it goes away and the page that
explains what to use instead:

    API_DEPRECATIONS = {
        "GET /api/v1/requests/{reference}/timeline/": {
            "deprecated": "2027-01-04", "sunset": "2027-07-05", "link": "https://egov.example.kz/api/changes",
        },
    }

From then on the schema marks it `deprecated` and says when it goes, and every response of it
carries `Deprecation: @<unix time>` (RFC 9745), `Sunset: <HTTP date>` (RFC 8594) and a `Link`
to the notice, so a client's logs show the warning months before the removal (README, API).
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date
from drf_spectacular.drainage import warn


@dataclass(frozen=True)
class Notice:
    method: str
    path: str
    deprecated: date
    sunset: date
    link: str

    def headers(self) -> dict[str, str]:
        return {
            "Deprecation": f"@{_unix(self.deprecated)}",
            "Sunset": http_date(_unix(self.sunset)),
            "Link": f'<{self.link}>; rel="deprecation"',
        }

    def matches(self, method: str, path: str) -> bool:
        return method == self.method and _path_pattern(self.path).fullmatch(path) is not None


def notices() -> list[Notice]:
    """The configured deprecations, read from the settings each time (they are few, and tests change them)."""
    return [_notice(operation, terms) for operation, terms in settings.API_DEPRECATIONS.items()]


class DeprecationHeadersMiddleware:
    """Adds the headers to every response of a deprecated operation."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.API_DEPRECATIONS and request.path.startswith("/api/"):
            for notice in notices():
                if notice.matches(request.method or "", request.path):
                    for name, value in notice.headers().items():
                        response[name] = value
        return response


def mark_deprecated_operations(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: mark each configured operation and say when it goes."""
    for notice in notices():
        operation = result["paths"].get(notice.path, {}).get(notice.method.lower())
        if operation is None:
            warn(f"API_DEPRECATIONS names {notice.method} {notice.path}, which the API does not have")
            continue
        operation["deprecated"] = True
        farewell = f"Deprecated on {notice.deprecated}; removed on {notice.sunset}. See {notice.link}"
        operation["description"] = f"{operation.get('description', '')}\n\n{farewell}".strip()
    return result


def _notice(operation: str, terms: dict[str, str]) -> Notice:
    method, path = operation.split(" ", 1)
    return Notice(
        method=method.upper(),
        path=path,
        deprecated=date.fromisoformat(terms["deprecated"]),
        sunset=date.fromisoformat(terms["sunset"]),
        link=terms["link"],
    )


@lru_cache(maxsize=64)
def _path_pattern(path: str) -> re.Pattern[str]:
    """`/api/v1/requests/{reference}/` as a pattern: each `{name}` is one path segment."""
    return re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)))


def _unix(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
