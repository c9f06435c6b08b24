"""ninjs 1.x, 2.x and 3.x items to articles."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from schemas.article import Dateline, SourceSubject, Urgency
from streams.parse.errors import InvalidFieldError, LayoutError, UnsupportedJsonError
from streams.parse.json.ninjs import detect_version
from tests.parse.json.jsonwires import (
    NINJS1,
    NINJS1_V2,
    NINJS2,
    NINJS3,
    NINJS3_PACKAGE,
    fixture_json,
    parse_fixture,
    parse_json,
)


def _minimal(**fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "uri": "http://wire.example/text/1",
        "type": "text",
        "headline": "Headline",
        "body_text": "Body paragraph.",
    }
    item.update(fields)
    return {key: value for key, value in item.items() if value is not None}


# ---------------------------------------------------------------- version detection


@pytest.mark.parametrize(
    ("name", "major"), [(NINJS1, 1), (NINJS1_V2, 1), (NINJS2, 2), (NINJS3, 3), (NINJS3_PACKAGE, 3)]
)
def test_major_version_is_detected(name: str, major: int) -> None:
    assert detect_version(fixture_json(name)) == major


@pytest.mark.parametrize(
    ("item", "major"),
    [
        ({"$schema": "http://www.iptc.org/std/ninjs/ninjs-schema_1.2.json#"}, 1),
        ({"schema": "https://www.iptc.org/std/ninjs/ninjs-schema_2.0.json"}, 2),
        ({"standard": {"name": "ninjs", "version": "3.1"}}, 3),
        ({"standard": {"name": "ninjs", "version": "4.0"}}, 3),
        ({"uri": "x", "headline": "h", "body_text": "b"}, 1),
        ({"uri": "x", "headlines": [{"value": "h"}], "by": "me"}, 2),
        ({"uri": "x", "headlines": [{"value": "h"}], "versionCreated": "2026-01-01T00:00:00Z"}, 3),
        ({"uri": "x", "bodies": [{"value": "b", "contentType": "text/plain"}]}, 3),
        ({"uri": "x", "bodies": [{"value": "b", "contenttype": "text/plain"}]}, 2),
    ],
)
def test_version_comes_from_the_declaration_then_the_field_names(
    item: dict[str, Any], major: int
) -> None:
    assert detect_version(item) == major


# ------------------------------------------------------------------------- ninjs 1.x


def test_ninjs1_item_maps_every_field() -> None:
    [article] = parse_fixture(NINJS1)
    assert article.source_format == "ninjs"
    assert article.headline == "City council backs second harbour bridge"
    assert article.story_id == "nordwire:20260304-harbour-bridge-vote"
    assert article.source_item_id == "urn:newsml:nordwire.example:20260304:harbour-bridge-vote"
    assert article.version == 1
    assert article.byline == "Mara Lindqvist"
    assert article.slug == "harbour-bridge-vote"
    assert article.language == "en"
    assert article.urgency == Urgency(value=4, source_value="4")
    assert article.published_at == datetime(2026, 3, 4, 8, 15, tzinfo=UTC)
    assert article.published_offset == "+01:00"
    assert article.copyright is not None
    assert article.copyright.holder == "Nordwire"
    assert article.editorial_notes == ["Moves ahead of the regional budget package."]
    assert article.genre == "Current"
    assert article.pub_status == "usable"
    assert article.embargoed_until is None
    assert article.signals == []
    assert article.source_encoding == "utf-8"


def test_ninjs1_dateline_is_taken_off_the_first_paragraph() -> None:
    [article] = parse_fixture(NINJS1)
    assert article.dateline == Dateline(cities=["GOTHENBURG, Sweden"], agency="NW")
    assert article.source_agency == "NW"
    assert article.body[0].startswith("The city council on Wednesday approved")
    assert (
        article.body[2]
        == '"We have talked long enough," said council leader Ingrid Sahlberg. "Now we build."'
    )
    assert len(article.body) == 3


def test_ninjs1_subjects_become_qcodes() -> None:
    [article] = parse_fixture(NINJS1)
    assert article.source_subjects == [
        SourceSubject(code="medtop:20000574", scheme="medtop", name="local government"),
        SourceSubject(code="medtop:20000494", scheme="medtop", name="road transport"),
        SourceSubject(code="subj:04005005", scheme="subj", name="bridges"),
    ]


def test_associated_picture_of_a_story_with_text_is_not_an_article() -> None:
    articles = parse_fixture(NINJS1)
    assert [a.headline for a in articles] == ["City council backs second harbour bridge"]


def test_two_versions_of_one_story_share_the_story_id_but_not_the_article_id() -> None:
    [first] = parse_fixture(NINJS1)
    [second] = parse_fixture(NINJS1_V2)
    assert first.story_id == second.story_id
    assert first.article_id != second.article_id
    assert (first.version, second.version) == (1, 2)
    assert second.signals == ["update"]
    assert second.body[-1].startswith('"This is not the end of it,"')


def test_plain_body_is_preferred_when_it_keeps_the_paragraphs() -> None:
    item = _minimal(
        body_text="First plain.\n\nSecond plain.",
        body_html="<p>First html.</p><p>Second html.</p>",
    )
    [article] = parse_json(item)
    assert article.body == ["First plain.", "Second plain."]


def test_html_body_wins_when_the_plain_text_lost_the_paragraph_breaks() -> None:
    item = _minimal(
        body_text="First sentence. Second sentence. Third sentence.",
        body_xhtml="<p>First sentence.</p><p>Second sentence.</p><p>Third sentence.</p>",
    )
    [article] = parse_json(item)
    assert article.body == ["First sentence.", "Second sentence.", "Third sentence."]


def test_description_stands_in_for_a_missing_body() -> None:
    item = _minimal(body_text=None, description_text="A short summary of the story.")
    [article] = parse_json(item)
    assert article.body == ["A short summary of the story."]


def test_located_is_the_dateline_when_the_body_has_none() -> None:
    [article] = parse_json(_minimal(located="Oslo, Norway"))
    assert article.dateline == Dateline(cities=["Oslo, Norway"])
    assert article.source_agency is None


def test_item_without_uri_gets_a_story_id_from_agency_date_and_slug() -> None:
    item = _minimal(
        uri=None,
        copyrightholder="Nordwire",
        slugline="ferry-strike",
        versioncreated="2026-03-05T10:00:00Z",
    )
    [article] = parse_json(item)
    assert article.story_id == "nordwire:20260305:ferry-strike"
    assert article.source_item_id is None


# ------------------------------------------------------------------------- ninjs 2.x


def test_ninjs2_html_body_is_cleaned_into_paragraphs() -> None:
    [article] = parse_fixture(NINJS2)
    assert article.headline == "Survey finds coral recovering on outer reef"
    assert article.dateline == Dateline(cities=["CAIRNS, Australia"], agency="PD")
    assert article.body == [
        "Hard coral cover on the outer reef has risen for a third year, scientists said on "
        "Saturday.",
        "The annual survey counted coral on 86 reefs between August and March.",
        "Northern section: up 4%",
        "Central section: up 2%",
        "Researchers warned that a single bleaching summer could undo the gains.",
    ]


def test_ninjs2_fields_are_read() -> None:
    [article] = parse_fixture(NINJS2)
    assert article.story_id == "pacificdesk:news-text-20260411-reef-survey"
    assert article.version == 3
    assert article.byline == "Tom Hale and Priya Nair"
    assert article.language == "en-AU"
    assert article.genre == "Actuality"
    assert article.urgency == Urgency(value=6, source_value="6")
    assert [s.code for s in article.source_subjects] == [
        "medtop:06000000",
        "http://cv.example.org/topics/reef-science",
        "MARINE",
    ]


def test_main_headline_is_chosen_by_role() -> None:
    item = {
        "uri": "u:1",
        "headlines": [{"role": "sub", "value": "Sub"}, {"role": "main", "value": "Main"}],
        "bodies": [{"value": "Text."}],
    }
    [article] = parse_json(item)
    assert article.headline == "Main"


# ------------------------------------------------------------------------- ninjs 3.x


def test_ninjs3_item_maps_camel_case_fields() -> None:
    [article] = parse_fixture(NINJS3)
    assert article.headline == "Höchste Lawinenwarnstufe in drei Tälern"
    assert article.language == "de"
    assert article.byline == "Anna Gruber"
    assert article.published_at == datetime(2026, 5, 2, 5, 42, 10, tzinfo=UTC)
    assert article.published_offset == "+02:00"
    assert article.copyright is not None
    assert article.copyright.notice == "© 2026 Alpenpresse"
    assert article.editorial_notes == ["Sperrfrist 10.00 Uhr beachten."]
    assert article.genre == "Meldung"
    assert len(article.body) == 3


def test_ninjs3_embargo_is_kept_in_utc() -> None:
    [article] = parse_fixture(NINJS3)
    assert article.embargoed_until == datetime(2026, 5, 2, 8, 0, tzinfo=UTC)
    assert article.pub_status == "usable"


def test_ninjs3_subjects_keep_relevance_and_confidence_and_drop_duplicates() -> None:
    [article] = parse_fixture(NINJS3)
    assert article.source_subjects == [
        SourceSubject(
            code="medtop:03000000",
            scheme="medtop",
            name="Katastrophe und Unglück",
            relevance=90,
            confidence=75,
        ),
        SourceSubject(code="subj:06006000", scheme="subj", name="Naturgewalten", relevance=40),
    ]


@pytest.mark.parametrize(
    ("value", "expected"), [(55, 55), (0, 0), (100, 100), (0.8, 80), (101, None), (-1, None)]
)
def test_subject_relevance_outside_0_to_100_is_dropped(value: object, expected: int | None) -> None:
    item = _minimal(
        subjects=[{"uri": "http://cv.iptc.org/newscodes/mediatopic/1", "relevance": value}]
    )
    [article] = parse_json(item)
    assert article.source_subjects[0].relevance == expected


# ------------------------------------------------------------- status and embargo


@pytest.mark.parametrize(
    ("field", "value", "status", "signal"),
    [
        ("pubstatus", "withheld", "withheld", "withhold"),
        ("pubstatus", "canceled", "canceled", "kill"),
        ("pubStatus", "cancelled", "canceled", "kill"),
        ("pubstatus", "stat:withheld", "withheld", "withhold"),
    ],
)
def test_publication_status_and_its_signal(
    field: str, value: str, status: str, signal: str
) -> None:
    [article] = parse_json(_minimal(**{field: value}))
    assert article.pub_status == status
    assert signal in article.signals


def test_unknown_publication_status_is_refused_not_guessed() -> None:
    with pytest.raises(InvalidFieldError, match="pubstatus='on-hold'") as info:
        parse_json(_minimal(pubstatus="on-hold"))
    assert info.value.code == "W123"


@pytest.mark.parametrize("field", ["embargoed", "embargoedUntil"])
def test_embargo_in_either_spelling(field: str) -> None:
    [article] = parse_json(_minimal(**{field: "2026-07-01T06:00:00-04:00"}))
    assert article.embargoed_until == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)


def test_unreadable_embargo_is_refused_rather_than_ignored() -> None:
    with pytest.raises(InvalidFieldError, match="embargo"):
        parse_json(_minimal(embargoed="after the minister speaks"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, Urgency(value=1, source_value="1")), ("3", Urgency(value=3, source_value="3")),
     (12, Urgency(value=5, source_value="12")), (None, Urgency(value=5, source_value=None))],
)  # fmt: skip
def test_urgency_is_kept_on_the_1_to_9_scale_with_the_source_value(
    value: object, expected: Urgency
) -> None:
    [article] = parse_json(_minimal(urgency=value))
    assert article.urgency == expected


def test_unreadable_version_counts_as_the_first() -> None:
    [article] = parse_json(_minimal(version="draft"))
    assert article.version == 1


def test_version_query_does_not_split_a_story() -> None:
    first = _minimal(uri="https://api.example.org/content/abc?et=1", version="1")
    second = _minimal(uri="https://api.example.org/content/abc?et=2", version="2")
    [a] = parse_json(first)
    [b] = parse_json(second)
    assert a.story_id == b.story_id == "example:content-abc"


# ---------------------------------------------------------------------- packages


def test_package_without_text_yields_its_associated_text_items() -> None:
    articles = parse_fixture(NINJS3_PACKAGE)
    assert [a.headline for a in articles] == [
        "Turnout highest in two decades",
        "First-time voters speak",
    ]
    assert [a.story_id for a in articles] == [
        "wire:text-2026-06-01-turnout",
        "wire:text-2026-06-01-first-time-voters",
    ]
    assert articles[1].body == [
        "Young voters said housing costs had brought them out.",
        '"I had to vote this time," said one student.',
    ]
    assert len({a.article_id for a in articles}) == 2


def test_ninjs1_package_maps_names_to_items() -> None:
    item = {
        "uri": "u:package",
        "type": "composite",
        "associations": {
            "main": {"uri": "u:story", "headline": "Story", "body_text": "Text."},
            "pic": {"uri": "u:pic", "type": "picture", "headline": "Pic", "body_text": "x"},
        },
    }
    assert [a.headline for a in parse_json(item)] == ["Story"]


# ------------------------------------------------------------------------ refusals


def test_picture_is_not_an_article() -> None:
    item = _minimal(type="picture")
    with pytest.raises(LayoutError, match="'picture'; only text items"):
        parse_json(item)


def test_event_item_is_not_an_article() -> None:
    item = _minimal(type=None, eventDetails={"dates": {"startDate": "2026-01-01T10:00:00Z"}})
    with pytest.raises(LayoutError, match="'event'"):
        parse_json(item)


def test_package_of_pictures_says_what_it_holds() -> None:
    item = {
        "uri": "u:gallery",
        "type": "composite",
        "associations": [{"name": "a", "uri": "u:a", "type": "picture"}],
    }
    with pytest.raises(LayoutError, match=r"none of its 1 associated items \(picture\)"):
        parse_json(item)


def test_headline_without_body_is_a_layout_error() -> None:
    with pytest.raises(LayoutError, match="has a headline but no body"):
        parse_json(_minimal(body_text=None))


def test_item_without_headline_is_a_layout_error() -> None:
    with pytest.raises(LayoutError, match="no headline"):
        parse_json(_minimal(headline=None))


def test_json_that_is_not_a_news_item_is_unsupported() -> None:
    with pytest.raises(UnsupportedJsonError, match="neither a ninjs item") as info:
        parse_json({"temperature": 21.5, "unit": "C"}, hint="ninjs")
    assert info.value.code == "W121"


def test_ap_response_sent_as_ninjs_points_at_the_ap_hint() -> None:
    with pytest.raises(UnsupportedJsonError, match="'ap-media'"):
        parse_json({"data": {"items": []}}, hint="ninjs")
