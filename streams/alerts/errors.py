"""Errors of the alerts package (codes W6xx)."""

from __future__ import annotations

from streams.errors import WirestreamError


class AlertError(WirestreamError):
    """Something about alert subscriptions, matching or delivery went wrong."""

    code = "W600"


class QueryError(AlertError):
    """A subscription query that does not parse, or names something unknown.

    ``column`` is 1-based, counted in characters of the query as written, so a
    client can put a caret under it. The only exception the parser raises.
    """

    code = "W601"

    def __init__(self, message: str, *, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.column = column
        self.reason = message


class SubscriptionError(AlertError):
    """A subscription record that is not acceptable (besides its query)."""

    code = "W602"


class WebhookAddressError(AlertError):
    """A webhook URL that may not be called: bad scheme, or a private, loopback or
    link-local address that the allow-list does not name."""

    code = "W610"


class SignatureError(AlertError):
    """A webhook signature that does not verify: missing, malformed or wrong."""

    code = "W611"


class StaleSignatureError(SignatureError):
    """A signed webhook whose timestamp is too far from the receiver's clock
    (a replay, or a clock badly off)."""

    code = "W612"


class DeliveryError(AlertError):
    """A webhook delivery that failed after every retry."""

    code = "W613"
