"""NITF 3.x: docdata, head and body read into an Article."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.article import Copyright, Dateline, SourceSubject, Urgency
from streams.parse.errors import LayoutError, UnsupportedXmlError
from tests.parse.wires import RECEIVED_AT
from tests.parse.xml.xmlwires import NITF_EMBARGOED, NITF_V1, NITF_V2, fixture, parse_one


def _nitf(docdata: str = "", *, body: str = "<p>Body text.</p>", head: str = "") -> str:
    return (
        f"<nitf><head>{head}<docdata {docdata}/></head><body><body.head>"
        "<hedline><hl1>Test headline</hl1></hedline></body.head>"
        f"<body.content>{body}</body.content></body></nitf>"
    )


def test_nitf_fields_are_read_into_the_article() -> None:
    article = parse_one(fixture(NITF_V1), hint="nitf")
    assert article.source_format == "nitf"
    assert article.headline == "Harbour cranes idle as dock strike enters \u2018second day\u2019"
    assert article.source_item_id == "NW-20250304-117-v1"
    assert article.source_agency == "Northwind"
    assert article.version == 1
    assert article.slug == "harbour-strike"
    assert article.urgency == Urgency(value=3, source_value="3")
    assert article.byline == "Mina Cho"
    assert article.dateline == Dateline(cities=["BUSAN"], date_text="March 4", agency="Northwind")
    assert article.copyright == Copyright(holder="Northwind News Agency")
    assert article.editorial_notes == ["Moves on the business and general news wires."]
    assert article.genre == "current"
    assert article.source_subjects == [
        SourceSubject(code="subj:09000000", scheme="subj", name="Labour"),
        SourceSubject(code="subj:09003000", scheme="subj", name="labour dispute"),
    ]
    assert article.published_at == datetime(2025, 3, 3, 23, 30, tzinfo=UTC)
    assert article.published_offset == "+09:00"
    assert article.pub_status == "usable"
    assert article.embargoed_until is None
    assert article.source_encoding == "utf-8"


def test_nitf_body_is_clean_text_without_dateline_media_rules_or_signoff() -> None:
    article = parse_one(fixture(NITF_V1), hint="nitf")
    assert article.body == [
        "Container cranes stood still at the country's largest port on Tuesday as a strike "
        "by dock workers entered its second day.",
        "The union says pay talks broke down over night shifts \u2014 a claim the terminal "
        "operators deny.",
        '"We will stay out until the offer changes," a union spokeswoman said.',
        "Operators said three vessels had already been sent to smaller ports.",
    ]


def test_versions_of_a_nitf_story_share_the_story_id_through_the_du_key() -> None:
    first = parse_one(fixture(NITF_V1), hint="nitf")
    second = parse_one(fixture(NITF_V2), hint="nitf")
    assert first.story_id == second.story_id == "northwind:20250304:harbour-strike"
    assert (first.version, second.version) == (1, 2)
    assert first.article_id != second.article_id
    assert second.signals == ["correction"]
    assert second.editorial_notes == ["Corrects the number of diverted vessels to three."]
    assert second.byline == "MINA CHO"
    assert second.body[-1] == "Three vessels that had been diverted are expected back by Thursday."


def test_namespaced_embargoed_nitf_carries_its_release_time() -> None:
    article = parse_one(fixture(NITF_EMBARGOED), hint="nitf")
    assert article.headline == "Central bank report sees slower growth"
    assert article.language == "en-GB"
    assert article.pub_status == "usable"
    assert article.embargoed_until == datetime(2025, 3, 6, 0, 1, tzinfo=UTC)
    assert article.story_id == "northwind:nw-20250305-009"


def test_embargoed_without_release_time_is_withheld() -> None:
    article = parse_one(_nitf('management-status="embargoed"'), hint="nitf")
    assert (article.pub_status, article.embargoed_until) == ("withheld", None)


@pytest.mark.parametrize(
    ("status", "expected"),
    [("usable", "usable"), ("withheld", "withheld"), ("canceled", "canceled"), ("", "usable")],
)
def test_management_status_maps_to_pub_status(status: str, expected: str) -> None:
    docdata = f'management-status="{status}"' if status else ""
    assert parse_one(_nitf(docdata), hint="nitf").pub_status == expected


def test_a_release_time_after_receipt_is_an_embargo_even_when_usable() -> None:
    head_release = '<docdata management-status="usable"><date.release norm="20250305T000000Z"/>'
    wire = _nitf().replace("<docdata />", head_release + "</docdata>")
    assert parse_one(wire, hint="nitf").embargoed_until == datetime(2025, 3, 5, tzinfo=UTC)
    past = wire.replace("20250305T000000Z", "20250301T000000Z")
    assert datetime(2025, 3, 1, tzinfo=UTC) < RECEIVED_AT
    assert parse_one(past, hint="nitf").embargoed_until is None


def test_missing_optional_parts_give_defaults() -> None:
    article = parse_one(_nitf(), hint="nitf")
    assert article.headline == "Test headline"
    assert article.body == ["Body text."]
    assert article.version == 1
    assert article.urgency == Urgency(value=5, source_value=None)
    assert article.byline is None and article.dateline is None and article.copyright is None
    assert article.source_subjects == [] and article.signals == []
    assert article.story_id.startswith("unknown:20250304:test-headline")


def test_head_title_stands_in_for_a_missing_hedline() -> None:
    wire = (
        "<nitf><head><title>Only a title</title></head>"
        "<body><body.content><p>Text.</p></body.content></body></nitf>"
    )
    assert parse_one(wire, hint="nitf").headline == "Only a title"


def test_body_blocks_outside_body_content_are_read() -> None:
    wire = (
        "<nitf><body><body.head><hedline><hl1>H</hl1></hedline></body.head>"
        "<p>Loose paragraph.</p><body.end><tagline>end</tagline></body.end></body></nitf>"
    )
    assert parse_one(wire, hint="nitf").body == ["Loose paragraph."]


def test_nitf_without_headline_or_body_is_a_layout_error() -> None:
    with pytest.raises(LayoutError, match="no headline"):
        parse_one("<nitf><body><body.content><p>x</p></body.content></body></nitf>", hint="nitf")
    with pytest.raises(LayoutError, match="no body text"):
        parse_one(_nitf(body="<p> </p>"), hint="nitf")


def test_abstract_stands_in_for_an_empty_body() -> None:
    wire = (
        "<nitf><body><body.head><hedline><hl1>Flash</hl1></hedline>"
        "<abstract><p>One-line summary.</p></abstract></body.head></body></nitf>"
    )
    assert parse_one(wire, hint="nitf").body == ["One-line summary."]


def test_several_persons_make_one_byline() -> None:
    wire = _nitf().replace(
        "</hedline>",
        "</hedline><byline>By <person>Ann Lee</person>, <person>Bo Kim</person> and "
        "<person>Cy Park</person></byline>",
    )
    assert parse_one(wire, hint="nitf").byline == "Ann Lee, Bo Kim and Cy Park"


def test_a_non_nitf_root_given_the_nitf_hint_is_unsupported() -> None:
    with pytest.raises(UnsupportedXmlError, match="root element is <rss>"):
        parse_one("<rss><channel/></rss>", hint="nitf")
