"""Wire parsing: a :class:`~schemas.RawWire`'s bytes in, :class:`~schemas.Article` records out.

Pure functions only (no Kafka, no Faust, no clock): the same wire always
parses to the same articles, which is what makes re-processing safe.

    articles = parse_items(raw)   # one per item; raises a ParseError subclass
    article = parse_wire(raw)     # for wires that carry exactly one story

Formats and their detection order are in :mod:`streams.parse.formats`.
"""

from __future__ import annotations

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
from streams.parse.formats import BY_HINT, FORMATS, WireFormat, detect
from streams.parse.text import DEFAULT_MAX_BYTES, check_size


def parse_items(raw: RawWire, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Article]:
    """Every story in one wire.

    The format comes from ``raw.format_hint`` (a name or alias of
    :data:`~streams.parse.formats.FORMATS`); a missing or blank hint means
    detect it from the content. Every failure is a :class:`ParseError`
    subclass with a stable code: empty (W101), binary/undecodable (W102),
    unknown hint (W103), no headline or body (W104), over ``max_bytes`` (W105).
    """
    fmt = format_for_hint(raw.format_hint)
    check_size(raw.content, max_bytes=max_bytes)
    if not raw.content.strip():
        raise EmptyWireError(f"wire is empty ({len(raw.content):,} bytes of whitespace)")
    if fmt is None:
        fmt = detect(raw.content)
    articles = fmt.parse(raw.content, wire_id=raw.wire_id, received_at=raw.received_at)
    if not articles:
        raise LayoutError(f"{fmt.name} wire holds no story")
    return articles


def parse_wire(raw: RawWire, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """The one story of a single-story wire (see :func:`parse_items`)."""
    articles = parse_items(raw, max_bytes=max_bytes)
    if len(articles) > 1:
        raise LayoutError(f"wire holds {len(articles)} stories; use parse_items() to read them all")
    return articles[0]


def format_for_hint(hint: str | None) -> WireFormat | None:
    """The format a sender declared, None for 'detect', UnknownFormatError otherwise."""
    if hint is None or not hint.strip():
        return None
    fmt = BY_HINT.get(hint.strip().casefold())
    if fmt is None:
        known = ", ".join(repr(name) for name in sorted(BY_HINT))
        raise UnknownFormatError(
            f"unknown format hint {hint!r}: expected one of {known}, or no hint to auto-detect"
        )
    return fmt


__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "EmptyWireError",
    "LayoutError",
    "ParseError",
    "UndecodableWireError",
    "UnknownFormatError",
    "WireFormat",
    "WireTooLargeError",
    "format_for_hint",
    "parse_items",
    "parse_wire",
]
