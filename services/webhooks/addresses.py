"""Where a webhook may go (SSRF): https to a public address, checked when subscribing and again when sending.

The sender connects to the very address checked here (no second DNS look-up a rebinding attack
could answer differently), with the name in TLS SNI and the Host header. Hosts listed in
settings.WEBHOOK_ALLOWED_HOSTS are trusted as they are: plain http and any address (a receiver on
the same machine or network, in development and tests).
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeURL(ValueError):
    """The URL may not receive webhooks; the message says why, in the reader's language."""


@dataclass(frozen=True)
class Target:
    """A checked URL: connect to `address`, and name `host` in SNI and the Host header."""

    scheme: str
    host: str
    port: int
    path: str
    address: str

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


def target_resolve(url: str) -> Target:
    """Check `url` and resolve its host once; raise UnsafeURL if it may not receive webhooks."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    trusted = host in {name.lower() for name in settings.WEBHOOK_ALLOWED_HOSTS}
    if parts.scheme != "https" and not (parts.scheme == "http" and trusted):
        raise UnsafeURL(_("Webhook URLs must use https."))
    if not host:
        raise UnsafeURL(_("The URL has no host."))
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL(_("The URL may not contain a user name or password."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeURL(_("The URL's port is not valid.")) from error
    addresses = _resolve(host, port)
    if not trusted and any(_is_internal(address) for address in addresses):
        raise UnsafeURL(_("The URL's host is a private or reserved address; webhooks go only to public addresses."))
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=parts.scheme, host=host, port=port, path=path, address=str(addresses[0]))


def _resolve(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise UnsafeURL(_("The URL's host could not be found.")) from error
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise UnsafeURL(_("The URL's host could not be found."))
    return addresses


def _is_internal(address: Address) -> bool:
    """Private, loopback, link-local, multicast, reserved, unspecified, or not global; IPv4-mapped
    and similar IPv6 forms are judged by the IPv4 address they carry."""
    if isinstance(address, ipaddress.IPv6Address):
        carried = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if carried is not None and _is_internal(carried):
            return True
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )
