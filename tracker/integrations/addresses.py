"""Which addresses the tracker may post to: HTTPS on the public internet, nothing inside the hospital.

A host is resolved and every address it resolves to is checked, when the address is entered and
again just before each delivery (so a name that later resolves somewhere private, DNS rebinding, is
caught); the delivery then connects to the very addresses that were checked. Loopback is allowed
with ``TRACKER_WEBHOOKS_ALLOW_LOOPBACK`` (tests, local development). ``TRACKER_WEBHOOKS_ALLOWED_HOSTS``
lists host names and networks (``intranet.hospital.org``, ``10.20.0.0/16``) inside the hospital that
may be posted to, also over plain HTTP.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _

MAX_URL = 2000
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The address may not be posted to; ``message`` says why, for the page."""

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.message = message
        self.transient = transient  # the name did not resolve: may work later


@dataclass(frozen=True)
class CheckedAddress:
    scheme: str
    host: str
    port: int
    target: str  # path and query, sent in the request line
    addresses: tuple[IPAddress, ...]


def _allow_list() -> tuple[set[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    configured = current_app.config.get("WEBHOOKS_ALLOWED_HOSTS") or []
    entries = configured.split(",") if isinstance(configured, str) else list(configured)
    names, networks = set(), []
    for entry in (str(item).strip().lower() for item in entries):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.add(entry.rstrip("."))
    return names, networks


def _resolve(host: str, port: int) -> tuple[IPAddress, ...]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise AddressRefused(_("The host name %(host)s could not be found.", host=host), transient=True) from None
    found: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if address not in found:
            found.append(address)
    return tuple(found)


def split(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and request target of a URL, or :class:`AddressRefused` with the reason."""
    from urllib.parse import urlsplit

    url = url.strip() if isinstance(url, str) else ""
    if not url:
        raise AddressRefused(_("Please paste the address."))
    if len(url) > MAX_URL:
        raise AddressRefused(_("The address is too long (at most %(max)s characters).", max=format_number(MAX_URL)))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise AddressRefused(_("This is not a valid web address.")) from None
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise AddressRefused(_("The address must start with https:// and name a host."))
    if parts.username or parts.password:
        raise AddressRefused(_("The address must not contain a user name or password."))
    if any(character.isspace() for character in url):
        raise AddressRefused(_("The address must not contain spaces."))
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return parts.scheme, parts.hostname.lower().rstrip("."), port or (443 if parts.scheme == "https" else 80), target


def check(url: str) -> CheckedAddress:
    """Resolve and check ``url``; raises :class:`AddressRefused` with the reason in words."""
    scheme, host, port, target = split(url)
    allow_loopback = bool(current_app.config.get("WEBHOOKS_ALLOW_LOOPBACK"))
    names, networks = _allow_list()
    named = host in names
    addresses = _resolve(host, port)
    if not addresses:
        raise AddressRefused(_("The host name %(host)s could not be found.", host=host), transient=True)
    inside = True  # every address is loopback (allowed) or on the allow-list: plain HTTP is acceptable
    for address in addresses:
        listed = named or any(address in network for network in networks)
        if address.is_loopback:
            if not (allow_loopback or listed):
                raise AddressRefused(_("Addresses on this machine (loopback) are refused."))
        elif not address.is_global or address.is_multicast:
            if not listed:
                raise AddressRefused(
                    _(
                        "%(host)s points inside a private network (%(address)s). Only public addresses are allowed,"
                        " unless an administrator puts the host on the allow-list.",
                        host=host,
                        address=str(address),
                    )
                )
        elif not listed:
            inside = False
    if scheme != "https" and not inside:
        raise AddressRefused(_("The address must use HTTPS (https://)."))
    return CheckedAddress(scheme, host, port, target, addresses)
