"""NewsML-G2: newsItem and newsMessage wires; packages and other items refused clearly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.article import Copyright, Dateline, SourceSubject, Urgency
from streams.parse.errors import LayoutError, PackageItemError, UnsupportedXmlError
from tests.parse.xml.xmlwires import G2_MESSAGE, G2_PACKAGE, G2_V1, G2_V2, fixture, parse, parse_one

G2 = "http://iptc.org/std/nar/2006-10-01/"


def _item(
    *,
    meta: str = '<pubStatus qcode="stat:usable"/>',
    content_meta: str = "<headline>Test headline</headline>",
    content: str = '<inlineData contenttype="text/plain">Body text.</inlineData>',
    guid: str = "urn:newsml:example.org:20250101:TEST",
    root: str = "newsItem",
) -> str:
    return (
        f'<{root} xmlns="{G2}" guid="{guid}" version="3" standard="NewsML-G2">'
        f'<itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:EX"/>{meta}</itemMeta>'
        f"<contentMeta>{content_meta}</contentMeta><contentSet>{content}</contentSet></{root}>"
    )


def test_news_item_fields_are_read_into_the_article() -> None:
    article = parse_one(fixture(G2_V1), hint="newsml-g2")
    assert article.source_format == "newsml-g2"
    assert article.source_item_id == "urn:newsml:northwind.example:20250710:WILDFIRE-VALLEY"
    assert article.story_id == "nwa:northwind-example-20250710-wildfire-valley"
    assert article.version == 1
    assert article.source_agency == "Northwind"
    assert article.language == "en-US"
    assert article.headline == "Wildfire forces evacuations in California valley"
    assert article.slug == "US-Wildfire-Valley"
    assert article.byline == "Luis Garcia"
    assert article.dateline == Dateline(cities=["FRESNO"], date_text="July 10", agency="Northwind")
    assert article.urgency == Urgency(value=3, source_value="3")
    assert article.genre == "current"
    assert article.editorial_notes == ["Will be updated as evacuation orders change."]
    assert article.copyright == Copyright(
        holder="Northwind News Agency",
        notice="Copyright 2025 Northwind News Agency. All rights reserved.",
    )
    assert article.source_subjects == [
        SourceSubject(code="medtop:06000000", scheme="medtop", name="environment", relevance=90),
        SourceSubject(code="medtop:20000148", scheme="medtop", name="wildfire"),
        SourceSubject(code="subj:03000000", scheme="subj", confidence=70),
    ]
    # versionCreated, in the offset the provider wrote it in.
    assert article.published_at == datetime(2025, 7, 10, 13, 40, tzinfo=UTC)
    assert article.published_offset == "-07:00"


def test_nitf_in_inline_xml_gives_the_body_without_its_dateline() -> None:
    article = parse_one(fixture(G2_V1), hint="newsml-g2")
    assert article.body == [
        "A fast-moving wildfire forced thousands of residents from their homes on Thursday.",
        "Fire crews said gusts of up to 40 mph were pushing the flames east.",
    ]


def test_versions_share_the_story_id_and_the_prefixed_xhtml_version_reads() -> None:
    first = parse_one(fixture(G2_V1), hint="newsml-g2")
    second = parse_one(fixture(G2_V2), hint="newsml-g2")
    assert second.story_id == first.story_id == "nwa:northwind-example-20250710-wildfire-valley"
    assert (first.version, second.version) == (1, 2)
    assert first.article_id != second.article_id
    assert second.signals == ["update", "correction"]
    assert second.headline == "Wildfire doubles in size, more evacuations ordered"
    # The XHTML head is left out, the <h1> repeating the headline dropped,
    # list items and <br/> separate paragraphs.
    assert second.body == [
        "The fire has doubled in size since the morning, officials said.",
        "Two more towns were told to leave.",
        "Schools are closed.",
        "Corrects the wind speed in the second paragraph of the earlier version.",
        "More to follow.",
    ]
    assert second.dateline is not None and second.dateline.cities == ["FRESNO"]


def test_news_message_gives_one_article_per_text_item() -> None:
    articles = parse(fixture(G2_MESSAGE), hint="newsml-g2")
    assert [a.headline for a in articles] == [
        "Central bank set to hold rates, minutes show",
        "KILL - Train delays story",
    ]
    rates, kill = articles
    assert rates.embargoed_until == datetime(2025, 7, 12, 9, tzinfo=UTC)
    assert rates.pub_status == "usable"
    assert rates.body == [
        "Policymakers agreed to wait for more data.",
        "Two members wanted a cut, the minutes show.",
    ]
    assert rates.dateline == Dateline(cities=["LONDON"], date_text="July 11", agency="Northwind")
    assert kill.pub_status == "canceled"
    assert kill.version == 4
    assert kill.editorial_notes == ["KILL: this story is withdrawn. Do not use."]
    assert len({a.article_id for a in articles}) == 2
    assert {a.wire_id for a in articles} == {articles[0].wire_id}


def test_two_versions_of_one_story_in_one_message_get_distinct_article_ids() -> None:
    item = _item().replace(f' xmlns="{G2}"', "")
    message = f'<newsMessage xmlns="{G2}"><itemSet>{item}{item}</itemSet></newsMessage>'
    first, second = parse(message, hint="newsml-g2")
    assert first.story_id == second.story_id
    assert first.article_id != second.article_id


def test_message_without_text_items_is_a_layout_error_naming_what_it_holds() -> None:
    message = (
        f'<newsMessage xmlns="{G2}"><itemSet><packageItem guid="p"/>'
        '<newsItem guid="x"><itemMeta><itemClass qcode="ninat:picture"/></itemMeta></newsItem>'
        "</itemSet></newsMessage>"
    )
    with pytest.raises(LayoutError, match=r"no text newsItem \(it holds: packageItem, picture"):
        parse(message, hint="newsml-g2")


def test_a_bad_item_in_a_message_names_its_position_and_guid() -> None:
    good = _item().replace(f' xmlns="{G2}"', "")
    bad = _item(content="", guid="urn:bad").replace(f' xmlns="{G2}"', "")
    message = f'<newsMessage xmlns="{G2}"><itemSet>{good}{bad}</itemSet></newsMessage>'
    with pytest.raises(LayoutError, match=r"item 2 of 2 \(urn:bad\).*no body text"):
        parse(message, hint="newsml-g2")


def test_package_item_is_refused_with_a_pointer_to_its_members() -> None:
    with pytest.raises(PackageItemError) as info:
        parse(fixture(G2_PACKAGE), hint="newsml-g2")
    assert info.value.code == "W113"
    assert isinstance(info.value, LayoutError)
    assert "package items carry no story text; ingest its member items" in str(info.value)


@pytest.mark.parametrize("root", ["knowledgeItem", "conceptItem", "planningItem"])
def test_non_news_items_are_unsupported(root: str) -> None:
    with pytest.raises(UnsupportedXmlError, match=f"NewsML-G2 {root} carries no news story"):
        parse(f'<{root} xmlns="{G2}" guid="k"/>', hint="newsml-g2")


def test_a_fragment_is_unsupported() -> None:
    with pytest.raises(UnsupportedXmlError, match="<contentSet> is a fragment"):
        parse("<contentSet><inlineXML/></contentSet>", hint="newsml-g2")


def test_a_root_in_another_namespace_is_unsupported() -> None:
    with pytest.raises(UnsupportedXmlError, match="namespace 'urn:other'"):
        parse('<newsItem xmlns="urn:other"/>', hint="newsml-g2")


def test_picture_item_is_a_layout_error() -> None:
    picture = _item().replace("ninat:text", "ninat:picture")
    with pytest.raises(LayoutError, match="is a picture item"):
        parse(picture, hint="newsml-g2")


@pytest.mark.parametrize(
    ("meta", "status", "until"),
    [
        ('<pubStatus qcode="stat:withheld"/>', "withheld", None),
        ('<pubStatus qcode="stat:canceled"/>', "canceled", None),
        ("", "usable", None),
        ('<embargoed/><pubStatus qcode="stat:usable"/>', "withheld", None),
        (
            "<embargoed>2025-03-05T10:00:00+01:00</embargoed>",
            "usable",
            datetime(2025, 3, 5, 9, tzinfo=UTC),
        ),
    ],
)
def test_publication_status_and_embargo(meta: str, status: str, until: datetime | None) -> None:
    article = parse_one(_item(meta=meta), hint="newsml-g2")
    assert (article.pub_status, article.embargoed_until) == (status, until)


def test_missing_optional_parts_give_defaults() -> None:
    article = parse_one(_item(), hint="newsml-g2")
    assert article.headline == "Test headline"
    assert article.body == ["Body text."]
    assert article.version == 3
    assert article.source_agency == "EX"
    assert article.story_id == "ex:example-org-20250101-test"
    assert article.urgency == Urgency(value=5, source_value=None)
    assert article.language == "en"
    assert article.published_at is None
    assert article.byline is None and article.dateline is None and article.copyright is None


def test_item_meta_title_and_description_stand_in_for_headline_and_body() -> None:
    wire = _item(
        meta='<title>Title from itemMeta</title><pubStatus qcode="stat:usable"/>',
        content_meta='<description role="drol:summary">Only a summary.</description>',
        content="",
    )
    article = parse_one(wire, hint="newsml-g2")
    assert article.headline == "Title from itemMeta"
    assert article.body == ["Only a summary."]


def test_item_without_headline_or_body_is_a_layout_error() -> None:
    with pytest.raises(LayoutError, match="has no headline"):
        parse(_item(content_meta=""), hint="newsml-g2")
    with pytest.raises(LayoutError, match="has no body text"):
        parse(_item(content='<inlineXML contenttype="application/nitf+xml"/>'), hint="newsml-g2")


def test_nitf_fills_headline_and_byline_missing_from_content_meta() -> None:
    nitf = (
        '<inlineXML><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.head>'
        "<hedline><hl1>From NITF</hl1></hedline><byline>By Ana Ruiz, <byttl>Reporter</byttl>"
        "</byline></body.head><body.content><p>Text.</p></body.content></body></nitf></inlineXML>"
    )
    article = parse_one(_item(content_meta="", content=nitf), hint="newsml-g2")
    assert (article.headline, article.byline, article.body) == ("From NITF", "Ana Ruiz", ["Text."])


def test_nitf_rendition_is_preferred_over_plain_text() -> None:
    content = (
        '<inlineData contenttype="text/plain">Plain rendition.</inlineData>'
        "<inlineXML><nitf><body><body.content><p>NITF rendition.</p></body.content></body>"
        "</nitf></inlineXML>"
    )
    assert parse_one(_item(content=content), hint="newsml-g2").body == ["NITF rendition."]


def test_html_inline_data_is_read_as_markup() -> None:
    content = (
        '<inlineData contenttype="text/html">'
        "&lt;p&gt;One &amp;amp; two&lt;/p&gt;&lt;p&gt;Three&lt;/p&gt;</inlineData>"
    )
    assert parse_one(_item(content=content), hint="newsml-g2").body == ["One & two", "Three"]


def test_headline_with_main_role_is_chosen_and_located_is_the_dateline_fallback() -> None:
    content_meta = (
        '<located qcode="geo:1"><name>New York, NY</name></located>'
        '<headline role="hld:sub">Sub</headline><headline role="hld:main">Main</headline>'
    )
    article = parse_one(_item(content_meta=content_meta), hint="newsml-g2")
    assert article.headline == "Main"
    assert article.dateline == Dateline(cities=["New York, NY"])


def test_provider_uri_and_creators_stand_in_for_name_and_byline() -> None:
    wire = _item(
        content_meta="<creator><name>Ana Ruiz</name></creator><creator><name>Bo Kim</name>"
        "</creator><headline>H</headline>"
    ).replace('<provider qcode="nprov:EX"/>', '<provider uri="http://www.example.org/about/"/>')
    article = parse_one(wire, hint="newsml-g2")
    assert article.source_agency == "example.org"
    assert article.byline == "Ana Ruiz, Bo Kim"
