"""The address of the person making a request, as the rate limits, the login lockout and /metrics see it.

Behind a reverse proxy every request arrives from the proxy. The proxy appends the address it was
called from to `X-Forwarded-For`, so with `PROXY_COUNT` proxies in front of the portal the client
is that many entries from the end; entries further left are whatever the client chose to send and
are never believed. A request without the header came to the portal directly (a scraper inside
the network, a health check) and its own address counts.
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    count = settings.PROXY_COUNT
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(count, len(hops))]
    return request.META.get("REMOTE_ADDR", "")
