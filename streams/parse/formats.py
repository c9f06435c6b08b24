"""The registry of wire formats: names, hints, detection order.

Each format lives in its own module with the same two functions::

    def sniff(head: bytes, text: str) -> bool
        # cheap test on the first 8 KiB (``text`` is that prefix decoded
        # leniently, for formats recognised by their words)
    def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]
        # the whole wire; one article per item (a NewsML-G2 message can carry
        # several); raises a ParseError subclass on bad input

Modules are imported on first use, so a worker that only ever sees ninjs never
loads the XML parsers.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType

from schemas.article import Article

SNIFF_BYTES = 8192

Parse = Callable[..., list[Article]]


@dataclass(frozen=True)
class WireFormat:
    name: str  # also the Article.source_format of what it parses
    module: str
    aliases: tuple[str, ...] = ()
    description: str = ""

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)

    def sniff(self, head: bytes, text: str) -> bool:
        result: bool = self.load().sniff(head, text)
        return result

    def parse(self, data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
        articles: list[Article] = self.load().parse(data, wire_id=wire_id, received_at=received_at)
        return articles


#: Detection order: the most distinctive markers first, plain text last.
FORMATS: tuple[WireFormat, ...] = (
    WireFormat(
        "anpa-1312",
        "streams.parse.agency.anpa",
        ("anpa", "anpa1312"),
        "ANPA-1312 (SYN/SOH/STX/ETX framing), AP flavour",
    ),
    WireFormat(
        "iptc-7901",
        "streams.parse.agency.iptc7901",
        ("7901", "iptc7901", "dpa"),
        "IPTC 7901, dpa flavour",
    ),
    WireFormat(
        "aap-zczc",
        "streams.parse.agency.zczc",
        ("zczc", "aap", "medianet"),
        "AAP ZCZC layout, AAP MediaNet releases in it",
    ),
    WireFormat(
        "newsml-g2",
        "streams.parse.xml.newsmlg2",
        ("g2", "newsmlg2"),
        "NewsML-G2 newsItem / newsMessage / packageItem",
    ),
    WireFormat(
        "newsml-1.2",
        "streams.parse.xml.newsml12",
        ("newsml", "newsml12"),
        "NewsML 1.2 NewsML / NewsItem",
    ),
    WireFormat("nitf", "streams.parse.xml.nitf", ("nitf3",), "NITF 3.x"),
    WireFormat(
        "atom",
        "streams.parse.xml.atom",
        ("atom-feed", "wenn"),
        "Atom feeds with one story per entry (the story in <content> or the sender's elements)",
    ),
    WireFormat(
        "ninjs",
        "streams.parse.json.ninjs",
        ("ninjs1", "ninjs2", "ninjs3"),
        "IPTC ninjs 1.x, 2.x, 3.x",
    ),
    WireFormat(
        "ap-media",
        "streams.parse.json.apmedia",
        ("ap", "apmedia", "ap-json"),
        "AP Media API JSON items and feeds",
    ),
    WireFormat(
        "yonhap-crawl",
        "streams.parse.yonhap.crawl",
        ("crawl",),
        "Yonhap stories saved by a web crawler (merged paragraphs, front matter)",
    ),
    WireFormat(
        "yonhap-teletype",
        "streams.parse.yonhap.teletype",
        ("teletype",),
        "Yonhap e-mailed teletype layout (hard-wrapped, indented dateline)",
    ),
    WireFormat(
        "yonhap-text", "streams.parse.yonhap.portal", ("yonhap",), "Yonhap portal repost layout"
    ),
    WireFormat(
        "plain-text",
        "streams.parse.plain",
        ("text", "plain"),
        "plain text: headline line, then paragraphs",
    ),
)

BY_HINT: dict[str, WireFormat] = {key: fmt for fmt in FORMATS for key in (fmt.name, *fmt.aliases)}


def detect(head: bytes) -> WireFormat:
    """The first format whose sniff accepts ``head``; plain text accepts anything."""
    text = head[:SNIFF_BYTES].decode("utf-8", errors="replace")
    for fmt in FORMATS:
        if fmt.sniff(head[:SNIFF_BYTES], text):
            return fmt
    return FORMATS[-1]
