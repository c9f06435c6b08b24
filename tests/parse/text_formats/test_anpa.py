"""ANPA-1312 (AP flavour): framing, header codes, writethrus, advances, end marks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.article import Article, Copyright, Dateline, SourceSubject
from streams.parse import LayoutError
from streams.parse.agency.anpa import parse_header
from streams.parse.errors import FramingError, WireHeaderError
from tests.parse.text_formats.wires import (
    ANPA_1STLD,
    ANPA_2NDLD,
    DC1,
    DC3,
    ETX,
    SOH,
    STX,
    US,
    anpa_message,
    fixture,
    parse_bytes,
    parse_fixture,
    parse_one,
)


@pytest.fixture(scope="module")
def first_lead() -> Article:
    return parse_fixture(ANPA_1STLD)


def test_header_fields_are_read_from_both_header_lines() -> None:
    header = parse_header(
        f"a0456{US}apw\r\nu i{DC3}{DC1} BC-Harbor-Ferry 1stLd-Writethru 10-14 0412"
    )
    assert (header.service, header.number, header.selector) == ("a", "0456", "apw")
    assert (header.priority, header.category, header.tabular) == ("u", "i", False)
    assert (header.keyword, header.version) == ("BC-Harbor-Ferry", "1stLd-Writethru")
    assert (header.filing_date, header.word_count) == ("10-14", 412)


def test_header_without_version_leaves_it_empty() -> None:
    header = parse_header(f"a0101{US}apw\nr a{DC3}{DC1} BC-Budget  10-14 0300")
    assert header.keyword == "BC-Budget"
    assert header.version is None
    assert header.word_count == 300


def test_header_on_one_line_is_read_too() -> None:
    header = parse_header("a0101 apw r a BC-Budget Bjt 10-14 0300")
    assert (header.selector, header.priority, header.category) == ("apw", "r", "a")
    assert header.version == "Bjt"


def test_story_parts_are_separated(first_lead: Article) -> None:
    assert first_lead.source_format == "anpa-1312"
    assert first_lead.headline == "Ferry runs aground off Incheon; all 212 passengers rescued"
    assert first_lead.byline == "LEE SEO-YEON"
    assert first_lead.slug == "BC-Harbor-Ferry"
    assert first_lead.dateline == Dateline(
        cities=["INCHEON, South Korea"], date_text=None, agency="AP"
    )
    assert first_lead.editorial_notes == [
        "UPDATES with rescue details, quotes from coast guard. With AP Photos."
    ]


def test_hard_wrapped_body_lines_join_into_tab_indented_paragraphs(first_lead: Article) -> None:
    assert len(first_lead.body) == 3
    assert first_lead.body[0].startswith("A passenger ferry ran aground on a sandbar off the port")
    assert first_lead.body[0].endswith("within three hours, officials said.")
    assert (
        first_lead.body[2] == '"Nobody was seriously hurt," a coast guard spokesman told reporters.'
    )


def test_end_marks_stamp_and_rights_line_are_not_body(first_lead: Article) -> None:
    text = " ".join(first_lead.body)
    assert "(END)" not in text and "AP-WF" not in text and "Copyright" not in text
    assert first_lead.copyright == Copyright(
        holder="The Associated Press",
        notice="All rights reserved. This material may not be published.",
    )


def test_transmission_stamp_is_publication_time_in_utc(first_lead: Article) -> None:
    assert first_lead.published_at == datetime(2025, 10, 14, 7, 12, tzinfo=UTC)
    assert first_lead.published_offset == "-04:00"


def test_latin1_byte_in_the_body_decodes(first_lead: Article) -> None:
    assert "an island café route" in first_lead.body[1]
    assert first_lead.source_encoding == "iso-8859-1"


def test_category_becomes_a_source_subject_and_item_id_the_story_number(
    first_lead: Article,
) -> None:
    assert first_lead.source_subjects == [
        SourceSubject(code="i", scheme="anpa-category", name="international news")
    ]
    assert first_lead.source_item_id == "a0456"


def test_writethrus_share_the_story_id_across_cycle_prefixes(first_lead: Article) -> None:
    second = parse_fixture(ANPA_2NDLD)
    assert second.slug == "PM-Harbor-Ferry"
    assert second.story_id == first_lead.story_id == "ap:20251014:harbor-ferry"
    assert (first_lead.version, second.version) == (2, 3)
    assert first_lead.article_id != second.article_id


@pytest.mark.parametrize(
    ("priority", "urgency"),
    [("f", 1), ("b", 2), ("u", 3), ("r", 5), ("a", 6), ("s", 7), ("d", 8), ("x", 5), ("F", 1)],
)
def test_priority_code_maps_to_urgency_keeping_the_letter(priority: str, urgency: int) -> None:
    article = parse_one(anpa_message(priority=priority))
    assert article.urgency is not None
    assert (article.urgency.value, article.urgency.source_value) == (urgency, priority)


@pytest.mark.parametrize(
    ("version", "number", "signals", "status"),
    [
        ("", 1, [], "usable"),
        ("Bulletin", 0, [], "usable"),
        ("APNewsAlert", 0, [], "usable"),
        ("Bjt", 1, [], "usable"),
        ("1stLd", 2, ["update"], "usable"),
        ("1stLd-Writethru", 2, ["update", "writethru"], "usable"),
        ("3rdLd-Writethru", 4, ["update", "writethru"], "usable"),
        ("7thWritethru", 8, ["writethru"], "usable"),
        ("2ndLd-Writethru-Correction", 3, ["update", "writethru", "correction"], "usable"),
        ("Correction", 1, ["correction"], "usable"),
        ("1stAdd", 1, [], "usable"),
        ("Kill", 1, ["kill"], "canceled"),
    ],
)
def test_version_field_maps_to_version_signals_and_status(
    version: str, number: int, signals: list[str], status: str
) -> None:
    article = parse_one(anpa_message(version=version))
    assert article.version == number
    assert article.signals == signals
    assert article.pub_status == status
    assert article.version_tags == ([version] if version else [])


def test_version_is_read_from_the_slug_echo_when_the_header_has_none() -> None:
    wire = anpa_message(
        title_lines=("^BC-Test-Story, 2nd Ld-Writethru,0120<", "^Test headline<"),
    )
    article = parse_one(wire)
    assert (article.version, article.headline) == (3, "Test headline")


def test_advance_with_release_note_sets_the_embargo_time() -> None:
    wire = anpa_message(
        version="Adv19",
        title_lines=(
            "^Eds: For release at 12:01 a.m. EDT Sunday, Oct. 19, 2025.<",
            "^Harbor towns brace for winter<",
        ),
    )
    article = parse_one(wire)
    assert article.embargoed_until == datetime(2025, 10, 19, 4, 1, tzinfo=UTC)
    assert article.pub_status == "usable"
    assert "embargo" in article.signals
    assert article.editorial_notes == ["For release at 12:01 a.m. EDT Sunday, Oct. 19, 2025."]


def test_advance_with_only_a_day_is_held_until_that_day_in_us_eastern_time() -> None:
    article = parse_one(anpa_message(version="Adv19"))
    # Oct. 19, 2025 is in US daylight time: midnight EDT is 04:00 UTC.
    assert article.embargoed_until == datetime(2025, 10, 19, 4, 0, tzinfo=UTC)


def test_hold_for_release_without_a_time_is_withheld() -> None:
    wire = anpa_message(title_lines=("^HOLD FOR RELEASE<", "^Test headline<"))
    article = parse_one(wire)
    assert article.embargoed_until is None
    assert article.pub_status == "withheld"
    assert "embargo" in article.signals


def test_several_messages_in_one_wire_give_several_articles() -> None:
    wire = anpa_message(number="0101", keyword="BC-One") + anpa_message(
        number="0102", keyword="BC-Two", priority="b"
    )
    articles = parse_bytes(wire.encode("ascii"))
    assert [a.slug for a in articles] == ["BC-One", "BC-Two"]
    assert [a.source_item_id for a in articles] == ["a0101", "a0102"]
    assert len({a.article_id for a in articles}) == 2


def test_stray_control_characters_in_the_text_are_dropped() -> None:
    body = "\tSEOUL, South Korea (AP) _ A test\x08 story\x10 opens here.\x7f\n\t(END)\n"
    article = parse_one(anpa_message(body=body))
    assert article.body == ["A test story opens here."]


def test_subhead_marked_with_a_caret_in_the_body_is_its_own_paragraph() -> None:
    body = "\tSEOUL, South Korea (AP) _ First paragraph.\n^Rescue<\n\tSecond paragraph.\n"
    article = parse_one(anpa_message(body=body))
    assert article.body == ["First paragraph.", "Rescue", "Second paragraph."]


def test_message_without_stx_is_a_framing_error() -> None:
    wire = f"\x16\x16{SOH}a0101{US}apw\r\nr i{DC3}{DC1} BC-Test 10-14 0100\r\nHeadline\r\n"
    with pytest.raises(FramingError, match="no STX") as info:
        parse_bytes(wire.encode("ascii"), hint="anpa")
    assert info.value.code == "W130"


def test_message_cut_off_before_etx_is_a_framing_error() -> None:
    wire = anpa_message().split(ETX)[0]
    with pytest.raises(FramingError, match="no ETX"):
        parse_bytes(wire.encode("ascii"))


def test_unreadable_header_is_a_header_error() -> None:
    wire = f"\x16\x16{SOH}not a header at all\r\n{STX}Headline\r\n\tBody.\r\n{ETX}"
    with pytest.raises(WireHeaderError, match="ANPA-1312 header is unreadable") as info:
        parse_bytes(wire.encode("ascii"))
    assert info.value.code == "W131"


def test_anpa_hint_on_unframed_text_says_there_is_no_soh() -> None:
    with pytest.raises(FramingError, match="no SOH"):
        parse_bytes(b"Headline\nBody text.\n", hint="anpa")


def test_message_without_body_is_a_layout_error() -> None:
    with pytest.raises(LayoutError, match="no body"):
        parse_one(anpa_message(body="\t(END)\n"))


def test_framing_errors_are_layout_errors_for_callers_catching_those() -> None:
    assert issubclass(FramingError, LayoutError)
    assert issubclass(WireHeaderError, LayoutError)
    assert fixture(ANPA_1STLD).startswith(b"\x16\x16\x01")


def test_note_about_a_news_release_is_not_an_embargo() -> None:
    wire = anpa_message(
        title_lines=("^Eds: UPDATES with police news release.<", "^Test headline<"),
    )
    article = parse_one(wire)
    assert article.embargoed_until is None
    assert (article.pub_status, article.signals) == ("usable", [])


def test_indented_title_line_before_the_body_is_the_headline() -> None:
    wire = anpa_message(title_lines=("     Harbor reopens after storm",))
    article = parse_one(wire)
    assert article.headline == "Harbor reopens after storm"
    assert article.body == ["A test story opens here."]


def test_tabular_format_keeps_every_row_as_a_paragraph() -> None:
    body = "\tSEOUL, South Korea (AP) _ Closing prices:\nSamsung 61,200\nHyundai 214,000\n"
    wire = anpa_message(body=body).replace(f"{DC3}{DC1}", "\x13\x12")
    article = parse_one(wire)
    assert article.body == ["Closing prices:", "Samsung 61,200", "Hyundai 214,000"]
