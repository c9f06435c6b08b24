"""IPTC 7901 (dpa flavour): header, keyword line, heading, end marks, versions, encodings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.article import Article, Dateline, SourceSubject
from streams.parse import LayoutError
from streams.parse.agency.iptc7901 import parse_header
from streams.parse.errors import FramingError, WireHeaderError
from tests.parse.text_formats.wires import (
    DPA_7BIT,
    DPA_FIRST,
    DPA_UPDATE,
    ETX,
    SOH,
    STX,
    iptc_message,
    parse_bytes,
    parse_fixture,
    parse_one,
)


@pytest.fixture(scope="module")
def first() -> Article:
    return parse_fixture(DPA_FIRST)


def test_header_line_and_keyword_lines_are_read() -> None:
    header, keywords = parse_header(
        "bdt0298 3 pl 402 dpa DPA-0298-BAHN#2\r\nVerkehr/Bahn/Streik/\r\n"
    )
    assert (header.service, header.number, header.priority) == ("bdt", "0298", "3")
    assert (header.category, header.word_count) == ("pl", 402)
    assert header.optional == "dpa DPA-0298-BAHN#2"
    assert keywords == ["Verkehr/Bahn/Streik"]


def test_dpa_story_parts_are_separated(first: Article) -> None:
    assert first.source_format == "iptc-7901"
    assert first.headline == "Lokführer legen Fernverkehr für zwei Tage lahm"
    assert first.slug == "Verkehr/Bahn/Streik"
    assert first.dateline == Dateline(cities=["Frankfurt/Main"], date_text=None, agency="dpa")
    assert first.source_agency == "dpa"
    assert first.language == "de"


def test_cp1252_umlauts_and_low_quotes_decode(first: Article) -> None:
    assert first.source_encoding == "cp1252"
    assert "Fahrgäste müssen sich auf „massive Ausfälle“ einstellen" in first.body[0]


def test_indented_line_starts_a_paragraph_and_wrapped_lines_join(first: Article) -> None:
    assert len(first.body) == 2
    assert first.body[1].startswith("Die Gewerkschaft fordert eine kürzere Wochenarbeitszeit.")
    assert first.body[1].endswith("ergebnislos abgebrochen worden.")


def test_ende_and_desk_codes_are_not_body_or_notes(first: Article) -> None:
    text = " ".join(first.body)
    assert "(Ende)" not in text and "dpa rk" not in text
    assert first.editorial_notes == []


def test_trailer_time_is_central_european_and_stored_in_utc(first: Article) -> None:
    assert first.published_at == datetime(2025, 3, 12, 8, 14, tzinfo=UTC)
    assert first.published_offset == "+01:00"


def test_category_and_service_number_are_kept(first: Article) -> None:
    assert first.source_subjects == [
        SourceSubject(code="pl", scheme="iptc7901-category", name="Politik")
    ]
    assert first.source_item_id == "bdt0231"


def test_roundup_shares_the_story_id_and_counts_as_a_later_version(first: Article) -> None:
    update = parse_fixture(DPA_UPDATE)
    assert update.story_id == first.story_id == "dpa:20250312:verkehr-bahn-streik"
    assert update.headline == first.headline
    assert (first.version, update.version) == (1, 2)
    assert update.version_tags == ["1. Zusammenfassung"]
    assert update.signals == ["update"]


def test_item_id_with_version_number_in_the_optional_field() -> None:
    update = parse_fixture(DPA_UPDATE)
    assert update.source_item_id == "DPA-0298-BAHN"
    assert update.source_encoding == "utf-8"


def test_not_for_publication_block_goes_to_editorial_notes() -> None:
    update = parse_fixture(DPA_UPDATE)
    assert "Rückfragen an die Redaktion unter der bekannten Nummer." in update.editorial_notes
    assert all("Rückfragen" not in p for p in update.body)


def test_german_seven_bit_text_is_mapped_to_umlauts() -> None:
    article = parse_fixture(DPA_7BIT)
    assert article.source_encoding == "din-66003"
    assert article.headline == "Münchner Messe meldet Besucherrekord"
    assert article.dateline is not None and article.dateline.cities == ["München"]
    assert "Größere Hallen sollen im nächsten Jahr folgen." in article.body[0]


@pytest.mark.parametrize(
    ("priority", "urgency"),
    [("1", 1), ("2", 2), ("3", 3), ("4", 5), ("5", 6), ("6", 8), ("9", 5)],
)
def test_priority_digit_maps_to_urgency_keeping_the_digit(priority: str, urgency: int) -> None:
    article = parse_one(iptc_message(priority=priority))
    assert article.urgency is not None
    assert (article.urgency.value, article.urgency.source_value) == (urgency, priority)


@pytest.mark.parametrize(
    ("heading", "headline", "version", "signals"),
    [
        ("Hafen öffnet wieder =", "Hafen öffnet wieder", 1, []),
        ("Hafen öffnet wieder (Zusammenfassung) =", "Hafen öffnet wieder", 2, ["update"]),
        ("Hafen öffnet wieder (3. Zusammenfassung) =", "Hafen öffnet wieder", 4, ["update"]),
        ("Eil: Hafen öffnet wieder =", "Hafen öffnet wieder", 0, []),
        ("Hafen öffnet wieder (Berichtigung) =", "Hafen öffnet wieder", 1, ["correction"]),
    ],
)
def test_heading_labels_map_to_versions_and_leave_the_headline(
    heading: str, headline: str, version: int, signals: list[str]
) -> None:
    article = parse_one(iptc_message(heading=heading))
    assert (article.headline, article.version, article.signals) == (headline, version, signals)


def test_heading_without_equals_sign_is_the_first_line() -> None:
    article = parse_one(iptc_message(heading="Hafen öffnet wieder"))
    assert article.headline == "Hafen öffnet wieder"
    assert article.body == ["Eine Testmeldung beginnt hier und endet bald."]


def test_sperrfrist_line_sets_an_embargo_in_central_european_time() -> None:
    text = (
        "Sperrfrist: 15. Oktober 2025, 10.00 Uhr\n"
        "Hamburg (dpa) - Eine Testmeldung beginnt hier.\n(Ende)\n"
    )
    article = parse_one(iptc_message(text=text))
    # October 15 is still summer time (CEST, UTC+2).
    assert article.embargoed_until == datetime(2025, 10, 15, 8, 0, tzinfo=UTC)
    assert article.editorial_notes == ["Sperrfrist: 15. Oktober 2025, 10.00 Uhr"]
    assert "embargo" in article.signals
    assert article.body == ["Eine Testmeldung beginnt hier."]


def test_dpa_afx_dateline_and_slash_desk_codes() -> None:
    text = "FRANKFURT (dpa-AFX) - Der Dax stieg am Mittag leicht an.\n/ck/he\n"
    article = parse_one(iptc_message(optional="", text=text))
    assert article.source_agency == "dpa-AFX"
    assert article.body == ["Der Dax stieg am Mittag leicht an."]
    assert article.language == "de"


def test_several_messages_in_one_wire_give_several_articles() -> None:
    wire = iptc_message(keywords="Eins/") + iptc_message(keywords="Zwei/")
    articles = parse_bytes(wire.encode("utf-8"))
    assert [a.slug for a in articles] == ["Eins", "Zwei"]


def test_unreadable_header_is_a_header_error() -> None:
    wire = f"{SOH}dpa0101 four pl 120\r\n{STX}Heading =\r\nText.\r\n{ETX}"
    with pytest.raises(WireHeaderError, match="IPTC 7901 header is unreadable"):
        parse_bytes(wire.encode("ascii"), hint="7901")


def test_message_cut_off_before_etx_is_a_framing_error() -> None:
    wire = iptc_message().split(ETX)[0]
    with pytest.raises(FramingError, match="no ETX") as info:
        parse_bytes(wire.encode("utf-8"))
    assert info.value.code == "W130"


def test_message_with_heading_but_no_text_is_a_layout_error() -> None:
    with pytest.raises(LayoutError, match="no text paragraphs"):
        parse_one(iptc_message(text="(Ende)\n"))


def test_wrapped_line_starting_with_dpa_is_body_not_desk_codes() -> None:
    text = (
        "Hamburg (dpa) - Der Hafen meldete das der\n"
        "dpa mit dem Hinweis auf neue Zahlen.\n"
        "dpa ab cd\n"
    )
    article = parse_one(iptc_message(text=text))
    assert article.body == ["Der Hafen meldete das der dpa mit dem Hinweis auf neue Zahlen."]
