"""Rate limits from `settings.API_THROTTLE_RATES`, read at each request; 429 carries Retry-After.

Each limit counts calls in fixed windows of its period (a counter per key and window, with an
expiry) instead of DRF's list of every call's time, which is read and written whole at each call
and grows with the rate. The limits of one call are counted together: one Redis round trip
(a pipeline of INCR and EXPIRE per key) whatever the number of limits that apply. As with any
fixed window, a burst across a window's end may pass up to twice the rate in one period.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache
from rest_framework import exceptions, throttling

from portal.client_address import client_address

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

_COUNTED = "_throttle_counts"  # the attribute of the request that keeps its counts: (time, key -> count)


class _FixedWindowRate:
    """The counting of a SimpleRateThrottle, in a fixed window per period."""

    scope: str | None
    rate: str | None
    num_requests: int
    duration: int

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request: "Request", view: "APIView") -> bool:
        self.now, counts = _counted(request, view)
        window = self.window_key(request, view, self.now)
        return window is None or counts[window] <= self.num_requests

    def wait(self) -> float:
        """Seconds until the current window ends."""
        return self.duration - self.now % self.duration

    def window_key(self, request: "Request", view: "APIView", now: float) -> str | None:
        """The counter of this limit for this call, in the window of `now`; None when the limit does not apply."""
        if self.rate is None:
            return None
        key = self.get_cache_key(request, view)  # type: ignore[attr-defined]
        if key is None:
            return None
        return self.window_of(key, now)

    def window_of(self, key: str, now: float) -> str:
        return f"{key}:{int(now // self.duration)}"


def _counted(request: "Request", view: "APIView") -> tuple[float, dict[str, int]]:
    """Count this call against every windowed limit of the view at once (once per request)."""
    counted = getattr(request, _COUNTED, None)
    if counted is None:
        now = throttling.SimpleRateThrottle.timer()
        windows = {}
        for throttle in view.get_throttles():
            if isinstance(throttle, _FixedWindowRate):
                window = throttle.window_key(request, view, now)
                if window is not None:
                    windows[window] = throttle.duration
        counted = (now, _increment(windows))
        setattr(request, _COUNTED, counted)
    return counted


def _increment(windows: dict[str, int]) -> dict[str, int]:
    """Add one to each counter (created with its window's lifetime in seconds); the new counts."""
    cache = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(cache, RedisCache):  # a process's own memory (development and tests)
        for key, lifetime in windows.items():
            cache.add(key, 0, lifetime)
        return {key: cache.incr(key) for key in windows}
    pipeline = cache._cache.get_client(write=True).pipeline(transaction=False)
    for key, lifetime in windows.items():
        stored = cache.make_and_validate_key(key)
        pipeline.incr(stored)
        pipeline.expire(stored, lifetime)
    return dict(zip(windows, pipeline.execute()[::2], strict=True))


class AnonThrottle(_FixedWindowRate, throttling.AnonRateThrottle):
    """Per client address, for callers without an account (and failed bearer tokens)."""

    def get_ident(self, request: "Request") -> str:
        return client_address(request._request)


def authentication_failure_count(request: "Request") -> None:
    """Count a failed bearer token against the anonymous rate of the client's address; Throttled once over it.

    DRF authenticates before it throttles, so without this a wrong token could be tried without limit.
    The counter is the one the address's anonymous calls use (the user is not known, so not through
    get_cache_key, which asks for it).
    """
    throttle = AnonThrottle()
    if throttle.rate is None:
        return
    throttle.now = throttle.timer()
    key = throttle.cache_format % {"scope": throttle.scope, "ident": throttle.get_ident(request)}
    window = throttle.window_of(key, throttle.now)
    if _increment({window: throttle.duration})[window] > throttle.num_requests:
        raise exceptions.Throttled(wait=throttle.wait())


class UserThrottle(_FixedWindowRate, throttling.UserRateThrottle):
    """Per user, every call."""


class WriteThrottle(_FixedWindowRate, throttling.UserRateThrottle):
    """Per user (or address), the calls that change something."""

    scope = "write"

    def get_cache_key(self, request: "Request", view: "APIView") -> str | None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        return super().get_cache_key(request, view)


class ScopedThrottle(_FixedWindowRate, throttling.ScopedRateThrottle):
    """Views naming a `throttle_scope` (document verification) get that scope's own limit."""

    def window_key(self, request: "Request", view: "APIView", now: float) -> str | None:
        # As DRF's allow_request does: the scope, and so the rate, are the view's.
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return None
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().window_key(request, view, now)
