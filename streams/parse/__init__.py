"""Wire parsing: a :class:`~schemas.RawWire`'s bytes in, an :class:`~schemas.Article` out.

Pure functions only (no Kafka, no Faust, no clock): the same wire always
parses to the same article, which is what makes re-processing safe.

    article = parse_wire(raw)          # raises a ParseError subclass on bad input
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from schemas.article import Article
from schemas.raw import RawWire
from streams.parse.errors import (
    EmptyWireError,
    LayoutError,
    ParseError,
    UndecodableWireError,
    UnknownFormatError,
    WireTooLargeError,
)
from streams.parse.plain import parse_plain
from streams.parse.text import DEFAULT_MAX_BYTES, decode_wire, normalise_text
from streams.parse.yonhap import looks_like_yonhap, parse_yonhap


class FormatParser(Protocol):
    """What every format parser looks like."""

    def __call__(self, text: str, *, wire_id: str, received_at: datetime) -> Article: ...


# Hints as senders spell them -> parser. The source_format names are accepted
# too, so an Article's own source_format can be fed back as a hint.
_PARSERS: dict[str, FormatParser] = {
    "yonhap": parse_yonhap,
    "yonhap-text": parse_yonhap,
    "text": parse_plain,
    "plain": parse_plain,
    "plain-text": parse_plain,
}


def parse_wire(raw: RawWire, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Decode, normalise and parse one wire.

    The format comes from ``raw.format_hint`` ("yonhap", "text"/"plain"; a
    missing or blank hint means detect from the content: Yonhap markers, else
    plain text). Every failure is a :class:`ParseError` subclass with a stable
    code: empty (W101), binary/undecodable (W102), unknown hint (W103), no
    headline or body (W104), over ``max_bytes`` (W105).
    """
    parser = _parser_for_hint(raw.format_hint)
    text = normalise_text(decode_wire(raw.content, max_bytes=max_bytes))
    if not text.strip():
        raise EmptyWireError(
            f"wire has no text: its {len(raw.content):,} bytes are only whitespace, "
            "control characters or a byte order mark"
        )
    if parser is None:
        parser = parse_yonhap if looks_like_yonhap(text) else parse_plain
    return parser(text, wire_id=raw.wire_id, received_at=raw.received_at)


def _parser_for_hint(hint: str | None) -> FormatParser | None:
    if hint is None or not hint.strip():
        return None
    parser = _PARSERS.get(hint.strip().casefold())
    if parser is None:
        known = ", ".join(repr(name) for name in sorted(_PARSERS))
        raise UnknownFormatError(
            f"unknown format hint {hint!r}: expected one of {known}, or no hint to auto-detect"
        )
    return parser


__all__ = [
    "DEFAULT_MAX_BYTES",
    "EmptyWireError",
    "FormatParser",
    "LayoutError",
    "ParseError",
    "UndecodableWireError",
    "UnknownFormatError",
    "WireTooLargeError",
    "parse_wire",
]
