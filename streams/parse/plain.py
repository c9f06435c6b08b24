"""Fallback parser for wires that are just text: a headline line and paragraphs."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.article import Article, Urgency
from streams.parse.dateline import split_dateline
from streams.parse.errors import LayoutError
from streams.parse.ids import article_id, story_id
from streams.parse.story import NORMAL_URGENCY
from streams.parse.text import (
    collapse_whitespace,
    guess_language,
    parse_text_wire,
    split_paragraphs,
)

SOURCE_FORMAT = "plain-text"


def parse_plain(
    text: str, *, wire_id: str, received_at: datetime, source_encoding: str | None = None
) -> Article:
    """Parse normalised plain text into an :class:`Article`.

    The first non-empty line is the headline. The rest is split into paragraphs
    on blank lines, or one paragraph per line when there are no blank lines. An
    agency dateline opening the first paragraph (``PARIS, 3 March (AFP) -``) is
    parsed and removed from the body. Raises :class:`LayoutError` when there is
    no body after the headline.
    """
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise LayoutError("plain-text wire has no text lines to take a headline from")
    headline = collapse_whitespace(lines[first])

    paragraphs = split_paragraphs(lines[first + 1 :])
    dateline, paragraphs = split_dateline(paragraphs)
    if not paragraphs:
        raise LayoutError(
            f"plain-text wire has a headline ({headline[:60]!r}) but no body: "
            "expected paragraphs on the lines after the first"
        )

    agency = dateline.agency if dateline else None
    # Without a publication time the receipt day is the only date there is; in
    # UTC because nothing in plain text says which local day the sender meant.
    sid = story_id(
        agency=agency,
        local_date=received_at.astimezone(UTC).date(),
        slug=None,
        headline=headline,
    )
    language = guess_language(text, default="en")
    return Article(
        article_id=article_id(story_id=sid, wire_id=wire_id),
        story_id=sid,
        version=1,
        version_tags=[],
        wire_id=wire_id,
        source_format=SOURCE_FORMAT,
        source_agency=agency,
        language=language,
        headline=headline,
        dateline=dateline,
        body=paragraphs,
        # Plain text says nothing about urgency: "normal", as every parser reports.
        urgency=Urgency(value=NORMAL_URGENCY, source_value=None),
        received_at=received_at.astimezone(UTC),
        source_encoding=source_encoding,
    )


__all__ = ["SOURCE_FORMAT", "parse_plain"]


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: plain text is the fallback, it takes anything."""
    return True


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: decode, normalise and parse one plain-text wire."""
    return parse_text_wire(data, parse_plain, wire_id=wire_id, received_at=received_at)
