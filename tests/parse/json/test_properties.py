"""Property tests: whatever JSON (or bytes) arrives, the JSON parsers return articles or
raise a ParseError, and what they return is clean."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.article import Article
from streams.parse import ParseError, parse_items
from streams.parse.json import apmedia, ninjs
from tests.parse.wires import RECEIVED_AT, raw_wire

Parse = Callable[..., list[Article]]
PARSERS = st.sampled_from([ninjs.parse, apmedia.parse])

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=40,
)

# Field names and values from both formats, so generated objects reach the parsers'
# branches (bodies, headlines, statuses, associations, feeds) instead of stopping early.
KEYS = st.sampled_from(
    [
        "uri", "type", "version", "versioncreated", "versionCreated", "firstcreated",
        "pubstatus", "pubStatus", "embargoed", "embargoedUntil", "urgency", "headline",
        "headlines", "body_text", "body_html", "body_xhtml", "bodies", "descriptions",
        "description_text", "description_summary", "byline", "by", "bylines", "located",
        "datelinelocation", "subject", "subjects", "genre", "genres", "language", "slugline",
        "title", "copyrightholder", "copyrightNotice", "ednote", "edNote", "signals",
        "editorialtypes", "associations", "altids", "data", "item", "items", "value", "role",
        "contentType", "contenttype", "name", "code", "scheme", "literal", "relevance",
        "confidence", "itemid", "standard", "eventDetails",
    ]
)  # fmt: skip
LEAF_WORDS = [
    "text", "picture", "usable", "withheld", "canceled", "embargoed", "Writethru", "Lead",
    "text/plain", "text/html", "text/vnd.IPTC.NITF", "main", "caption",
    "2026-03-04T09:15:00+01:00", "2026-13-45T99:99:99Z", "By Jane Doe",
    "SEOUL, March 4 (Yonhap) -- Body.", "<p>One</p><p>Two &amp; three</p>",
    "<script>x</script><p>", "http://cv.iptc.org/newscodes/mediatopic/15000000",
    "http://cv.ap.org/id/", "https://api.ap.org/media/v/content/abc?et=1",
    "urn:newsml:dpa.com:20260101:x", "ninjs", "3.0", "", " ", "\u0000",
]  # fmt: skip
LEAVES = (
    st.sampled_from(LEAF_WORDS)
    | st.integers(min_value=-5, max_value=200)
    | st.floats(min_value=-1, max_value=2, allow_nan=False)
    | st.none()
    | st.booleans()
    | st.text(max_size=30)
)
NEWS_LIKE = st.recursive(
    LEAVES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=8),
    max_leaves=60,
)
NEWS_OBJECTS = st.dictionaries(KEYS, NEWS_LIKE, min_size=1, max_size=12)


def _check(parse: Parse, data: bytes) -> None:
    try:
        articles = parse(data, wire_id="sha256:test", received_at=RECEIVED_AT)
    except ParseError:
        return
    assert articles
    for article in articles:
        assert isinstance(article, Article)
        assert article.headline.strip() == article.headline
        assert article.headline
        assert article.body
        assert all(p and p == p.strip() and "\n" not in p for p in article.body)
        assert article.received_at == RECEIVED_AT
        assert type(article).from_json(article.to_json()) == article


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


@settings(deadline=None)
@given(st.binary(max_size=2000), PARSERS)
def test_arbitrary_bytes_give_articles_or_a_parse_error(data: bytes, parse: Parse) -> None:
    _check(parse, data)


@settings(deadline=None)
@given(JSON_VALUES, PARSERS)
def test_arbitrary_json_gives_articles_or_a_parse_error(value: Any, parse: Parse) -> None:
    _check(parse, _dump(value))


@settings(deadline=None, max_examples=400)
@given(NEWS_OBJECTS, PARSERS)
def test_news_like_json_gives_articles_or_a_parse_error(value: Any, parse: Parse) -> None:
    _check(parse, _dump(value))


@settings(deadline=None, max_examples=200)
@given(NEWS_OBJECTS, st.sampled_from([None, "ninjs", "ap-media"]))
def test_parse_items_on_json_gives_articles_or_a_parse_error(value: Any, hint: str | None) -> None:
    def through_parse_items(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
        return parse_items(raw_wire(data, hint=hint, received_at=received_at))

    _check(through_parse_items, _dump(value))


@settings(deadline=None, max_examples=100)
@given(NEWS_OBJECTS)
def test_json_parsing_is_deterministic(value: Any) -> None:
    data = _dump(value)
    outcomes = []
    for _ in range(2):
        try:
            outcomes.append(parse_items(raw_wire(data)))
        except ParseError as exc:
            outcomes.append([type(exc), str(exc)])  # type: ignore[list-item]
    assert outcomes[0] == outcomes[1]
