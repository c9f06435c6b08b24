"""Property tests: whatever arrives, parse_wire returns an Article or raises ParseError."""

from __future__ import annotations

import signal

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.article import Article
from streams.parse import ParseError, parse_wire
from tests.parse.wires import raw_wire

HINTS = st.sampled_from([None, "yonhap", "text"])

# Pieces of the Yonhap layout, so that the generated text reaches the parser's
# branches (tags, notes, bylines, datelines, end and rights lines) often.
LAYOUT_PIECES = st.sampled_from(
    [
        "김하늘",
        "| 2025-03-04 08:30:00",
        "| 2025-99-99 99:99:99",
        "(LEAD) ",
        "(2nd LD)",
        "(URGENT)",
        "(ROUNDUP) ",
        "(ATTN: ADDS photo)",
        "(ATTN",
        "By Kim Ha-neul",
        "By ",
        "SEOUL, March 4 (Yonhap) -- ",
        "WASHINGTON (AP) — ",
        "haneul.kim@example.co.kr",
        "(END)",
        "[ⓒ Test. 금지]",
        "(c) ",
        "© ",
        "&quot;",
        "",
        " ",
        ".",
    ]
)
LAYOUT_TEXT = st.lists(st.one_of(LAYOUT_PIECES, st.text(max_size=30)), max_size=30).map("\n".join)


def _parse_or_parse_error(content: bytes, hint: str | None) -> None:
    try:
        article = parse_wire(raw_wire(content, hint=hint))
    except ParseError:
        return
    assert isinstance(article, Article)
    assert article.headline.strip()
    assert article.body and all(p.strip() for p in article.body)


@settings(deadline=None)
@given(st.binary(max_size=2000), HINTS)
def test_arbitrary_bytes_give_an_article_or_a_parse_error(data: bytes, hint: str | None) -> None:
    _parse_or_parse_error(data, hint)


@settings(deadline=None)
@given(st.text(), HINTS)
def test_arbitrary_text_gives_an_article_or_a_parse_error(text: str, hint: str | None) -> None:
    _parse_or_parse_error(text.encode("utf-8"), hint)


@settings(deadline=None, max_examples=300)
@given(LAYOUT_TEXT, HINTS)
def test_layout_like_text_gives_an_article_or_a_parse_error(text: str, hint: str | None) -> None:
    _parse_or_parse_error(text.encode("utf-8"), hint)


@settings(deadline=None)
@given(LAYOUT_TEXT)
def test_parsing_is_deterministic(text: str) -> None:
    content = text.encode("utf-8")
    try:
        first = parse_wire(raw_wire(content))
    except ParseError as exc:
        try:
            parse_wire(raw_wire(content))
        except ParseError as again:
            assert (type(again), str(again)) == (type(exc), str(exc))
        return
    assert parse_wire(raw_wire(content)) == first


HOSTILE_LINES = [
    "(" + " " * 50_000 + "x",
    "(ATTN: a" + " " * 50_000 + "b",
    "SEOUL, " + " " * 50_000 + "x (Yonhap) -- y",
    "By A" + " " * 50_000 + "x.",
    "a@b.c" + " " * 50_000 + "x(END)",
    "| 2025-01-01 10:00" + " " * 50_000 + "x",
]


def test_hostile_long_lines_do_not_hang_the_parser() -> None:
    # Each of these once sent a regex into catastrophic backtracking that ran
    # for minutes. The watchdog only catches a hang: its limit is far above
    # what a linear parse needs even on a loaded machine.
    def hang(signum: int, frame: object) -> None:
        raise AssertionError("parser hung on a hostile long line")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(120)
    try:
        for line in HOSTILE_LINES:
            for hint in (None, "yonhap", "text"):
                _parse_or_parse_error(f"Headline\n{line}\nBody.\n".encode(), hint)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
