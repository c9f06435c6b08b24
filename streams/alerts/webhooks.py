"""Webhook signing, verification and address rules (no I/O except an injectable lookup).

Every webhook POST carries the alert JSON as its body and the header::

    Wirestream-Signature: t=1767258000,v1=5f2c...e9

``t`` is the Unix time of sending, ``v1`` the hex HMAC-SHA256, keyed with the
subscription's own webhook secret, of ``t`` in decimal, a full stop, and the body
bytes (``b"1767258000." + body``). A subscription's secret is derived from the
worker's secret and the subscription id (:func:`subscription_secret`): the
subscriber gets it when the subscription is created, nothing stores it, and one
subscriber's secret says nothing of another's. A receiver recomputes it over the raw body and
refuses a timestamp more than five minutes from its clock (a replay):
:func:`verify` does both.

Addresses: a webhook must be https, and its host must not resolve to a
private, loopback, link-local, multicast or otherwise reserved address,
unless the host (or a network containing its address) is on the allow-list
(``WIRESTREAM_ALERTS_WEBHOOK_ALLOW``), where http is accepted too.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import random
import re
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from streams.alerts.errors import SignatureError, StaleSignatureError, WebhookAddressError

HEADER = "Wirestream-Signature"
#: Seconds a signature's timestamp may differ from the receiver's clock.
TOLERANCE = 300
_HEADER_FORMAT = re.compile(r"t=([0-9]{1,12}),v1=([0-9a-f]{64})")


def subscription_secret(master: bytes, subscription_id: str) -> bytes:
    """The key one subscription's webhooks are signed with: 64 hex characters, the
    HMAC-SHA256 of its id under the worker's secret (``WIRESTREAM_ALERTS_WEBHOOK_SECRET``).
    Receivers key :func:`verify` with these characters' bytes."""
    message = b"wirestream-webhook:" + subscription_id.encode()
    return hmac.new(master, message, hashlib.sha256).hexdigest().encode()


def signature(secret: bytes, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``b"<timestamp>." + body``."""
    return hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """The value of the ``Wirestream-Signature`` header."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(
    header: str | None, body: bytes, secret: bytes, *, now: float, tolerance: int = TOLERANCE
) -> int:
    """Check a received webhook; returns its timestamp.

    Raises :class:`SignatureError` when the header is missing, malformed or
    does not match the body, :class:`StaleSignatureError` when its timestamp
    is further than ``tolerance`` seconds from ``now``.
    """
    if not header:
        raise SignatureError(f"no {HEADER} header")
    m = _HEADER_FORMAT.fullmatch(header.strip())
    if m is None:
        raise SignatureError(f"{HEADER} is not 't=<unix time>,v1=<64 hex>'")
    timestamp = int(m.group(1))
    if not hmac.compare_digest(m.group(2), signature(secret, timestamp, body)):
        raise SignatureError("signature does not match the body")
    if abs(now - timestamp) > tolerance:
        raise StaleSignatureError(
            f"signature time {timestamp} is {abs(now - timestamp):.0f} s from now "
            f"(more than {tolerance} s): refused as a possible replay"
        )
    return timestamp


def _system_resolve(host: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise WebhookAddressError(f"webhook host {host!r} does not resolve ({exc})") from exc
    return sorted({str(info[4][0]) for info in infos})


def _allowed(host: str, addresses: list[str], allow: Sequence[str]) -> bool:
    for entry in allow:
        entry = entry.strip()
        if not entry:
            continue
        if entry.casefold() == host.casefold():
            return True
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue
        if any(ipaddress.ip_address(a) in network for a in addresses):
            return True
    return False


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_webhook_url(
    url: str,
    *,
    allow: Sequence[str] = (),
    resolve: Callable[[str], list[str]] | None = None,
) -> list[str]:
    """The addresses ``url``'s host resolves to, or :class:`WebhookAddressError` saying why not."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise WebhookAddressError(f"webhook {url!r} is not a URL ({exc})") from exc
    if parts.scheme not in ("http", "https") or not host:
        raise WebhookAddressError(f"webhook {url!r} must be an http(s) URL with a host")
    if parts.username or parts.password:
        raise WebhookAddressError("webhook URL must not carry a user name or password")
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = (resolve or _system_resolve)(host)
    if not addresses:
        raise WebhookAddressError(f"webhook host {host!r} does not resolve")
    if _allowed(host, addresses, allow):
        return addresses
    if parts.scheme != "https":
        raise WebhookAddressError(
            f"webhook {url!r} must use https (http only for hosts on the allow-list)"
        )
    blocked = [a for a in addresses if not _public(a)]
    if blocked:
        raise WebhookAddressError(
            f"webhook host {host!r} resolves to {', '.join(blocked)}: private, loopback and "
            "link-local addresses are refused unless allow-listed (WIRESTREAM_ALERTS_WEBHOOK_ALLOW)"
        )
    return addresses


def backoff(attempt: int, *, base: float, cap: float, rng: random.Random) -> float:
    """Seconds to wait before retry ``attempt`` (1, 2, ...): exponential, full jitter."""
    return rng.uniform(0.0, min(cap, base * 2 ** (attempt - 1)))
