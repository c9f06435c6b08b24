"""Fixture wires and builders for the text wire formats (ANPA-1312, IPTC 7901, Yonhap layouts).

Every story here is invented for the tests; the layouts follow the real formats.
"""

from __future__ import annotations

from pathlib import Path

from schemas.article import Article
from streams.parse import parse_items
from tests.parse.wires import raw_wire

FIXTURES = Path(__file__).parent / "fixtures"

ANPA_1STLD = "anpa_ap_ferry_1stld.bin"
ANPA_2NDLD = "anpa_ap_ferry_2ndld.bin"
DPA_FIRST = "dpa_bahnstreik_cp1252.bin"
DPA_UPDATE = "dpa_bahnstreik_update_utf8.bin"
DPA_7BIT = "dpa_messe_din66003.bin"
TELETYPE_FIRST = "teletype_port_strike.txt"
TELETYPE_LEAD = "teletype_port_strike_lead.txt"
TELETYPE_CORRECTION = "teletype_port_strike_correction.txt"
TELETYPE_KOREAN = "teletype_port_strike_ko_cp949.bin"
YONHAP_KOREAN = "yonhap_port_strike_ko_euckr.bin"
CRAWL_FIRST = "crawl_bridge_closure.md"
CRAWL_LEAD = "crawl_bridge_closure_lead.md"
CRAWL_TABLE = "crawl_air_quality_table.md"
CRAWL_KOREAN = "crawl_port_strike_ko.md"

SYN, SOH, STX, ETX, EOT, US, DC1, DC3 = (
    "\x16",
    "\x01",
    "\x02",
    "\x03",
    "\x04",
    "\x1f",
    "\x11",
    "\x13",
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse_bytes(content: bytes | str, *, hint: str | None = None) -> list[Article]:
    return parse_items(raw_wire(content, hint=hint))


def parse_one(content: bytes | str, *, hint: str | None = None) -> Article:
    articles = parse_bytes(content, hint=hint)
    assert len(articles) == 1
    return articles[0]


def parse_fixture(name: str, *, hint: str | None = None) -> Article:
    return parse_one(fixture(name), hint=hint)


def anpa_message(
    *,
    priority: str = "r",
    category: str = "i",
    keyword: str = "BC-Test-Story",
    version: str = "",
    filing: str = "10-14",
    number: str = "0101",
    title_lines: tuple[str, ...] = ("^Test headline about a harbor<",),
    body: str = "\tSEOUL, South Korea (AP) _ A test story opens here.\n\t(END)\n",
    trailer: str = "AP-WF-10-14-25 0900EDT<\n",
) -> str:
    """One ANPA-1312 message (AP flavour) as text with its control characters."""
    fields = " ".join(part for part in (keyword, version, filing, "0120") if part)
    titles = "".join(f"{line}\n" for line in title_lines)
    return (
        f"{SYN}{SYN}{SOH}a{number}{US}apw\r\n"
        f"{priority} {category}{DC3}{DC1} {fields}\r\n"
        f"{STX}{titles}{body}{trailer}{ETX}\r\n{EOT}"
    )


def iptc_message(
    *,
    priority: str = "4",
    category: str = "pl",
    optional: str = "dpa",
    keywords: str = "Test/Meldung/",
    heading: str = "Testmeldung über den Hafen =",
    text: str = "Hamburg (dpa) - Eine Testmeldung beginnt hier und endet bald.\n(Ende)\n",
    trailer: str = "141200 Okt 25\n",
) -> str:
    """One IPTC 7901 message (dpa flavour) as text with its control characters."""
    header = f"bdt0101 {priority} {category} 120" + (f" {optional}" if optional else "")
    return f"{SOH}{header}\r\n{keywords}\r\n{STX}{heading}\r\n{text}{ETX}\r\n{trailer}{EOT}"
