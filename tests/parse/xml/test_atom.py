"""Atom feeds with one story per entry, the story in the sender's elements or in <content>."""

from __future__ import annotations

import pytest

from streams.parse import LayoutError
from streams.parse.formats import detect
from tests.parse.xml.xmlwires import fixture, parse

FEED = "atom_entertainment_feed.xml"
ATOM = "http://www.w3.org/2005/Atom"


def test_every_entry_becomes_an_article() -> None:
    articles = parse(fixture(FEED))
    assert [a.headline for a in articles] == [
        "Invented band announces farewell tour",
        "Film festival adds a late-night strand",
    ]
    assert {a.source_format for a in articles} == {"atom"}
    assert len({a.story_id for a in articles}) == 2


def test_story_in_namespaced_elements_opens_with_the_first_line_sent_apart() -> None:
    first = parse(fixture(FEED))[0]
    assert first.body == [
        "The Paper Lanterns, a band made up for this test, will play their last shows this autumn.",
        "The group said on Tuesday the tour would take in twelve cities.",
        "Tickets go on sale next week.",
    ]
    assert first.source_item_id == "1001"
    assert first.published_at is not None and first.published_at.minute == 40


def test_escaped_html_content_and_its_dateline() -> None:
    second = parse(fixture(FEED))[1]
    assert second.body[0] == "An invented film festival will add late-night screenings this year."
    assert second.dateline is not None and second.dateline.cities == ["LOS ANGELES"]


def test_headline_only_in_the_senders_namespace() -> None:
    feed = (
        f'<feed xmlns="{ATOM}" xmlns:x="urn:example:x"><entry><id>e1</id>'
        "<x:meta><x:headline>Harbour reopens</x:headline></x:meta>"
        "<x:story>The harbour reopened on Monday.</x:story></entry></feed>"
    )
    [article] = parse(feed)
    assert article.headline == "Harbour reopens"
    assert article.body == ["The harbour reopened on Monday."]


def test_an_entry_without_text_is_refused_with_its_position() -> None:
    feed = f'<feed xmlns="{ATOM}"><entry><title>Only a title</title></entry></feed>'
    with pytest.raises(LayoutError, match="entry 1 has no text"):
        parse(feed)


def test_atom_is_detected_and_rss_is_not_taken_for_it() -> None:
    assert detect(fixture(FEED)).name == "atom"
    assert detect(b'<rss version="2.0"><channel/></rss>').name != "atom"
