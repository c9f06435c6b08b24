"""Without a hint each text layout is recognised, and no layout takes another's wires."""

from __future__ import annotations

import pytest

from streams.parse.formats import detect
from streams.parse.yonhap.crawl import looks_like_crawl
from streams.parse.yonhap.portal import looks_like_yonhap
from streams.parse.yonhap.teletype import looks_like_teletype
from tests.parse.text_formats.wires import (
    ANPA_1STLD,
    ANPA_2NDLD,
    CRAWL_FIRST,
    CRAWL_KOREAN,
    CRAWL_LEAD,
    CRAWL_TABLE,
    DPA_7BIT,
    DPA_FIRST,
    DPA_UPDATE,
    TELETYPE_CORRECTION,
    TELETYPE_FIRST,
    TELETYPE_KOREAN,
    TELETYPE_LEAD,
    YONHAP_KOREAN,
    anpa_message,
    fixture,
    iptc_message,
    parse_bytes,
)
from tests.parse.wires import LEAD, PLAIN, ROUNDUP, SECOND_LD, URGENT, fixture_bytes

EXPECTED = [
    (ANPA_1STLD, "anpa-1312"),
    (ANPA_2NDLD, "anpa-1312"),
    (DPA_FIRST, "iptc-7901"),
    (DPA_UPDATE, "iptc-7901"),
    (DPA_7BIT, "iptc-7901"),
    (TELETYPE_FIRST, "yonhap-teletype"),
    (TELETYPE_LEAD, "yonhap-teletype"),
    (TELETYPE_CORRECTION, "yonhap-teletype"),
    (TELETYPE_KOREAN, "yonhap-teletype"),
    (YONHAP_KOREAN, "yonhap-text"),
    (CRAWL_FIRST, "yonhap-crawl"),
    (CRAWL_LEAD, "yonhap-crawl"),
    (CRAWL_TABLE, "yonhap-crawl"),
    (CRAWL_KOREAN, "yonhap-crawl"),
]
PORTAL_FIXTURES = [LEAD, SECOND_LD, URGENT, ROUNDUP]


@pytest.mark.parametrize(("name", "source_format"), EXPECTED)
def test_parse_items_without_a_hint_detects_the_format(name: str, source_format: str) -> None:
    assert detect(fixture(name)).name == source_format
    articles = parse_bytes(fixture(name))
    assert [a.source_format for a in articles] == [source_format]


@pytest.mark.parametrize("name", PORTAL_FIXTURES)
def test_portal_reposts_stay_with_the_yonhap_text_parser(name: str) -> None:
    text = fixture_bytes(name).decode("utf-8")
    assert detect(fixture_bytes(name)).name == "yonhap-text"
    assert not looks_like_teletype(text)
    assert not looks_like_crawl(text)


@pytest.mark.parametrize(
    "name", [TELETYPE_FIRST, TELETYPE_LEAD, TELETYPE_CORRECTION, CRAWL_FIRST, CRAWL_LEAD]
)
def test_yonhap_text_detection_does_not_take_teletype_or_crawl_wires(name: str) -> None:
    assert not looks_like_yonhap(fixture(name).decode("utf-8"))


def test_crawl_and_teletype_do_not_take_each_other() -> None:
    assert not looks_like_teletype(fixture(CRAWL_LEAD).decode("utf-8"))
    assert not looks_like_crawl(fixture(TELETYPE_LEAD).decode("utf-8"))


def test_plain_text_is_still_the_fallback() -> None:
    assert detect(fixture_bytes(PLAIN)).name == "plain-text"


def test_7901_message_is_not_taken_for_anpa_and_anpa_not_for_7901() -> None:
    assert detect(iptc_message().encode("utf-8")).name == "iptc-7901"
    assert detect(anpa_message().encode("ascii")).name == "anpa-1312"


def test_anpa_message_without_syn_fill_is_recognised_by_its_header_codes() -> None:
    wire = anpa_message().lstrip("\x16")
    assert detect(wire.encode("ascii")).name == "anpa-1312"


@pytest.mark.parametrize(
    "content",
    [
        b"\x01 a stray start-of-header byte\nthen text\n",
        b"Headline\n\x02 text after a stray STX\n",
        b"\x16\x16 sync bytes but no header\n",
    ],
)
def test_stray_framing_bytes_do_not_make_a_framed_format(content: bytes) -> None:
    assert detect(content).name not in ("anpa-1312", "iptc-7901")
