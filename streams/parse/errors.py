"""Errors raised while turning a wire's bytes into an :class:`~schemas.Article`.

Codes are stable (they end up in dead-letter envelopes and operators search
for them), so a subclass never changes its code once released.
"""

from __future__ import annotations

from streams.errors import WirestreamError


class ParseError(WirestreamError):
    """A wire could not be parsed. Catch this to handle every parse failure."""

    code = "W100"


class EmptyWireError(ParseError):
    """The wire has no content, or only whitespace and control characters."""

    code = "W101"


class UndecodableWireError(ParseError):
    """The wire is binary, or text in an encoding we cannot identify."""

    code = "W102"


class UnknownFormatError(ParseError):
    """The sender declared a format this package has no parser for."""

    code = "W103"


class LayoutError(ParseError):
    """The wire is readable text, but no headline or no body could be found in it."""

    code = "W104"


class WireTooLargeError(ParseError):
    """The wire is over the configured size limit."""

    code = "W105"


__all__ = [
    "EmptyWireError",
    "LayoutError",
    "ParseError",
    "UndecodableWireError",
    "UnknownFormatError",
    "WireTooLargeError",
]
