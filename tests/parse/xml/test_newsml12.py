"""NewsML 1.2: NewsItems of a NewsML envelope read into Articles."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.article import Copyright, Dateline, SourceSubject, Urgency
from streams.parse.errors import LayoutError, UnsupportedXmlError
from tests.parse.xml.xmlwires import NEWSML12_RELEASE, NEWSML12_REVISIONS, fixture, parse, parse_one


def _item(
    *,
    management: str = '<Status FormalName="Usable"/>',
    lines: str = "<HeadLine>Test headline</HeadLine>",
    content: str = (
        '<ContentItem><MediaType FormalName="Text"/><DataContent>Body text.</DataContent>'
        "</ContentItem>"
    ),
    item_id: str = "ITEM-1",
    revision: str = '<RevisionId PreviousRevision="0" Update="N">1</RevisionId>',
) -> str:
    return (
        "<NewsItem><Identification><NewsIdentifier><ProviderId>example.org</ProviderId>"
        f"<DateId>20250101</DateId><NewsItemId>{item_id}</NewsItemId>{revision}"
        f"</NewsIdentifier></Identification><NewsManagement>{management}</NewsManagement>"
        f"<NewsComponent><NewsLines>{lines}</NewsLines>{content}</NewsComponent></NewsItem>"
    )


def _newsml(*items: str, envelope: str = "") -> str:
    return f'<NewsML Version="1.2"><NewsEnvelope>{envelope}</NewsEnvelope>{"".join(items)}</NewsML>'


def test_two_revisions_in_one_envelope_share_the_story_id() -> None:
    articles = parse(fixture(NEWSML12_REVISIONS), hint="newsml-1.2")
    assert len(articles) == 2  # the photo NewsItem travels along and is skipped
    first, second = articles
    assert first.story_id == second.story_id == "northwind-example:20250304-port-le-havre"
    assert (first.version, second.version) == (1, 2)
    assert (first.signals, second.signals) == ([], ["update"])
    assert first.article_id != second.article_id
    assert second.source_item_id == "urn:newsml:northwind.example:20250304:PORT-LE-HAVRE:2"


def test_news_lines_and_metadata_are_read_into_the_article() -> None:
    article = parse(fixture(NEWSML12_REVISIONS), hint="newsml-1.2")[0]
    assert article.source_format == "newsml-1.2"
    assert article.headline == "Grève au port du Havre : les dockers bloquent les terminaux"
    assert article.byline == "Claire Martin"
    assert article.dateline == Dateline(
        cities=["LE HAVRE"], date_text="4 mars 2025", agency="Northwind"
    )
    assert article.copyright == Copyright(notice="© 2025 Northwind")
    assert article.slug == "France-port-grève"
    assert article.editorial_notes == ["Première version, sera complétée."]
    assert article.language == "fr"
    assert article.genre == "current"
    assert article.urgency == Urgency(value=4, source_value="4")
    assert article.source_agency == "Northwind"
    assert article.source_subjects == [
        SourceSubject(code="subj:09000000", scheme="subj"),
        SourceSubject(code="subj:09003000", scheme="subj"),
    ]
    assert article.published_at == datetime(2025, 3, 4, 8, 10, tzinfo=UTC)
    assert article.published_offset == "+01:00"
    # Declared ISO-8859-1 is read as its superset Windows-1252.
    assert article.source_encoding == "cp1252"
    assert article.body == [
        "Les dockers du Havre ont bloqué mardi l'accès aux terminaux à conteneurs.",
        "Le syndicat réclame une hausse des salaires de 5 %.",
    ]


def test_plain_text_content_and_envelope_priority() -> None:
    second = parse(fixture(NEWSML12_REVISIONS), hint="newsml-1.2")[1]
    assert second.body == [
        "Dockers and port operators reached a deal on Tuesday.",
        "The terminals reopen on Wednesday morning.",
    ]
    assert second.dateline == Dateline(cities=["LE HAVRE"], date_text="March 4", agency="Northwind")
    # No Urgency of its own: the envelope's Priority stands in.
    assert second.urgency == Urgency(value=3, source_value="3")


def test_body_component_is_chosen_over_stylesheet_subheadline_and_contact() -> None:
    article = parse_one(fixture(NEWSML12_RELEASE), hint="newsml-1.2")
    assert article.headline == "Orchard Robotics Unveils Fruit-Picking Arm for Small Farms"
    assert article.body == [
        "Orchard Robotics today introduced a picking arm sized for small farms.",
        "Availability",
        "The arm ships in September; prices start at £18,000.",
    ]
    assert article.slug == "UK-ORCHARD-ROBOTICS"
    assert article.byline == "Orchard Robotics Ltd."
    assert article.dateline is not None and article.dateline.cities == ["LEEDS"]
    assert article.genre == "release"
    assert article.copyright == Copyright(notice="Copyright Pressdesk 2025")


def test_embargoed_status_takes_the_time_it_will_change() -> None:
    article = parse_one(fixture(NEWSML12_RELEASE), hint="newsml-1.2")
    assert article.pub_status == "usable"
    assert article.embargoed_until == datetime(2025, 6, 13, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("Usable", "usable"),
        ("Withheld", "withheld"),
        ("Canceled", "canceled"),
        ("Embargoed", "withheld"),
    ],
)
def test_status_maps_to_pub_status(status: str, expected: str) -> None:
    wire = _newsml(_item(management=f'<Status FormalName="{status}"/>'))
    article = parse_one(wire, hint="newsml-1.2")
    assert (article.pub_status, article.embargoed_until) == (expected, None)


def test_a_lone_news_item_root_is_read() -> None:
    article = parse_one(_item(), hint="newsml-1.2")
    assert (article.headline, article.body) == ("Test headline", ["Body text."])
    assert article.story_id == "example-org:20250101-item-1"
    assert article.source_item_id == "example.org:20250101:ITEM-1"


def test_missing_optional_parts_give_defaults() -> None:
    article = parse_one(_newsml(_item(management="", revision="")), hint="newsml-1.2")
    assert article.version == 1
    assert article.urgency == Urgency(value=5, source_value=None)
    assert article.pub_status == "usable"
    assert article.published_at is None
    assert article.byline is None and article.dateline is None and article.copyright is None


def test_envelope_time_stands_in_for_the_item_time() -> None:
    wire = _newsml(_item(management=""), envelope="<DateAndTime>20250101T120000Z</DateAndTime>")
    assert parse_one(wire, hint="newsml-1.2").published_at == datetime(2025, 1, 1, 12, tzinfo=UTC)


def test_item_without_text_is_a_layout_error() -> None:
    photo = _item(content='<ContentItem Href="x.jpg"><MediaType FormalName="Photo"/></ContentItem>')
    with pytest.raises(LayoutError, match="carries no text ContentItem"):
        parse(_newsml(photo), hint="newsml-1.2")
    with pytest.raises(LayoutError, match="holds 2 NewsItems and none carries text"):
        parse(_newsml(photo, photo), hint="newsml-1.2")


def test_item_without_headline_names_its_position() -> None:
    wire = _newsml(_item(), _item(lines="", item_id="ITEM-2"))
    with pytest.raises(LayoutError, match=r"NewsItem 2 of 2: .*ITEM-2 has no headline"):
        parse(wire, hint="newsml-1.2")


def test_envelope_without_items_and_foreign_roots_are_refused() -> None:
    with pytest.raises(LayoutError, match="holds no NewsItem"):
        parse(_newsml(), hint="newsml-1.2")
    with pytest.raises(UnsupportedXmlError, match="root element is <nitf>"):
        parse("<nitf/>", hint="newsml-1.2")
