"""Headlines, datelines and bylines where agencies put them in NITF and NewsML-G2.

Each fixture is invented text in the layout one agency uses (EFE, AP's Media
API, PA, Reuters market wraps, ANSA).
"""

from __future__ import annotations

import pytest

from tests.parse.xml.xmlwires import fixture, parse_one


def test_efe_nitf_takes_the_city_from_the_lead_not_from_the_story_date() -> None:
    article = parse_one(fixture("nitf_efe_evloc.xml"))
    assert article.dateline is not None
    assert article.dateline.cities == ["Esmeraldas"]
    assert article.dateline.agency == "EFE"
    assert article.body[0].startswith("El muelle inventado de Punta Gris")


def test_efe_nitf_without_a_lead_dateline_falls_back_to_the_event_location() -> None:
    article = parse_one(fixture("nitf_efe_no_lead_dateline.xml"))
    assert article.dateline is not None
    assert article.dateline.cities == ["Cuenca"]
    assert article.body[0].startswith("Las lluvias de esta semana")


def test_ap_media_nitf_headline_is_not_the_keyword_hl1() -> None:
    article = parse_one(fixture("nitf_ap_media_keyword_hl1.xml"))
    assert article.headline == "Crane topples at Oakbridge harbor; no one hurt"
    assert article.body[0].startswith("A loading crane toppled")
    assert article.dateline is not None and article.dateline.cities == ["OAKBRIDGE, Md."]
    assert article.byline == "MARTA QUILL"


def test_ap_media_nitf_prefers_the_hl1_marked_headline() -> None:
    article = parse_one(fixture("nitf_ap_media_two_hl1.xml"))
    assert article.headline == "Town library forgives 40 years of late fees"
    assert not any(p.startswith("BC-") for p in article.body)


def test_pa_nitf_reads_the_byline_paragraph_and_the_dateline_location() -> None:
    article = parse_one(fixture("nitf_pa_byline_location.xml"))
    assert article.byline == "Owen Pryce, PA Wales Correspondent"
    assert article.dateline is not None and article.dateline.cities == ["Holyhead"]
    assert article.body[0].startswith("An invented ferry operator")


def test_market_wrap_dateline_is_found_after_the_bullets_and_byline() -> None:
    article = parse_one(fixture("g2_market_wrap_bullets.xml"))
    assert article.dateline is not None
    assert (article.dateline.cities, article.dateline.agency) == (["TOKYO"], "Reuters")
    assert article.byline == "Aiko Morrow"
    # The bullets are the story's summary and stay; the dateline leaves the paragraph.
    assert article.body[:3] == [
        "* Nikkei down 0.8%, Topix off 0.5%",
        "* Exporters lead losses as yen firms",
        "Tokyo shares slipped on Tuesday in this invented market report, as a firmer yen "
        "weighed on exporters.",
    ]


def test_byline_paragraph_above_the_dateline_is_the_byline() -> None:
    article = parse_one(fixture("g2_lead_byline_dateline.xml"))
    assert article.byline == "Lena Ortiz and Sam Whitlow"
    # A timestamp in <dateline> names no place; the lead's city beats <located>.
    assert article.dateline is not None and article.dateline.cities == ["SEOUL"]
    assert article.body[0].startswith("A port city switched on")


def test_ansa_agency_first_dateline_and_indented_plain_text_paragraphs() -> None:
    article = parse_one(fixture("g2_ansa_located.xml"))
    assert article.dateline is not None
    assert (article.dateline.cities, article.dateline.agency) == (["Rome"], "ANSA")
    assert article.body == [
        "The city council of this invented story said on Tuesday it would plant a thousand "
        "trees along the ring road.",
        "Work is to start in April, the council said.",
    ]


@pytest.mark.parametrize(
    "name",
    ["nitf_harbour_v1.xml", "g2_wildfire_v1.xml"],
)
def test_a_byline_line_is_taken_only_when_a_story_follows(name: str) -> None:
    # The existing fixtures have no byline paragraph: their bodies keep every paragraph.
    article = parse_one(fixture(name))
    assert article.body and not article.body[0].startswith("By ")


def test_reuters_update_prefix_is_a_version_tag_and_a_date_only_dateline_is_taken_off() -> None:
    article = parse_one(fixture("g2_results_update_prefix.xml"))
    assert article.headline == "Harbour Regatta Results"
    assert article.version_tags == ["UPDATE 2"]
    assert article.dateline is not None
    assert (article.dateline.cities, article.dateline.agency) == ([], "Example")
    assert article.body[0].startswith("Results of the invented harbour regatta")


def test_aap_nitf_desk_prefix_off_the_headline_and_a_bare_partner_dateline() -> None:
    article = parse_one(fixture("nitf_aap_desk_prefix.xml"))
    assert article.headline == "Hooker returns for Harbour City derby"
    assert article.dateline is not None
    assert (article.dateline.cities, article.dateline.agency) == (["Sydney"], "AFP")
    assert article.body[0].startswith("An invented hooker is back")


def test_dpa_g2_xhtml_header_is_not_body_text() -> None:
    article = parse_one(fixture("g2_dpa_xhtml_header.xml"))
    assert article.headline == "Hafen meldet Rekordumschlag im Februar"
    assert article.body == [
        "Der erfundene Hafen dieser Meldung hat im Februar so viele Container umgeschlagen "
        "wie nie.",
        "Im März soll es so weitergehen, hieß es.",
    ]
    assert article.dateline is not None
    assert (article.dateline.cities, article.dateline.agency) == (["Hamburg"], "dpa")


def test_ap_media_nitf_named_only_by_its_keyword() -> None:
    article = parse_one(fixture("nitf_ap_media_keyword_only.xml"))
    assert article.headline == "Regatta Standings"
    assert article.body[0] == "HARBOUR REGATTA STANDINGS"


def test_aap_desk_signoff_is_not_the_last_paragraph() -> None:
    article = parse_one(fixture("nitf_aap_desk_prefix.xml"))
    assert article.body[-1] == "The club, also invented, made two other changes."
