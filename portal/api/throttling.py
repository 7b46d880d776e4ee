"""Rate limits from `settings.API_THROTTLE_RATES`, read at each request; 429 carries Retry-After."""

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework import throttling

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class _SettingsRate:
    scope: str

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_SettingsRate, throttling.AnonRateThrottle):
    """Per client address, for callers without an account."""


class UserThrottle(_SettingsRate, throttling.UserRateThrottle):
    """Per user, every call."""


class WriteThrottle(_SettingsRate, throttling.UserRateThrottle):
    """Per user (or address), the calls that change something."""

    scope = "write"

    def get_cache_key(self, request: "Request", view: "APIView") -> str | None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        return super().get_cache_key(request, view)


class ScopedThrottle(_SettingsRate, throttling.ScopedRateThrottle):
    """Views naming a `throttle_scope` (document verification) get that scope's own limit."""
