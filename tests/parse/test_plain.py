"""Plain-text fallback: headline line, paragraphs, optional dateline."""

from __future__ import annotations

import pytest

from schemas.article import Dateline
from streams.parse import LayoutError, parse_wire
from streams.parse.plain import parse_plain
from tests.parse.wires import PLAIN, RECEIVED_AT, fixture_bytes, raw_wire


def test_plain_wire_takes_the_first_line_as_headline_and_strips_the_dateline() -> None:
    article = parse_wire(raw_wire(fixture_bytes(PLAIN)))
    assert article.source_format == "plain-text"
    assert article.headline == "Glacier melt speeds up in the Alps, survey finds"
    assert article.dateline == Dateline(cities=["GENEVA"], date_text="March 4", agency="AP")
    assert article.source_agency == "AP"
    assert article.body[0].startswith("Alpine glaciers lost a record share")
    assert "GENEVA" not in article.body[0]


def test_blank_lines_separate_paragraphs_and_wrapped_lines_are_joined() -> None:
    article = parse_wire(raw_wire(fixture_bytes(PLAIN)))
    assert len(article.body) == 3
    assert article.body[0].endswith("as a warm summer followed a winter with little snow.")


def test_without_blank_lines_every_line_is_a_paragraph() -> None:
    text = "Headline here\nFirst paragraph.\nSecond paragraph.\n\n"
    article = parse_plain(text, wire_id="w", received_at=RECEIVED_AT)
    assert article.body == ["First paragraph.", "Second paragraph."]


def test_plain_wire_defaults() -> None:
    article = parse_plain("Headline\nBody.", wire_id="w", received_at=RECEIVED_AT)
    assert article.version == 1
    assert article.version_tags == []
    assert article.dateline is None
    assert article.source_agency is None
    assert article.slug is None
    assert article.published_at is None
    assert article.language == "en"
    assert article.urgency is not None and article.urgency.value == 5
    assert article.story_id == "unknown:20250304:headline"


def test_korean_plain_wire_is_tagged_korean() -> None:
    article = parse_plain(
        "수출 5개월 연속 증가\n수출이 늘었다.", wire_id="w", received_at=RECEIVED_AT
    )
    assert article.language == "ko"


def test_leading_blank_lines_and_inner_spaces_are_cleaned() -> None:
    text = "\n\n   Quake   hits\tcoast  \n\nA  strong\u00a0quake struck.\n"
    article = parse_plain(text, wire_id="w", received_at=RECEIVED_AT)
    assert article.headline == "Quake hits coast"
    assert article.body == ["A strong quake struck."]


@pytest.mark.parametrize(
    "text", ["Only a headline", "Only a headline\n\n\n", "Headline\nPARIS (AFP) -"]
)
def test_plain_wire_without_body_raises_layout_error(text: str) -> None:
    with pytest.raises(LayoutError, match="no body"):
        parse_plain(text, wire_id="w", received_at=RECEIVED_AT)
