"""Real agency layouts in ANPA-1312 (AP) and IPTC 7901 (dpa), on invented stories.

Each fixture follows a layout seen on the wires: AP's keyword echo spelled out,
photo and editor's notes, "=" line ends, News Alerts, headline packages, tables;
dpa's multi-line heading blocks with service markers, bylines and the English
service's Notebook.
"""

from __future__ import annotations

from tests.parse.text_formats.wires import fixture, parse_fixture, parse_one


def test_anpa_spelled_out_keyword_echo_is_not_the_headline() -> None:
    article = parse_fixture("anpa_ap_crane_echo_spaced.bin")
    assert article.headline == "Crane topples at Oakbridge harbor; no one hurt"
    assert article.byline == "MARTA QUILL"
    assert article.version == 2
    assert article.editorial_notes == [
        "AP Photo MDOB101, MDOB102",
        "Updates with harbor master quote. With AP Photos.",
    ]
    assert article.dateline is not None and article.dateline.cities == ["OAKBRIDGE, Md."]
    assert article.body[0].startswith("A loading crane toppled onto an empty pier")
    assert article.body[-1] == "Crews expect to clear the pier by the weekend."


def test_anpa_news_alert_text_is_headline_and_body() -> None:
    article = parse_fixture("anpa_ap_news_alert.bin")
    alert = "Town library forgives 40 years of overdue fines, librarian says."
    assert article.headline == alert
    assert article.body == [alert]
    assert article.version == 0
    assert article.dateline is not None and article.dateline.cities == ["MILLBROOK, Vt."]
    # Alerts share one keyword; the story id must not join unrelated alerts.
    assert "apnewsalert" not in article.story_id


def test_anpa_headline_package_is_a_list_of_items() -> None:
    # The keyword is squeezed ("AP-Top-Harbour-News-Hea") and a format code opens the text.
    article = parse_fixture("anpa_ap_top_headlines.bin")
    assert article.headline == "AP Top Harbour News at 9:12 a.m. EST"
    assert article.body == [
        "Crane topples at Oakbridge harbor; no one hurt",
        "Town library forgives 40 years of late fees",
        "Ferry operator halves winter crossings",
        "Tidal power plant opens in port city",
    ]


def test_anpa_table_without_a_title_line_is_named_by_its_keyword() -> None:
    article = parse_fixture("anpa_ap_tides_table_no_title.bin")
    assert article.headline == "Harbour Tides-Metric"
    assert article.dateline is not None and article.dateline.cities == ["OAKBRIDGE"]
    assert article.body[-1] == "South Pier;3.9;0.7"


def test_anpa_table_title_lines_ending_in_equals_sign() -> None:
    article = parse_fixture("anpa_ap_regatta_table.bin")
    assert article.headline == "Harbor Regatta Results"
    assert article.byline == "The Associated Press"
    assert article.body == [
        "Dinghy: 1. Gull, 42:10; 2. Tern, 42:55",
        "Keelboat: 1. Osprey, 1:02:30; 2. Heron, 1:04:01",
    ]


def test_dpa_english_heading_block_with_markers_and_byline() -> None:
    article = parse_fixture("dpa_en_refile_lead_byline.bin")
    assert article.headline == "Winter ferry timetable halved on the invented Irish Sea route"
    assert article.byline == "dpa correspondents"
    assert article.version == 2
    assert article.slug == "Harbour/ferries/Wales"
    assert article.dateline is not None
    assert (article.dateline.cities, article.dateline.agency) == (["Holyhead"], "dpa")
    assert article.body[-1] == "The route will return to four crossings in April."
    assert not any(p.startswith(("#", "*")) for p in article.body)
    assert article.published_at is not None and article.published_at.hour == 15


def test_dpa_eil_marker_and_wrapped_two_line_headline() -> None:
    article = parse_fixture("dpa_de_eil_two_line_heading.bin")
    assert article.headline == "Lokführer streiken ab Montag im gesamten Fernverkehr"
    assert article.version == 0
    assert article.dateline is not None and article.dateline.cities == ["Frankfurt/Main"]


def test_dpa_zusammenfassung_block_keeps_the_subtitle_apart() -> None:
    article = parse_fixture("dpa_de_zusammenfassung_block.bin")
    assert article.headline == "Kongress einigt sich auf Übergangshaushalt"
    assert "Deck: Regierung bleibt bis März finanziert" in article.editorial_notes
    assert article.byline == "Anna Beispiel"
    assert article.version == 2
    assert article.dateline is not None
    assert (article.dateline.cities, article.dateline.agency) == (["Washington"], "dpa")


def test_dpa_extra_marker_is_not_part_of_the_headline() -> None:
    article = parse_fixture("dpa_de_extra_marker.bin")
    assert article.headline == "Hafen meldet Rekordumschlag"
    assert article.body[0].startswith("Der erfundene Hafen")


def test_every_new_fixture_parses_through_detection() -> None:
    for name in (
        "anpa_ap_crane_echo_spaced.bin",
        "anpa_ap_news_alert.bin",
        "anpa_ap_top_headlines.bin",
        "dpa_en_refile_lead_byline.bin",
    ):
        assert parse_one(fixture(name)).source_format in ("anpa-1312", "iptc-7901")
