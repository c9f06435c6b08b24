"""Yonhap crawl layout: front matter, merged head, paragraph recovery, end of story."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.article import Article, Copyright, Dateline
from streams.parse import LayoutError
from streams.parse.errors import FrontMatterError
from streams.parse.yonhap.crawl import (
    looks_like_crawl,
    read_front_matter,
    split_merged_paragraphs,
)
from tests.parse.text_formats.wires import (
    CRAWL_FIRST,
    CRAWL_KOREAN,
    CRAWL_LEAD,
    CRAWL_TABLE,
    fixture,
    parse_fixture,
    parse_one,
)


@pytest.fixture(scope="module")
def lead() -> Article:
    return parse_fixture(CRAWL_LEAD)


@pytest.fixture(scope="module")
def first() -> Article:
    return parse_fixture(CRAWL_FIRST)


def test_front_matter_fields_are_read_and_unquoted() -> None:
    fields, rest = read_front_matter(fixture(CRAWL_FIRST).decode())
    assert fields["id"] == "001_0099000101"
    assert fields["title"] == "Bridge closed after cracks found in support pillar"
    assert fields["author"] == "한지우(jiwoo.han@yna.co.kr)"
    assert fields["published_at"] == "2026-01-20 09:00"
    assert rest.lstrip().startswith("# Bridge closed")


def test_text_without_front_matter_has_no_fields() -> None:
    assert read_front_matter("# Title\nText\n") == ({}, "# Title\nText\n")


def test_unclosed_front_matter_is_a_front_matter_error() -> None:
    text = "---\nid: 1\npublisher: 연합뉴스\ntitle: x\n\n# x\nSEOUL, Jan. 2 (Yonhap) -- a\n"
    with pytest.raises(FrontMatterError, match="never closed") as info:
        parse_one(text, hint="crawl")
    assert info.value.code == "W132"


def test_merged_head_gives_slug_tags_note_and_byline(lead: Article) -> None:
    assert lead.source_format == "yonhap-crawl"
    assert lead.headline == (
        "Bridge closed after cracks found in support pillar; city orders checks"
    )
    assert lead.slug == "bridge-closure"
    assert lead.version_tags == ["LEAD"]
    assert lead.version == 2
    assert lead.editorial_notes == ["ADDS city's inspection order in paras 4-5; CHANGES headline"]
    assert lead.byline == "Han Ji-woo"
    assert lead.dateline == Dateline(cities=["SEOUL"], date_text="Jan. 20", agency="Yonhap")


def test_slug_run_into_the_headline_without_a_space_is_split(first: Article) -> None:
    assert (first.slug, first.headline) == (
        "bridge-closure",
        "Bridge closed after cracks found in support pillar",
    )


def test_body_starts_after_the_dateline_and_ends_before_end(lead: Article) -> None:
    assert lead.body[0].startswith("A road bridge over the Han River was closed")
    assert lead.body[-1] == '"Safety comes first," he added.'
    assert all("@yna.co.kr" not in p and "(END)" not in p for p in lead.body)


def test_html_entities_are_unescaped(first: Article) -> None:
    assert '"Safety comes before convenience," a city official said.' in first.body[0]


def test_merged_paragraphs_split_only_where_one_obviously_begins(lead: Article) -> None:
    assert lead.body == [
        "A road bridge over the Han River was closed to traffic Tuesday after inspectors "
        "found cracks in one of its support pillars, city officials said. The bridge carries "
        "about 40,000 vehicles a day. The city ordered checks of all 21 Han River bridges by "
        "the end of the month.",
        '"We will publish every result," the mayor said. "Nothing will be hidden."',
        '"Safety comes first," he added.',
    ]


@pytest.mark.parametrize(
    ("text", "paragraphs"),
    [
        ("One ends.Two starts.", ["One ends.", "Two starts."]),
        ('He said "no."Then left.', ['He said "no."', "Then left."]),
        ('It ended."New quote," he said.', ["It ended.", '"New quote," he said.']),
        ('"First," he said. "Second," she said.', ['"First," he said. "Second," she said.']),
        ('"First." "Second."', ['"First."', '"Second."']),
        ("Sales to U.S.Firms rose.", ["Sales to U.S.Firms rose."]),
        ("Sales of R.LUX goods rose.", ["Sales of R.LUX goods rose."]),
        ("First block.\n\nSecond block.", ["First block.", "Second block."]),
        ("It rose 2.5 percent. It fell.", ["It rose 2.5 percent. It fell."]),
        ("밝혔다.노조는 반발했다.", ["밝혔다.", "노조는 반발했다."]),
    ],
)
def test_paragraph_heuristic(text: str, paragraphs: list[str]) -> None:
    assert split_merged_paragraphs(text) == paragraphs


def test_front_matter_time_is_seoul_time_stored_in_utc(lead: Article) -> None:
    assert lead.published_at == datetime(2026, 1, 20, 6, 0, tzinfo=UTC)
    assert lead.published_offset == "+09:00"


def test_item_id_comes_from_the_front_matter(lead: Article) -> None:
    assert lead.source_item_id == "001_0099000177"


def test_reporter_from_author_field_but_not_a_desk_name(lead: Article, first: Article) -> None:
    assert first.byline_native == "한지우"
    assert lead.byline_native is None  # "영문뉴스" is the English desk


def test_versions_of_one_story_share_the_story_id(lead: Article, first: Article) -> None:
    assert lead.story_id == first.story_id == "yonhap:20260120:bridge-closure"
    assert (first.version, lead.version) == (1, 2)


def test_flattened_table_keeps_text_after_the_glued_sentence() -> None:
    article = parse_fixture(CRAWL_TABLE)
    assert (article.slug, article.headline) == ("air quality", "Monday's air quality")
    assert article.body == [
        "The following is the fine dust outlook for five regions at 6 a.m. Monday.",
        "Region Level Seoul Moderate Busan Good Daegu Moderate",
    ]


def test_korean_crawl_is_parsed_with_its_dateline_and_rights_line() -> None:
    article = parse_fixture(CRAWL_KOREAN)
    assert article.language == "ko"
    assert article.headline == "부산항 파업 사흘째…컨테이너 반출 차질"
    assert (article.version, article.version_tags) == (2, ["종합"])
    assert article.dateline == Dateline(cities=["부산"], date_text=None, agency="연합뉴스")
    assert article.byline == "한지우"
    assert article.body == [
        "부산항 부두 노동자들의 파업이 사흘째 이어지면서 컨테이너 수백 개가 부두에 묶여 있다고 "
        "항만 당국이 14일 밝혔다.",
        "노조와 운영사의 협상은 자동화 크레인 도입을 둘러싼 이견으로 13일 밤 결렬됐다.",
    ]
    assert article.copyright == Copyright(holder="연합뉴스", notice="무단 전재-재배포 금지")


def test_story_without_a_dateline_starts_after_headline_and_note() -> None:
    text = (
        "---\ntitle: Short item\npublisher: 연합뉴스\n---\n# Short item\n---\n"
        "Short item(ATTN: ADDS photo) The market opened flat.\n(END)\n---\n"
    )
    article = parse_one(text)
    assert article.dateline is None
    assert article.editorial_notes == ["ADDS photo"]
    assert article.body == ["The market opened flat."]


def test_crawl_without_any_title_is_a_layout_error() -> None:
    text = "---\npublisher: 연합뉴스\n---\nSEOUL, Jan. 2 (Yonhap) -- Text.(END)\n"
    with pytest.raises(LayoutError, match="no headline"):
        parse_one(text)


@pytest.mark.parametrize(
    "front_matter",
    [
        "publisher: 연합뉴스",
        "publisher: Yonhap News Agency",
        "url: https://n.news.naver.com/mnews/article/001/0000000001",
        "url: https://en.yna.co.kr/view/AEN20260101000100315",
    ],
)
def test_front_matter_markers_identify_the_layout(front_matter: str) -> None:
    assert looks_like_crawl(f"---\nid: 1\n{front_matter}\n---\n# T\n")


def test_front_matter_of_another_publisher_is_not_this_layout() -> None:
    assert not looks_like_crawl("---\npublisher: Example Daily\nurl: https://example.com/1\n---\n")
    assert not looks_like_crawl("# Title\npublisher: 연합뉴스\n")
