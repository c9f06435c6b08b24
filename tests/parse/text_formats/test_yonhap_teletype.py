"""Yonhap e-mailed teletype layout: hard-wrapped lines, indented paragraphs, mail headers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.article import Article, Dateline
from streams.parse import LayoutError
from streams.parse.yonhap.teletype import looks_like_teletype, parse_teletype
from tests.parse.text_formats.wires import (
    TELETYPE_CORRECTION,
    TELETYPE_FIRST,
    TELETYPE_KOREAN,
    TELETYPE_LEAD,
    fixture,
    parse_fixture,
    parse_one,
)
from tests.parse.wires import RECEIVED_AT


@pytest.fixture(scope="module")
def lead() -> Article:
    return parse_fixture(TELETYPE_LEAD)


def test_header_parts_are_read(lead: Article) -> None:
    assert lead.source_format == "yonhap-teletype"
    assert lead.slug == "Port strike"
    assert lead.version_tags == ["LEAD"]
    assert lead.byline == "Han Ji-woo"
    assert lead.editorial_notes == ["ADDS union comments in paras 3-4"]
    assert lead.source_item_id == "AEN20260114003151320"


def test_headline_wrapped_over_two_lines_is_joined(lead: Article) -> None:
    assert lead.headline == (
        "Dockworkers extend strike at Busan port as talks stall over automation"
    )


def test_indented_lines_start_paragraphs_and_wrapped_lines_rejoin(lead: Article) -> None:
    assert lead.dateline == Dateline(cities=["BUSAN"], date_text="Jan. 14", agency="Yonhap")
    assert len(lead.body) == 3
    assert lead.body[0] == (
        "Dockworkers at South Korea's largest port extended their strike into a third day "
        "Wednesday, leaving hundreds of containers stranded on the quays, port officials said."
    )


def test_line_broken_at_a_hyphen_joins_without_a_space(lead: Article) -> None:
    assert "two North Korea-facing berths" in lead.body[1]


def test_reporter_email_and_end_marker_are_not_body(lead: Article) -> None:
    assert lead.body[-1] == (
        '"We are not against new machines, but against losing jobs without a plan," '
        "a union spokesman said."
    )


def test_kst_stamp_line_is_publication_time(lead: Article) -> None:
    assert lead.published_at == datetime(2026, 1, 14, 2, 20, tzinfo=UTC)
    assert lead.published_offset == "+09:00"


def test_versions_of_one_story_share_the_story_id_within_a_seoul_day(lead: Article) -> None:
    correction = parse_fixture(TELETYPE_CORRECTION)
    assert correction.story_id == lead.story_id == "yonhap:20260114:port-strike"
    # The day before is another story id: Yonhap slugs repeat across days.
    assert parse_fixture(TELETYPE_FIRST).story_id == "yonhap:20260113:port-strike"


def test_correction_of_a_named_version_sorts_after_it(lead: Article) -> None:
    correction = parse_fixture(TELETYPE_CORRECTION)
    assert correction.version_tags == ["CORRECTION", "LEAD"]
    assert correction.signals == ["update", "correction"]
    # "CORRECTS ... of (LEAD)": one past the LEAD (version 2) it replaces.
    assert (lead.version, correction.version) == (2, 3)


def test_mail_date_header_is_used_without_a_stamp_line() -> None:
    text = fixture(TELETYPE_LEAD).decode().replace("2026/01/14 11:20 KST\n", "")
    article = parse_one(text)
    assert article.published_at == datetime(2026, 1, 14, 2, 20, tzinfo=UTC)


def test_subject_gives_the_headline_when_the_body_has_no_title_line() -> None:
    text = (
        "From: Yonhap <desk@yna.co.kr>\nSubject: Busan port reopens\n\n"
        "     BUSAN, Jan. 15 (Yonhap) -- Busan port reopened on Thursday\n"
        "after a three-day strike.\n(END)\n"
    )
    article = parse_one(text)
    assert article.headline == "Busan port reopens"
    assert article.body == ["Busan port reopened on Thursday after a three-day strike."]


def test_flush_left_byline_is_not_joined_to_the_dateline() -> None:
    text = (
        "Port strike\nDockworkers walk out\nBy Han Ji-woo\n"
        "     BUSAN, Jan. 13 (Yonhap) -- Dockworkers walked off the job.\n(END)\n"
    )
    article = parse_one(text)
    assert article.byline == "Han Ji-woo"
    assert article.body == ["Dockworkers walked off the job."]


def test_korean_teletype_in_cp949_is_parsed_as_korean() -> None:
    article = parse_fixture(TELETYPE_KOREAN)
    assert article.source_format == "yonhap-teletype"
    assert article.source_encoding == "cp949"
    assert article.language == "ko"
    assert article.headline == "부산항 파업 사흘째…컨테이너 반출 차질"
    assert article.version_tags == ["종합"] and article.version == 2
    assert article.dateline == Dateline(cities=["부산"], date_text=None, agency="연합뉴스")
    assert article.byline == "한지우"
    assert article.source_agency == "Yonhap"
    assert article.body[1].endswith("'똠양꿍' 식당 거리도 한산했다.")


def test_teletype_without_a_headline_is_a_layout_error() -> None:
    text = "     BUSAN, Jan. 15 (Yonhap) -- Busan port reopened.\n(END)\n"
    with pytest.raises(LayoutError, match="no headline"):
        parse_teletype(text, wire_id="w", received_at=RECEIVED_AT)


def test_indented_dateline_is_what_identifies_the_layout() -> None:
    assert looks_like_teletype("Port\n     SEOUL, Jan. 2 (Yonhap) -- Text\nmore\n")
    assert not looks_like_teletype("Port\nSEOUL, Jan. 2 (Yonhap) -- Text\nmore\n")
    assert not looks_like_teletype("Port\n     Text about (Yonhap) -- nothing\n")
