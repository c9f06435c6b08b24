"""AP Media API JSON: item responses, feed pages, writethrus and corrections."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from schemas.article import Dateline, SourceSubject, Urgency
from streams.parse.errors import InvalidFieldError, LayoutError, UnsupportedJsonError
from tests.parse.json.jsonwires import (
    AP_FEED,
    AP_FEED_NO_TEXT,
    AP_ITEM,
    AP_WRITETHRU,
    NINJS1,
    fixture_bytes,
    parse_fixture,
    parse_json,
)

ITEM_ID = "4c1d8e2f9a6b4e0d8f7a1b2c3d4e5f60"


def _item(**fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "altids": {"itemid": "0123456789abcdef0123456789abcdef"},
        "type": "text",
        "headline": "Headline",
        "body_text": "Body paragraph.",
    }
    item.update(fields)
    return {key: value for key, value in item.items() if value is not None}


def test_item_response_maps_the_ap_fields() -> None:
    [article] = parse_fixture(AP_ITEM)
    assert article.source_format == "ap-media"
    assert article.story_id == f"ap:{ITEM_ID}"
    assert article.source_item_id == ITEM_ID
    assert article.source_agency == "AP"
    assert article.headline == "Ice storm leaves 200,000 without power across three states"
    assert article.byline == "RUTH CALLOWAY, DEV PATEL"
    assert article.slug == "Storm-Power Outages"
    assert article.urgency == Urgency(value=3, source_value="3")
    assert article.published_at == datetime(2026, 2, 20, 14, 5, 33, tzinfo=UTC)
    assert article.editorial_notes == ["Eds: Moves on general news services."]
    assert article.copyright is not None
    assert article.copyright.notice is not None
    assert article.copyright.notice.startswith("Copyright 2026 The Associated Press")


def test_item_body_has_its_dateline_taken_off() -> None:
    [article] = parse_fixture(AP_ITEM)
    assert article.dateline == Dateline(cities=["LITTLE ROCK, Ark."], agency="AP")
    assert article.body == [
        "An ice storm knocked out power to about 200,000 homes and businesses across Arkansas, "
        "Tennessee and Mississippi on Friday.",
        "Utility crews from five states were on their way, officials said.",
    ]


def test_ap_version_counts_from_zero_so_articles_add_one() -> None:
    [first] = parse_fixture(AP_ITEM)
    [third] = parse_fixture(AP_WRITETHRU)
    assert (first.version, third.version) == (1, 3)


def test_editorial_types_become_version_tags_and_signals() -> None:
    [lead] = parse_fixture(AP_ITEM)
    assert lead.version_tags == ["Lead"]
    assert lead.signals == ["update", "newscontent"]
    [writethru] = parse_fixture(AP_WRITETHRU)
    assert writethru.version_tags == ["Writethru", "Correction"]
    assert writethru.signals == ["writethru", "correction"]


def test_writethru_shares_the_story_id_of_the_first_version() -> None:
    [first] = parse_fixture(AP_ITEM)
    [writethru] = parse_fixture(AP_WRITETHRU)
    assert first.story_id == writethru.story_id
    assert first.article_id != writethru.article_id
    assert writethru.body[0].startswith("An ice storm knocked out power to about 180,000")


def test_ap_subjects_get_ap_schemes() -> None:
    [article] = parse_fixture(AP_ITEM)
    assert article.source_subjects == [
        SourceSubject(
            code="ap-subject:a6bd3dcb6d40492f8c2e3f9f0ab8d2a1", scheme="ap-subject", name="Weather"
        ),
        SourceSubject(code="ap-category:a", scheme="ap-category", name="General news"),
    ]


def test_feed_yields_the_items_that_carry_text() -> None:
    articles = parse_fixture(AP_FEED)
    assert [a.headline for a in articles] == [
        "Museum returns bronze mask to Benin",
        "KILLED: Mayor resigns",
    ]
    assert articles[0].byline == "HELEN OSEI"
    assert articles[0].dateline == Dateline(cities=["LONDON"], agency="AP")
    assert len({a.article_id for a in articles}) == 2


def test_killed_item_in_a_feed_is_canceled_with_a_kill_signal() -> None:
    killed = parse_fixture(AP_FEED)[1]
    assert killed.pub_status == "canceled"
    assert killed.signals == ["kill"]
    assert killed.version_tags == ["Kill"]
    assert killed.body == [
        "This story has been killed. The mayor has not resigned. Make sure it is not published."
    ]


def test_feed_without_any_text_says_the_renditions_must_be_fetched() -> None:
    with pytest.raises(LayoutError, match=r"2 items \(1 text, 1 video\).*renditions\.nitf\.href"):
        parse_fixture(AP_FEED_NO_TEXT)


def test_item_without_text_says_the_rendition_must_be_fetched() -> None:
    with pytest.raises(LayoutError, match=r"carries no story text: .*fetch the text rendition"):
        parse_json({"data": {"item": _item(body_text=None)}})


def test_picture_item_is_not_an_article() -> None:
    with pytest.raises(LayoutError, match="'picture'"):
        parse_json({"data": {"item": _item(type="picture")}})


@pytest.mark.parametrize(
    "wrap",
    [
        lambda item: {"data": {"item": item}},
        lambda item: {"item": item},
        lambda item: item,
        lambda item: {"data": {"items": [{"meta": {}, "item": item}]}},
        lambda item: {"data": {"items": [item]}},
    ],
)
def test_every_response_shape_is_read(wrap: Any) -> None:
    [article] = parse_json(wrap(_item()), hint="ap-media")
    assert article.story_id == "ap:0123456789abcdef0123456789abcdef"


def test_embargoed_status_is_usable_with_the_embargo_time() -> None:
    item = _item(pubstatus="embargoed", embargoed="2026-02-21T05:00:00Z")
    [article] = parse_json({"item": item})
    assert article.pub_status == "usable"
    assert article.embargoed_until == datetime(2026, 2, 21, 5, 0, tzinfo=UTC)


def test_unreadable_embargo_is_refused() -> None:
    with pytest.raises(InvalidFieldError):
        parse_json({"item": _item(embargoed="Saturday morning")})


def test_summary_stands_in_for_a_missing_body() -> None:
    [article] = parse_json({"item": _item(body_text=None, description_summary="Short summary.")})
    assert article.body == ["Short summary."]


def test_top_headlines_package_yields_its_associated_stories() -> None:
    parent = _item(
        headline="AP Top News at 8:50 p.m. EST",
        body_text=None,
        associations={
            "1": _item(altids={"itemid": "a" * 32}, headline="First story", body_text="One."),
            "2": _item(altids={"itemid": "b" * 32}, type="picture", headline="Photo"),
            "3": _item(altids={"itemid": "c" * 32}, headline="Second story", body_text="Two."),
        },
    )
    articles = parse_json({"data": {"item": parent}})
    assert [a.headline for a in articles] == ["First story", "Second story"]


def test_dateline_falls_back_to_the_dateline_location() -> None:
    item = _item(datelinelocation={"city": "Little Rock", "countryareacode": "AR"})
    [article] = parse_json({"item": item})
    assert article.dateline == Dateline(cities=["Little Rock"])


def test_item_without_itemid_is_keyed_by_its_uri_without_the_query() -> None:
    item = _item(altids={"etag": "x_1"}, uri="https://api.ap.org/media/v/content/feed0?qt=1&et=2")
    [article] = parse_json({"item": item})
    assert article.story_id == "ap:media-v-content-feed0"


def test_ninjs_item_sent_as_ap_points_at_the_ninjs_hint() -> None:
    with pytest.raises(UnsupportedJsonError, match="'ninjs'"):
        parse_json(fixture_bytes(NINJS1), hint="ap")


def test_json_that_is_not_ap_is_unsupported() -> None:
    with pytest.raises(UnsupportedJsonError, match="not an AP Media API item or feed"):
        parse_json({"results": [1, 2, 3]}, hint="ap-media")
