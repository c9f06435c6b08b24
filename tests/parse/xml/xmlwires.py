"""Helpers shared by the XML wire tests: the fixtures and a one-call parse."""

from __future__ import annotations

from pathlib import Path

from schemas.article import Article
from streams.parse import parse_items
from tests.parse.wires import raw_wire

FIXTURES = Path(__file__).parent / "fixtures"

NITF_V1 = "nitf_harbour_v1.xml"
NITF_V2 = "nitf_harbour_v2.xml"
NITF_EMBARGOED = "nitf_embargoed_ns.xml"
G2_V1 = "g2_wildfire_v1.xml"
G2_V2 = "g2_wildfire_v2_prefixed_xhtml.xml"
G2_MESSAGE = "g2_message_two_items.xml"
G2_PACKAGE = "g2_package.xml"
NEWSML12_REVISIONS = "newsml12_port_two_revisions.xml"
NEWSML12_RELEASE = "newsml12_release_xhtml.xml"

ALL_FIXTURES = sorted(path.name for path in FIXTURES.glob("*.xml"))


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse(content: bytes | str, *, hint: str | None = None) -> list[Article]:
    """Every article of one wire, through the public entry point."""
    return parse_items(raw_wire(content, hint=hint))


def parse_one(content: bytes | str, *, hint: str | None = None) -> Article:
    articles = parse(content, hint=hint)
    assert len(articles) == 1
    return articles[0]
