"""The Yonhap portal-repost layout: every field, version tags, optional parts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from schemas.article import Article, Copyright
from streams.parse import LayoutError, parse_wire
from streams.parse.credits import parse_copyright
from streams.parse.yonhap.base import split_leading_tags, split_version_tags, version_from_tags
from streams.parse.yonhap.portal import looks_like_yonhap, parse_yonhap
from tests.parse.wires import (
    LEAD,
    PLAIN,
    RECEIVED_AT,
    ROUNDUP,
    SECOND_LD,
    URGENT,
    fixture_bytes,
    fixture_text,
    raw_wire,
    without_lines,
)


def parse_text(text: str) -> Article:
    return parse_yonhap(text, wire_id="sha256:test", received_at=RECEIVED_AT)


@pytest.fixture(scope="module")
def lead() -> Article:
    return parse_wire(raw_wire(fixture_bytes(LEAD)))


# --------------------------------------------------------------------- layout fields


def test_native_name_on_the_first_line_becomes_byline_native(lead: Article) -> None:
    assert lead.byline_native == "김하늘"


def test_kst_timestamp_is_published_at_in_utc_with_the_kst_offset_kept(lead: Article) -> None:
    # 08:30 in Seoul on March 4 is 23:30 UTC on March 3.
    assert lead.published_at == datetime(2025, 3, 3, 23, 30, tzinfo=UTC)
    assert lead.published_at.utcoffset() == timedelta(0)
    assert lead.published_offset == "+09:00"


def test_afternoon_kst_timestamp_stays_on_the_same_utc_day() -> None:
    article = parse_wire(raw_wire(fixture_bytes(SECOND_LD)))
    assert article.published_at == datetime(2025, 3, 4, 5, 5, 12, tzinfo=UTC)


def test_slug_line_is_read_without_its_version_tag(lead: Article) -> None:
    assert lead.slug == "S. Korea-economy"


def test_headline_is_read_without_its_version_tag(lead: Article) -> None:
    assert lead.headline == "S. Korea's factory output rebounds in January on chip demand"


def test_attn_note_is_kept_out_of_the_body(lead: Article) -> None:
    assert lead.editorial_notes == ["ADDS comments from finance ministry in paras 4-5"]
    assert not any("ATTN" in p or "ADDS comments" in p for p in lead.body)


def test_byline_drops_the_by_prefix(lead: Article) -> None:
    assert lead.byline == "Kim Ha-neul"


def test_dateline_is_parsed_and_removed_from_the_first_paragraph(lead: Article) -> None:
    assert lead.dateline is not None
    assert lead.dateline.cities == ["SEOUL"]
    assert lead.dateline.date_text == "March 4"
    assert lead.dateline.agency == "Yonhap"
    assert lead.body[0].startswith("South Korea's industrial output rose 1.8 percent")


def test_body_has_one_paragraph_per_line(lead: Article) -> None:
    assert len(lead.body) == 5
    assert lead.body[-1].startswith('"The recovery is still uneven')


def test_reporter_email_end_marker_and_rights_line_are_not_body(lead: Article) -> None:
    for paragraph in lead.body:
        assert "(END)" not in paragraph
        assert "@" not in paragraph
        assert "ⓒ" not in paragraph


def test_bracketed_rights_line_gives_holder_and_notice(lead: Article) -> None:
    assert lead.copyright == Copyright(holder="Wirestream Test Wire", notice="무단전재-재배포 금지")


def test_source_fields_name_the_yonhap_parser_and_agency(lead: Article) -> None:
    assert lead.source_format == "yonhap-text"
    assert lead.source_agency == "Yonhap"
    assert lead.language == "en"


def test_untagged_urgency_is_normal_with_no_source_value(lead: Article) -> None:
    assert lead.urgency is not None
    assert (lead.urgency.value, lead.urgency.source_value) == (5, None)


def test_received_at_is_passed_through_in_utc(lead: Article) -> None:
    assert lead.received_at == RECEIVED_AT


def test_email_run_into_the_end_marker_is_dropped() -> None:
    article = parse_wire(raw_wire(fixture_bytes(SECOND_LD)))
    assert (
        article.body[-1]
        == "Construction completed, which gauges work already done, also dropped 1.1 percent."
    )
    assert article.copyright == Copyright(
        holder="Wirestream Test Wire", notice="All rights reserved."
    )


def test_text_after_the_end_marker_is_not_body() -> None:
    article = parse_wire(raw_wire(fixture_bytes(ROUNDUP)))
    assert not any("Related articles" in p or "budget hearings" in p for p in article.body)
    assert article.copyright is not None
    assert article.copyright.holder == "Wirestream Test Wire"


def test_wrapped_paragraphs_separated_by_blank_lines_are_joined() -> None:
    article = parse_wire(raw_wire(fixture_bytes(ROUNDUP)))
    assert article.body == [
        "The National Assembly passed next year's budget bill late Thursday after rival "
        "parties struck a last-minute deal on grants for regional governments.",
        "The 2026 budget totals 702 trillion won, slightly below the government's original "
        "proposal, with cuts in reserve funds offset by more spending on child care.",
        "Lawmakers voted 201-58 with 12 abstentions, wrapping up weeks of negotiations.",
    ]


def test_attn_note_inside_the_body_moves_to_editorial_notes() -> None:
    article = parse_wire(raw_wire(fixture_bytes(ROUNDUP)))
    assert article.editorial_notes == ["RECASTS headline, lead; ADDS details throughout"]


def test_byline_with_two_reporters_is_kept_whole() -> None:
    article = parse_wire(raw_wire(fixture_bytes(ROUNDUP)))
    assert article.byline == "Lee Seo-jun and Choi Min-ji"


def test_crlf_line_endings_parse_like_lf(lead: Article) -> None:
    crlf = fixture_text(LEAD).replace("\n", "\r\n").encode("utf-8")
    article = parse_wire(raw_wire(crlf))
    assert article.model_dump(exclude={"wire_id", "article_id"}) == lead.model_dump(
        exclude={"wire_id", "article_id"}
    )


# ------------------------------------------------------------------------ version tags


@pytest.mark.parametrize(
    ("tags", "version", "urgency", "source_value"),
    [
        ([], 1, 5, None),
        (["URGENT"], 0, 1, "URGENT"),
        (["LEAD"], 2, 5, None),
        (["2nd LD"], 3, 5, None),
        (["3rd LD"], 4, 5, None),
        (["4th LD"], 5, 5, None),
        (["21st LD"], 22, 5, None),
        (["ROUNDUP"], 1, 5, None),
        (["News Focus"], 1, 5, None),
        (["CORRECTION"], 1, 5, None),
        (["2nd LD", "ROUNDUP"], 3, 5, None),
        (["ROUNDUP", "LEAD"], 2, 5, None),
        (["URGENT", "LEAD"], 2, 1, "URGENT"),
    ],
)
def test_version_tags_map_to_version_and_urgency(
    tags: list[str], version: int, urgency: int, source_value: str | None
) -> None:
    got_version, got_urgency = version_from_tags(tags)
    assert got_version == version
    assert (got_urgency.value, got_urgency.source_value) == (urgency, source_value)


def test_urgent_wire_is_version_zero_with_flash_urgency() -> None:
    article = parse_wire(raw_wire(fixture_bytes(URGENT)))
    assert article.version == 0
    assert article.version_tags == ["URGENT"]
    assert article.urgency is not None
    assert (article.urgency.value, article.urgency.source_value) == (1, "URGENT")


@pytest.mark.parametrize(
    ("name", "version", "tags"),
    [(LEAD, 2, ["LEAD"]), (SECOND_LD, 3, ["2nd LD"]), (ROUNDUP, 4, ["3rd LD", "ROUNDUP"])],
)
def test_fixture_versions_follow_their_tags(name: str, version: int, tags: list[str]) -> None:
    article = parse_wire(raw_wire(fixture_bytes(name)))
    assert (article.version, article.version_tags) == (version, tags)


def test_roundup_alone_keeps_version_one() -> None:
    text = fixture_text(LEAD).replace("(LEAD)", "(ROUNDUP)")
    article = parse_text(text)
    assert (article.version, article.version_tags) == (1, ["ROUNDUP"])


def test_tags_repeated_on_slug_and_headline_are_listed_once(lead: Article) -> None:
    assert lead.version_tags == ["LEAD"]


def test_leading_tags_are_split_with_or_without_spaces_between_them() -> None:
    assert split_leading_tags("(2nd LD) (ROUNDUP) Title here") == (
        ["2nd LD", "ROUNDUP"],
        "Title here",
    )
    assert split_leading_tags("(3rd LD)(News Focus)Title") == (["3rd LD", "News Focus"], "Title")


def test_attn_is_a_note_not_a_tag() -> None:
    assert split_leading_tags("(ATTN: ADDS photo) Title") == ([], "(ATTN: ADDS photo) Title")


def test_tag_only_line_above_the_headline_counts_as_tag() -> None:
    text = "(URGENT)\nN. Korea fires missile toward East Sea: JCS\n" + (
        "SEOUL, Jan. 2 (Yonhap) -- North Korea fired a missile, the military said.\n"
    )
    article = parse_text(text)
    assert article.headline == "N. Korea fires missile toward East Sea: JCS"
    assert article.version == 0


# ---------------------------------------------------------------------- optional parts


@pytest.mark.parametrize(
    ("prefixes", "missing_field"),
    [
        (("김하늘",), "byline_native"),
        (("| ",), "published_at"),
        (("(ATTN",), "editorial_notes"),
        (("By ",), "byline"),
        (("[ⓒ",), "copyright"),
    ],
)
def test_each_optional_header_part_may_be_missing(
    lead: Article, prefixes: tuple[str, ...], missing_field: str
) -> None:
    article = parse_text(without_lines(fixture_text(LEAD), *prefixes))
    assert getattr(article, missing_field) in (None, [])
    assert article.headline == lead.headline
    assert article.body == lead.body
    assert article.slug == lead.slug


def test_wire_without_any_optional_part_still_parses() -> None:
    text = without_lines(
        fixture_text(LEAD), "김하늘", "| ", "(ATTN", "By ", "haneul", "(END)", "[ⓒ"
    )
    article = parse_text(text)
    assert article.headline == "S. Korea's factory output rebounds in January on chip demand"
    assert article.slug == "S. Korea-economy"
    assert len(article.body) == 5
    assert article.byline is None
    assert article.byline_native is None
    assert article.published_at is None
    assert article.copyright is None


def test_without_timestamp_published_fields_are_none() -> None:
    article = parse_text(without_lines(fixture_text(LEAD), "| "))
    assert article.published_at is None
    assert article.published_offset is None


def test_without_dateline_agency_defaults_to_yonhap() -> None:
    text = fixture_text(LEAD).replace("SEOUL, March 4 (Yonhap) -- ", "")
    article = parse_text(text)
    assert article.dateline is None
    assert article.source_agency == "Yonhap"
    assert article.body[0].startswith("South Korea's industrial output")


def test_without_slug_line_the_only_title_is_the_headline() -> None:
    article = parse_text(without_lines(fixture_text(LEAD), "(LEAD) S. Korea-economy"))
    assert article.slug is None
    assert article.headline == "S. Korea's factory output rebounds in January on chip demand"


def test_without_byline_or_dateline_a_long_sentence_starts_the_body() -> None:
    text = (
        "(LEAD) S. Korea-exports\n"
        "(LEAD) Exports rise for 5th month\n"
        "Exports rose 4.1 percent in February from a year earlier on solid chip sales.\n"
        "Imports fell 2 percent.\n"
    )
    article = parse_text(text)
    assert article.slug == "S. Korea-exports"
    assert article.headline == "Exports rise for 5th month"
    assert article.body == [
        "Exports rose 4.1 percent in February from a year earlier on solid chip sales.",
        "Imports fell 2 percent.",
    ]


def test_impossible_timestamp_is_skipped_not_taken_as_headline() -> None:
    text = fixture_text(LEAD).replace("| 2025-03-04 08:30:00", "| 2025-13-45 08:30:00")
    article = parse_text(text)
    assert article.published_at is None
    assert article.slug == "S. Korea-economy"


def test_enumerated_c_paragraph_is_body_not_a_rights_line() -> None:
    text = fixture_text(LEAD).replace(
        "Retail sales, a gauge", "(c) retail sales edged up.\nRetail sales, a gauge"
    )
    article = parse_text(text)
    assert "(c) retail sales edged up." in article.body
    assert article.copyright is not None
    assert article.copyright.holder == "Wirestream Test Wire"


# ---------------------------------------------------------------------- layout errors


def test_wire_with_no_headline_raises_layout_error() -> None:
    text = "SEOUL, March 4 (Yonhap) -- Exports rose 4.1 percent in February.\n(END)\n"
    with pytest.raises(LayoutError, match="no headline"):
        parse_text(text)


def test_wire_with_headline_but_no_body_raises_layout_error() -> None:
    text = (
        "김하늘\n| 2025-03-04 08:30:00\n(LEAD) Exports rise for 5th month\nBy Kim Ha-neul\n(END)\n"
    )
    with pytest.raises(LayoutError, match="no body") as info:
        parse_text(text)
    assert info.value.code == "W104"
    assert "Exports rise for 5th month" in str(info.value)


def test_wire_whose_body_is_only_a_dateline_raises_layout_error() -> None:
    text = "(LEAD) Exports rise\nSEOUL, March 4 (Yonhap) --\n(END)\n"
    with pytest.raises(LayoutError):
        parse_text(text)


# --------------------------------------------------------------------- rights line


@pytest.mark.parametrize(
    ("line", "holder", "notice"),
    [
        (
            "[ⓒ Wirestream Test Wire. 무단전재-재배포 금지]",
            "Wirestream Test Wire",
            "무단전재-재배포 금지",
        ),
        ("(C) Yonhap News Agency", "Yonhap News Agency", None),
        ("© Yonhap", "Yonhap", None),
        ("ⓒ Example Press. All rights reserved.", "Example Press", "All rights reserved."),
        (
            "Copyright 2025 Example Co., Ltd. All rights reserved.",
            "Example Co., Ltd",
            "All rights reserved.",
        ),
        ("<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>", "연합뉴스", "무단 전재-재배포 금지"),
    ],
)
def test_rights_line_styles_give_holder_and_notice(
    line: str, holder: str, notice: str | None
) -> None:
    assert parse_copyright(line) == Copyright(holder=holder, notice=notice)


@pytest.mark.parametrize(
    "line",
    [
        "Copyright infringement cases rose 12 percent last year.",
        "South Korea's exports rose.",
        "[Related articles]",
    ],
)
def test_ordinary_lines_are_not_rights_lines(line: str) -> None:
    assert parse_copyright(line) is None


# ------------------------------------------------------------------------ detection


@pytest.mark.parametrize("name", [LEAD, SECOND_LD, URGENT, ROUNDUP])
def test_yonhap_fixtures_are_recognised(name: str) -> None:
    assert looks_like_yonhap(fixture_text(name))


def test_timestamp_line_alone_identifies_the_layout() -> None:
    assert looks_like_yonhap("김하늘\n| 2025-03-04 08:30:00\nSome headline\nSome body.\n")


def test_end_marker_with_a_tag_line_identifies_the_layout() -> None:
    assert looks_like_yonhap("(LEAD) Exports rise\nExports rose 4 pct.\n(END)\n")


@pytest.mark.parametrize(
    "text",
    [
        fixture_text(PLAIN),
        "Exports rise\nExports rose 4 pct.\n(END)\n",
        "(LEAD) Exports rise\nExports rose 4 pct.\n",
        "Plain headline\nWASHINGTON (AP) — Something happened.\n",
    ],
)
def test_text_without_yonhap_markers_is_not_yonhap(text: str) -> None:
    assert not looks_like_yonhap(text)


def test_yonhap_parser_ignores_the_receipt_day_when_the_wire_has_a_timestamp() -> None:
    late = datetime(2025, 3, 9, 12, 0, tzinfo=UTC)
    article = parse_yonhap(fixture_text(LEAD), wire_id="w", received_at=late)
    assert article.story_id == "yonhap:20250304:s-korea-economy"


# ----------------------------------------------------------- shared Yonhap behaviour


def test_korean_tags_after_the_headline_are_split_off() -> None:
    assert split_version_tags("항만 파업 사흘째(종합2보)") == (["종합2보"], "항만 파업 사흘째")
    assert split_version_tags("[속보] 항만 파업") == (["속보"], "항만 파업")
    assert split_version_tags("Talks (in Seoul)") == ([], "Talks (in Seoul)")


def test_genre_tag_on_the_portal_layout_sets_the_genre() -> None:
    text = fixture_text(LEAD).replace("(LEAD)", "(News Focus)")
    article = parse_text(text)
    assert (article.genre, article.version, article.signals) == ("analysis", 1, [])


def test_lead_versions_carry_the_update_signal(lead: Article) -> None:
    assert lead.signals == ["update"]


def test_portal_wire_records_its_encoding() -> None:
    assert parse_wire(raw_wire(fixture_bytes(LEAD))).source_encoding == "utf-8"


def test_more_marker_ends_the_take_like_end() -> None:
    text = fixture_text(LEAD).replace("(END)", "(MORE)")
    assert parse_text(text).body == parse_text(fixture_text(LEAD)).body


def test_korean_tip_line_opens_the_trailer() -> None:
    text = (
        "항만 파업 사흘째\n(부산=연합뉴스) 한지우 기자 = 파업이 이어졌다.\n"
        "제보는 카카오톡 okjebo\n관련 기사 목록\n"
    )
    assert parse_text(text).body == ["파업이 이어졌다."]
