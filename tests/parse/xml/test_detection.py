"""Auto-detection: each XML format is recognised by its root element and nothing else is."""

from __future__ import annotations

import json

import pytest

from streams.parse.formats import BY_HINT, detect
from tests.parse.wires import LEAD, PLAIN, fixture_bytes
from tests.parse.xml.xmlwires import (
    G2_MESSAGE,
    G2_V1,
    G2_V2,
    NEWSML12_RELEASE,
    NEWSML12_REVISIONS,
    NITF_EMBARGOED,
    NITF_V1,
    NITF_V2,
    fixture,
    parse,
)

XML_FORMATS = ("nitf", "newsml-g2", "newsml-1.2")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (NITF_V1, "nitf"),
        (NITF_V2, "nitf"),
        (NITF_EMBARGOED, "nitf"),
        (G2_V1, "newsml-g2"),
        (G2_V2, "newsml-g2"),
        (G2_MESSAGE, "newsml-g2"),
        (NEWSML12_REVISIONS, "newsml-1.2"),
        (NEWSML12_RELEASE, "newsml-1.2"),
    ],
)
def test_parse_items_without_a_hint_detects_the_format(name: str, expected: str) -> None:
    articles = parse(fixture(name))
    assert articles
    assert {article.source_format for article in articles} == {expected}


@pytest.mark.parametrize("hint", ["nitf3", "g2", "newsmlg2", "newsml", "newsml12"])
def test_aliases_reach_the_xml_parsers(hint: str) -> None:
    assert BY_HINT[hint].name in XML_FORMATS


NOT_OURS = {
    "html page": b"<!DOCTYPE html>\n<html><head><title>News</title></head><body></body></html>",
    "xhtml page": b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"></html>',
    "rss feed": b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>',
    "ninjs": json.dumps(
        {
            "uri": "urn:x",
            "type": "text",
            "headline": "<nitf> in a headline",
            "body_html": "<p>NewsML</p>",
        }
    ).encode(),
    "plain text naming the formats": b"NITF and NewsML wires\n\n<nitf> is an element name.",
    "yonhap text": fixture_bytes(LEAD),
    "plain wire": fixture_bytes(PLAIN),
    "other namespace newsItem": b'<newsItem xmlns="urn:example:other"><x/></newsItem>',
}


@pytest.mark.parametrize("name", sorted(NOT_OURS))
def test_xml_sniffers_do_not_claim_other_content(name: str) -> None:
    head = NOT_OURS[name]
    text = head.decode("utf-8", errors="replace")
    for fmt in XML_FORMATS:
        assert not BY_HINT[fmt].sniff(head, text), fmt
    assert detect(head).name not in XML_FORMATS


def test_each_xml_sniffer_claims_only_its_own_format() -> None:
    roots = {
        "nitf": b'<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "nitf.dtd"><nitf>',
        "newsml-g2": b'<g2:newsMessage xmlns:g2="http://iptc.org/std/nar/2006-10-01/">',
        "newsml-1.2": b'<?xml version="1.0"?>\n<!-- comment -->\n<NewsML Version="1.2">',
    }
    for owner, head in roots.items():
        text = head.decode()
        claims = [fmt for fmt in XML_FORMATS if BY_HINT[fmt].sniff(head, text)]
        assert claims == [owner]
        assert detect(head).name == owner


def test_g2_fragments_and_packages_are_detected_as_g2_to_be_refused_clearly() -> None:
    for head in (b"<contentSet><inlineXML/></contentSet>", b'<packageItem guid="p"/>'):
        assert detect(head).name == "newsml-g2"
