"""AAP's ZCZC layout and AAP MediaNet releases inside it (invented stories)."""

from __future__ import annotations

import pytest

from streams.parse import LayoutError
from streams.parse.agency.zczc import looks_like_zczc, read_header
from streams.parse.formats import detect
from tests.parse.text_formats.wires import fixture, parse_bytes, parse_fixture


def test_zczc_news_reads_headline_byline_aap_dateline_and_signoff() -> None:
    article = parse_fixture("aap_zczc_news.txt")
    assert article.source_format == "aap-zczc"
    assert article.headline == "Ferry operator halves winter crossings to Tasmania"
    assert article.byline == "Kate Marlow"
    assert article.slug == "Harbour-Ferries"
    assert article.dateline is not None
    assert (article.dateline.cities, article.dateline.agency) == (["HOBART"], "AAP")
    assert article.body[0].startswith("An invented ferry operator will run two crossings a week")
    assert article.body[-1] == "The route returns to four crossings in September."
    assert article.editorial_notes == ["AAP km/jd"]


def test_medianet_release_headline_is_its_first_line_and_issuer_its_author() -> None:
    article = parse_fixture("aap_zczc_medianet.txt")
    assert article.headline == "Media release: Harbour dredging finishes two weeks early"
    assert article.source_agency == "Example Harbour Authority"
    assert article.genre == "press-release"
    assert article.source_item_id == "912345"
    assert article.body[0].startswith("The Example Harbour Authority, invented for this test")
    assert article.body[-1] == "Ships of up to 300 metres can now use the channel at any tide."
    assert "SOURCE: Example Harbour Authority" in article.editorial_notes


@pytest.mark.parametrize("name", ["aap_zczc_news.txt", "aap_zczc_medianet.txt"])
def test_zczc_is_detected_before_plain_text(name: str) -> None:
    assert detect(fixture(name)).name == "aap-zczc"


def test_two_messages_in_one_wire_are_two_articles() -> None:
    wire = fixture("aap_zczc_news.txt") + fixture("aap_zczc_medianet.txt")
    articles = parse_bytes(wire)
    assert [a.source_format for a in articles] == ["aap-zczc", "aap-zczc"]
    assert articles[0].article_id != articles[1].article_id


def test_zczc_without_text_is_refused_with_a_reason() -> None:
    with pytest.raises(LayoutError, match="no headline"):
        parse_bytes("ZCZC AAP\n$A\n:Empty\nNNNN\n")


def test_header_fields() -> None:
    header, rest = read_header(["%MNETALL MGD", "$J", ":", ":Issuer Ltd", "*T", "Text"])
    assert header.medianet and header.tabular
    assert header.issuer == "Issuer Ltd"
    assert rest == ["Text"]
    assert not looks_like_zczc("Some story about ZCZC codes")
