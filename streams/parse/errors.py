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


class XmlSecurityError(ParseError):
    """The XML declares entities or DTD content, or references external resources: refused."""

    code = "W110"


class MalformedXmlError(ParseError):
    """The wire is not well-formed XML (truncated, mismatched tags, bad characters)."""

    code = "W111"


class UnsupportedXmlError(ParseError):
    """Well-formed XML whose root element is not a news item any XML format here reads."""

    code = "W112"


class PackageItemError(LayoutError):
    """A NewsML-G2 packageItem: it lists other items and carries no story text of its own."""

    code = "W113"


# W120-W129: the JSON wire formats (ninjs, AP Media API).


class MalformedJsonError(ParseError):
    """The wire is not valid JSON; ``position`` is the character offset where reading failed."""

    code = "W120"

    def __init__(
        self, message: str, *, position: int | None = None, code: str | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.position = position


class UnsupportedJsonError(ParseError):
    """Valid JSON, but neither a ninjs item nor an AP Media API item or feed."""

    code = "W121"


class JsonLimitError(ParseError):
    """JSON nested deeper, or holding more values, than any real news item does."""

    code = "W122"


class InvalidFieldError(ParseError):
    """A field a newsroom acts on (embargo time, publication status) has a value that
    cannot be read; refused rather than guessed."""

    code = "W123"


# W130-W139: the text wire formats (ANPA-1312, IPTC 7901, Yonhap layouts).


class FramingError(LayoutError):
    """A framed agency wire whose framing is broken: ANPA-1312 or IPTC 7901 control
    characters (a header without STX, text without ETX), or too many ZCZC messages."""

    code = "W130"


class WireHeaderError(LayoutError):
    """An ANPA-1312 or IPTC 7901 header whose fields cannot be read."""

    code = "W131"


class FrontMatterError(LayoutError):
    """A crawled story whose front matter block is opened but never closed."""

    code = "W132"


__all__ = [
    "EmptyWireError",
    "FramingError",
    "FrontMatterError",
    "InvalidFieldError",
    "JsonLimitError",
    "LayoutError",
    "MalformedJsonError",
    "MalformedXmlError",
    "PackageItemError",
    "ParseError",
    "UndecodableWireError",
    "UnknownFormatError",
    "UnsupportedJsonError",
    "UnsupportedXmlError",
    "WireHeaderError",
    "WireTooLargeError",
    "XmlSecurityError",
]
