"""Telling ninjs from AP Media API JSON, and both from everything else, without a hint."""

from __future__ import annotations

from types import ModuleType

import pytest

from streams.parse.errors import LayoutError, UnsupportedJsonError
from streams.parse.formats import detect
from streams.parse.json import apmedia, ninjs
from streams.parse.json.jsonwire import sniff_kind
from tests.parse.json.jsonwires import (
    AP_FEED,
    AP_FEED_NO_TEXT,
    AP_FIXTURES,
    AP_ITEM,
    AP_WRITETHRU,
    NINJS1,
    NINJS1_V2,
    NINJS2,
    NINJS3,
    NINJS3_PACKAGE,
    NINJS_FIXTURES,
    fixture_bytes,
    parse_fixture,
    parse_json,
)
from tests.parse.wires import LEAD, PLAIN, URGENT
from tests.parse.wires import fixture_bytes as text_fixture_bytes


def _sniffs(module: ModuleType, data: bytes) -> bool:
    head = data[:8192]
    return bool(module.sniff(head, head.decode("utf-8", errors="replace")))


@pytest.mark.parametrize(
    ("name", "count"),
    [(NINJS1, 1), (NINJS1_V2, 1), (NINJS2, 1), (NINJS3, 1), (NINJS3_PACKAGE, 2)],
)
def test_parse_items_without_a_hint_detects_ninjs(name: str, count: int) -> None:
    articles = parse_fixture(name)
    assert len(articles) == count
    assert {a.source_format for a in articles} == {"ninjs"}


@pytest.mark.parametrize(("name", "count"), [(AP_ITEM, 1), (AP_WRITETHRU, 1), (AP_FEED, 2)])
def test_parse_items_without_a_hint_detects_ap_media(name: str, count: int) -> None:
    articles = parse_fixture(name)
    assert len(articles) == count
    assert {a.source_format for a in articles} == {"ap-media"}


def test_ap_feed_without_text_is_detected_and_explained() -> None:
    assert detect(fixture_bytes(AP_FEED_NO_TEXT)).name == "ap-media"
    with pytest.raises(LayoutError, match="fetch the text rendition"):
        parse_fixture(AP_FEED_NO_TEXT)


@pytest.mark.parametrize("name", NINJS_FIXTURES)
def test_ap_parser_does_not_claim_ninjs(name: str) -> None:
    data = fixture_bytes(name)
    assert _sniffs(ninjs, data)
    assert not _sniffs(apmedia, data)


@pytest.mark.parametrize("name", AP_FIXTURES)
def test_ninjs_parser_does_not_claim_ap_media(name: str) -> None:
    data = fixture_bytes(name)
    assert _sniffs(apmedia, data)
    assert not _sniffs(ninjs, data)


@pytest.mark.parametrize(("hint", "source_format"), [("ninjs3", "ninjs"), ("ap", "ap-media")])
def test_hints_and_aliases_choose_the_parser(hint: str, source_format: str) -> None:
    name = NINJS3 if source_format == "ninjs" else AP_ITEM
    [article] = parse_fixture(name, hint=hint)
    assert article.source_format == source_format


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        ('{"uri": "x", "headline": "h"}', "ninjs"),
        ('\ufeff\n  {"uri": "x"}', "ninjs"),
        ('{"api_version": "2", "data": {"items": []}}', "ap-media"),
        ('{"data": {"meta": {}, "item": {"uri": "x"}}}', "ap-media"),
        ('{"item": {"uri": "x"}}', "ap-media"),
        ('{"uri": "x", "altids": {"itemid": "abc", "etag": "abc_1"}}', "ap-media"),
        ('{"uri": "x", "type": "text", "editorialtypes": ["Lead"]}', "ap-media"),
        # ninjs 2/3 altids are a list of role/value pairs, not AP's object.
        ('{"uri": "x", "altids": [{"role": "r", "value": "v"}]}', "ninjs"),
        # A declared ninjs standard wins over AP-looking extension fields.
        ('{"standard": {"name": "ninjs", "version": "2.0"}, "bylines": []}', "ninjs"),
        (
            '{"$schema": "http://www.iptc.org/std/ninjs/ninjs-schema_1.3.json", "itemid": 1}',
            "ninjs",
        ),
        ('[{"uri": "x"}]', "ninjs"),
        ("{not json at all", None),
        ("{ braces open this line of prose }", None),
        ("[Breaking] Storm hits coast", None),
        ("<?xml version='1.0'?><nitf/>", None),
        ("SEOUL, March 4 (Yonhap) -- {", None),
        ("", None),
    ],
)
def test_sniff_kind(head: str, kind: str | None) -> None:
    assert sniff_kind(head) == kind


@pytest.mark.parametrize(("name", "source_format"), [(LEAD, "yonhap-text"), (URGENT, "yonhap-text"),
                                                      (PLAIN, "plain-text")])  # fmt: skip
def test_text_wires_are_not_taken_for_json(name: str, source_format: str) -> None:
    data = text_fixture_bytes(name)
    assert not _sniffs(ninjs, data)
    assert not _sniffs(apmedia, data)
    assert detect(data).name == source_format


def test_json_that_is_neither_format_is_explained_not_read_as_text() -> None:
    with pytest.raises(UnsupportedJsonError, match="neither a ninjs item nor an AP"):
        parse_json({"temperature": 21.5, "unit": "C"})


def test_json_array_is_explained_not_read_as_text() -> None:
    with pytest.raises(UnsupportedJsonError, match="root is an array"):
        parse_json([{"uri": "x", "headline": "h", "body_text": "b"}])
