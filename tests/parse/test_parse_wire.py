"""parse_wire: choosing the format from the hint or the content."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta, timezone

import pytest

from streams.parse import ParseError, parse_items, parse_wire
from tests.parse.wires import LEAD, PLAIN, URGENT, fixture_bytes, raw_wire


@pytest.mark.parametrize(
    ("name", "source_format"),
    [(LEAD, "yonhap-text"), (URGENT, "yonhap-text"), (PLAIN, "plain-text")],
)
def test_format_is_detected_from_the_content_without_a_hint(name: str, source_format: str) -> None:
    assert parse_wire(raw_wire(fixture_bytes(name))).source_format == source_format


@pytest.mark.parametrize("hint", ["yonhap", "Yonhap", " YONHAP ", "yonhap-text"])
def test_yonhap_hint_is_case_and_space_insensitive(hint: str) -> None:
    assert parse_wire(raw_wire(fixture_bytes(LEAD), hint=hint)).source_format == "yonhap-text"


@pytest.mark.parametrize("hint", ["text", "plain", "plain-text"])
def test_text_hint_forces_the_plain_parser(hint: str) -> None:
    article = parse_wire(raw_wire(fixture_bytes(LEAD), hint=hint))
    assert article.source_format == "plain-text"
    assert article.headline == "김하늘"


def test_yonhap_hint_on_plain_text_still_parses_tolerantly() -> None:
    article = parse_wire(raw_wire(fixture_bytes(PLAIN), hint="yonhap"))
    assert article.headline == "Glacier melt speeds up in the Alps, survey finds"
    assert article.source_agency == "AP"


@pytest.mark.parametrize("hint", ["", "   "])
def test_blank_hint_means_detect(hint: str) -> None:
    assert parse_wire(raw_wire(fixture_bytes(LEAD), hint=hint)).source_format == "yonhap-text"


def test_received_at_in_another_offset_is_stored_in_utc() -> None:
    kst = timezone(timedelta(hours=9))
    article = parse_wire(
        raw_wire(fixture_bytes(PLAIN), received_at=datetime(2025, 3, 4, 9, tzinfo=kst))
    )
    assert article.received_at == datetime(2025, 3, 4, 0, tzinfo=UTC)
    assert article.received_at.utcoffset() == timedelta(0)


def test_article_round_trips_through_json() -> None:
    article = parse_wire(raw_wire(fixture_bytes(LEAD)))
    assert type(article).from_json(article.to_json()) == article


@pytest.mark.parametrize(
    "content",
    [
        b'{"uri": "urn:example:story-1", "type": "text", "version": "\xc2\xb2", '
        b'"headline": "Dam opens", "body_text": "The dam opened on Monday."}',
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:1" '
        b'version="\xc2\xb2" standard="NewsML-G2"><contentSet><inlineData>'
        b"Dam opens</inlineData></contentSet></newsItem>",
    ],
    ids=["ninjs", "newsml-g2"],
)
def test_a_version_in_superscript_digits_is_not_a_crash(content: bytes) -> None:
    # '²'.isdigit() is True but int('²') raises: such a value must never
    # escape as anything but a parse result or a ParseError.
    with contextlib.suppress(ParseError):
        parse_items(raw_wire(content))
