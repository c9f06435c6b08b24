"""Property tests: whatever arrives, the text formats give Articles or raise ParseError."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.article import Article
from streams.parse import ParseError, parse_items
from tests.parse.text_formats.wires import anpa_message, iptc_message
from tests.parse.wires import raw_wire

HINTS = st.sampled_from([None, "anpa", "7901", "zczc", "teletype", "crawl", "yonhap"])

FRAMING = st.sampled_from(
    ["\x16", "\x01", "\x02", "\x03", "\x04", "\x1f", "\x11", "\x12", "\x13", "\x14", "\r\n", "\n"]
)
PIECES = st.sampled_from(
    [
        "a0456",
        "\x1fapw",
        "u i\x13\x11 BC-Kim-Parade 1stLd-Writethru 10-14 0412",
        "bdt0231 4 pl 318 dpa X#2",
        "Verkehr/Bahn/",
        "Heading =",
        "^Headline<",
        "^By A WRITER<",
        "^Eds: For release Sunday, Oct. 19, at 6 p.m.<",
        "\tSEOUL, South Korea (AP) _ Text.",
        "Berlin (dpa) - Text.",
        "(Ende)",
        "dpa ab cd",
        "AP-WF-10-14-25 0312EDT<",
        "Copyright 2025 The Associated Press.",
        "Sperrfrist: 15. Oktober, 10.00 Uhr",
        "---",
        'title: "(LEAD) Headline"',
        "publisher: 연합뉴스",
        "# (LEAD) Headline",
        "(LEAD) slug(LEAD) Headline(ATTN: x)By A B SEOUL, Jan. 2 (Yonhap) -- Body.(END)",
        "     BUSAN, Jan. 14 (Yonhap) -- Text",
        "(서울=연합뉴스) 김하늘 기자 = 본문.",
        "From: x@yna.co.kr",
        "&quot;",
        " ",
        "ZCZC AAP\n",
        "%MNETALL MGD\n",
        ":Issuer Ltd\n",
        "^Headline\n",
        "*T\n",
        "    SYDNEY, March 3 AAP - Text.\n",
        "SOURCE: Issuer Ltd\n",
        "NNNN\n",
        "^AP-Top-News-Headlines<",
        "^BC-US--APNewsAlert,17<",
        "EXTRA\n",
        "# Notebook\n",
    ]
)
MIXED = st.lists(st.one_of(FRAMING, PIECES, st.text(max_size=20)), max_size=40).map("".join)


def _article_or_parse_error(content: bytes, hint: str | None) -> None:
    try:
        articles = parse_items(raw_wire(content, hint=hint))
    except ParseError:
        return
    assert articles
    for article in articles:
        assert isinstance(article, Article)
        assert article.headline.strip()
        assert article.body and all(p.strip() for p in article.body)
        assert article.source_encoding


@settings(deadline=None)
@given(st.binary(max_size=2000), HINTS)
def test_arbitrary_bytes_give_articles_or_a_parse_error(data: bytes, hint: str | None) -> None:
    _article_or_parse_error(data, hint)


@settings(deadline=None, max_examples=300)
@given(MIXED, HINTS)
def test_framing_bytes_mixed_with_text_give_articles_or_a_parse_error(
    text: str, hint: str | None
) -> None:
    _article_or_parse_error(text.encode("utf-8"), hint)


@settings(deadline=None, max_examples=200)
@given(st.sampled_from(["anpa", "7901"]), st.integers(min_value=0), st.binary(max_size=40))
def test_messages_with_bytes_spliced_in_give_articles_or_a_parse_error(
    kind: str, where: int, noise: bytes
) -> None:
    message = (anpa_message() if kind == "anpa" else iptc_message()).encode("utf-8")
    cut = where % (len(message) + 1)
    _article_or_parse_error(message[:cut] + noise + message[cut:], None)


@settings(deadline=None, max_examples=200)
@given(st.sampled_from(["anpa", "7901"]), st.integers(min_value=0))
def test_every_truncation_of_a_message_gives_an_article_or_a_parse_error(
    kind: str, where: int
) -> None:
    message = (anpa_message() if kind == "anpa" else iptc_message()).encode("utf-8")
    _article_or_parse_error(message[: where % (len(message) + 1)], None)


HOSTILE = [
    "\x01bdt0231 4 pl 318 dpa\n\x02Heading" + " " * 50_000 + "(x)\n" + "Text.\n\x03",
    "\x16\x16\x01a0101\x1fapw\nr i BC-X 10-14 1\n\x02^" + "=" * 50_000 + "x\n\tT.\n\x03",
    "---\ntitle: T\npublisher: 연합뉴스\n---\n# T\n---\nT" + "A " * 30_000 + "(Yonhap) -- x",
    "Port\n     (" + " " * 50_000 + "x=연합뉴스) y\n",
    "---\ntitle: T\npublisher: 연합뉴스\n---\n# T\n" + "a" * 50_000 + "@\n",
    "From: " + "x" * 50_000 + "\n\nT\n     SEOUL, Jan. 2 (Yonhap) -- x\n",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_lines_give_an_article_or_a_parse_error(text: str) -> None:
    # Each is built against one regex of these parsers; a backtracking blow-up hangs here.
    for hint in (None, "anpa", "7901", "teletype", "crawl"):
        _article_or_parse_error(text.encode("utf-8"), hint)
