"""Every text article records the encoding it was read in, and none comes out as mojibake."""

from __future__ import annotations

import pytest

from streams.parse import UndecodableWireError
from streams.parse.text import decode_wire_as, looks_like_din_66003, sniff_text
from tests.parse.text_formats.wires import (
    YONHAP_KOREAN,
    anpa_message,
    fixture,
    iptc_message,
    parse_fixture,
    parse_one,
)
from tests.parse.wires import LEAD, PLAIN, fixture_bytes

KOREAN = "항만 노조 파업 사흘째\n부산항 노동자들이 파업을 이어갔다고 당국이 밝혔다.\n"
GERMAN = "Straßenbahn in München fährt wieder\nDie Bahn fährt über die Brücke.\n"


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"plain seven-bit text\n", "plain seven-bit text\n", "ascii"),
        ("Zürich café\n".encode(), "Zürich café\n", "utf-8"),
        (b"\xef\xbb\xbfwith a BOM\n", "with a BOM\n", "utf-8-sig"),
        (KOREAN.encode("euc_kr"), KOREAN, "euc-kr"),
        (("똠양꿍 " + KOREAN).encode("cp949"), "똠양꿍 " + KOREAN, "cp949"),
        (GERMAN.encode("latin-1"), GERMAN, "iso-8859-1"),
        (
            "Minister\u2019s \u201cplan\u201d\n".encode("cp1252"),
            "Minister\u2019s \u201cplan\u201d\n",
            "cp1252",
        ),
    ],
)
def test_decoding_names_the_encoding_it_used(data: bytes, text: str, encoding: str) -> None:
    assert decode_wire_as(data) == (text, encoding)


def test_cp1252_undefined_byte_falls_back_to_latin1_not_mojibake() -> None:
    decoded = decode_wire_as("Café \x81 menu\n".encode("latin-1"))
    assert decoded.encoding == "iso-8859-1"
    assert decoded.text.startswith("Café")


def test_framed_formats_may_carry_more_control_bytes_than_plain_text() -> None:
    data = b"\x01\x16\x16\x02\x03\x04 short\n"
    with pytest.raises(UndecodableWireError, match="binary"):
        decode_wire_as(data)
    assert decode_wire_as(data, max_control_share=0.5).encoding == "ascii"


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (anpa_message().encode("ascii"), "ascii"),
        (anpa_message(body="\tSEOUL (AP) _ Caf\u00e9 opens.\n").encode("latin-1"), "iso-8859-1"),
        (iptc_message().encode("utf-8"), "utf-8"),
        (iptc_message().encode("cp1252"), "iso-8859-1"),
        (
            iptc_message(text="Hamburg (dpa) - \u201eJa\u201c, sagte er.\n").encode("cp1252"),
            "cp1252",
        ),
        (fixture_bytes(LEAD), "utf-8"),
        (fixture_bytes(PLAIN), "utf-8"),
        (GERMAN.encode("latin-1"), "iso-8859-1"),
    ],
)
def test_every_text_format_records_the_source_encoding(content: bytes, encoding: str) -> None:
    article = parse_one(content)
    assert article.source_encoding == encoding
    assert "\ufffd" not in article.headline + "".join(article.body)


def test_korean_yonhap_wire_in_euc_kr_is_parsed_as_korean() -> None:
    article = parse_fixture(YONHAP_KOREAN)
    assert article.source_format == "yonhap-text"
    assert (article.source_encoding, article.language) == ("euc-kr", "ko")
    assert article.headline == "부산항 파업 사흘째…컨테이너 반출 차질"
    assert article.byline_native == "한지우"
    assert article.body[0].startswith("부산항 부두 노동자들의 파업이")


def test_sniffers_see_korean_markers_of_a_cp949_wire() -> None:
    head = fixture(YONHAP_KOREAN)
    lenient = head.decode("utf-8", errors="replace")
    assert "연합뉴스" not in lenient
    assert "(부산=연합뉴스)" in sniff_text(head, lenient)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("M}nchen und Stra~e", True),
        ("Gr|~e", True),
        ("[Ende] und {x}", False),
        ("one } brace", False),
        ("Straße", False),
    ],
)
def test_german_seven_bit_is_only_assumed_inside_words(text: str, expected: bool) -> None:
    assert looks_like_din_66003(text) is expected
