"""Datelines: city lists, dates, agencies and the dash styles wires use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from schemas.article import Dateline
from streams.parse.dateline import (
    Zone,
    find_release_time,
    parse_dateline,
    split_dateline,
    zone_offset,
)


@pytest.mark.parametrize(
    ("paragraph", "cities", "date_text", "agency", "rest"),
    [
        (
            "BEIJING/SEOUL, Sept. 3 (Yonhap) -- North Korean leader spoke.",
            ["BEIJING", "SEOUL"],
            "Sept. 3",
            "Yonhap",
            "North Korean leader spoke.",
        ),
        ("SEOUL, Jan. 2 (Yonhap) -- Exports rose.", ["SEOUL"], "Jan. 2", "Yonhap", "Exports rose."),
        ("WASHINGTON (AP) — The Senate voted.", ["WASHINGTON"], None, "AP", "The Senate voted."),
        ("PARIS, 3 March (AFP) - Strikes spread.", ["PARIS"], "3 March", "AFP", "Strikes spread."),
        (
            "LONDON, March 4 (Reuters) – Shares fell.",
            ["LONDON"],
            "March 4",
            "Reuters",
            "Shares fell.",
        ),
        (
            "NEW YORK, Dec. 31, 2025 (AP) -- Stocks closed.",
            ["NEW YORK"],
            "Dec. 31, 2025",
            "AP",
            "Stocks closed.",
        ),
        (
            "SÃO PAULO, May 1 (AFP) -- Workers marched.",
            ["SÃO PAULO"],
            "May 1",
            "AFP",
            "Workers marched.",
        ),
        ("SEOUL, Jan. 2 (Yonhap)--Exports rose.", ["SEOUL"], "Jan. 2", "Yonhap", "Exports rose."),
    ],
)
def test_dateline_variants_are_split_off(
    paragraph: str, cities: list[str], date_text: str | None, agency: str, rest: str
) -> None:
    found = parse_dateline(paragraph)
    assert found is not None
    assert found.dateline == Dateline(cities=cities, date_text=date_text, agency=agency)
    assert found.rest == rest


def test_dateline_on_its_own_leaves_empty_rest() -> None:
    found = parse_dateline("SEOUL, Jan. 2 (Yonhap) --")
    assert found is not None
    assert found.rest == ""


@pytest.mark.parametrize(
    "paragraph",
    [
        "North Korean leader Kim Jong-un stood at the parade.",
        "US - China talks resume in Geneva.",
        "Seoul, Jan. 2 (Yonhap) -- lower-case city is not a dateline.",
        "SEOUL, Jan. 2 -- no agency given.",
        "SEOUL, Jan. 2 (Yonhap) no dash after the agency.",
        "G20, Jan. 2 (AP) -- digits are not a city.",
        "",
    ],
)
def test_text_that_is_not_a_dateline_is_left_alone(paragraph: str) -> None:
    assert parse_dateline(paragraph) is None


@pytest.mark.parametrize(
    ("paragraph", "cities", "agency", "rest"),
    [
        (
            "PYONGYANG, North Korea (AP) _ Leader spoke.",
            ["PYONGYANG, North Korea"],
            "AP",
            "Leader spoke.",
        ),
        ("Berlin (dpa) - Das Kabinett tagte.", ["Berlin"], "dpa", "Das Kabinett tagte."),
        (
            "Frankfurt/Main (dpa-AFX) - Der Dax stieg.",
            ["Frankfurt/Main"],
            "dpa-AFX",
            "Der Dax stieg.",
        ),
        ("Berlin/Brüssel (dpa) - Gipfel.", ["Berlin", "Brüssel"], "dpa", "Gipfel."),
        ("Rio de Janeiro (AFP) - Karneval.", ["Rio de Janeiro"], "AFP", "Karneval."),
    ],
)
def test_region_underscore_dash_and_title_case_agencies(
    paragraph: str, cities: list[str], agency: str, rest: str
) -> None:
    found = parse_dateline(paragraph)
    assert found is not None
    assert found.dateline == Dateline(cities=cities, date_text=None, agency=agency)
    assert found.rest == rest


def test_korean_dateline_names_city_agency_and_reporter() -> None:
    found = parse_dateline("(부산=연합뉴스) 한지우 기자 = 부산항 파업이 이어졌다.")
    assert found is not None
    assert found.dateline == Dateline(cities=["부산"], date_text=None, agency="연합뉴스")
    assert (found.reporter, found.rest) == ("한지우", "부산항 파업이 이어졌다.")


def test_korean_dateline_without_reporter() -> None:
    found = parse_dateline("(워싱턴=연합뉴스) 미국 정부는 밝혔다.")
    assert found is not None
    assert (found.dateline.cities, found.reporter, found.rest) == (
        ["워싱턴"],
        None,
        "미국 정부는 밝혔다.",
    )


@pytest.mark.parametrize(
    "paragraph",
    [
        "Seoul (Yonhap) -- title case is only accepted from German-language agencies.",
        "WASHINGTON, lawmakers said (AP) — not a region.",
        "(참고) 이것은 날짜 기사가 아니다.",
        "(this is) an aside.",
    ],
)
def test_lookalikes_of_the_new_shapes_are_left_alone(paragraph: str) -> None:
    assert parse_dateline(paragraph) is None


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("For release at 12:01 a.m. EDT Sunday, Oct. 19, 2025.", datetime(2025, 10, 19, 4, 1)),
        ("HOLD FOR RELEASE 6 p.m. EDT", datetime(2025, 10, 14, 22, 0)),
        ("Embargoed until 1800 GMT", datetime(2025, 10, 14, 18, 0)),
        ("Advance for use Sunday, Oct. 19", datetime(2025, 10, 19, 4, 0)),
        ("Advance for Jan. 2", datetime(2026, 1, 2, 5, 0)),
        ("Sperrfrist: 15. Oktober 2025, 10.00 Uhr", datetime(2025, 10, 15, 14, 0)),
        ("Sperrfrist 15.10.2025 10:00 Uhr MESZ", datetime(2025, 10, 15, 8, 0)),
    ],
)
def test_release_times_in_embargo_notes(note: str, expected: datetime) -> None:
    found = find_release_time(note, reference=date(2025, 10, 14), zone="us-eastern")
    assert found == expected.replace(tzinfo=UTC)


def test_release_note_without_date_or_time_is_none() -> None:
    assert find_release_time("HOLD FOR RELEASE", reference=date(2025, 10, 14)) is None
    assert find_release_time("filed in 2025 at last", reference=date(2025, 10, 14)) is None


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        ("us-eastern", date(2025, 3, 8), -5),
        ("us-eastern", date(2025, 3, 9), -4),
        ("us-eastern", date(2025, 11, 2), -5),
        ("central-europe", date(2025, 3, 29), 1),
        ("central-europe", date(2025, 3, 30), 2),
        ("central-europe", date(2025, 10, 26), 1),
        ("kst", date(2025, 7, 1), 9),
    ],
)
def test_summer_time_rules_of_the_wire_home_zones(zone: Zone, day: date, hours: int) -> None:
    assert zone_offset(zone, day).utcoffset(None) == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("text", "cities", "date_text", "agency", "rest"),
    [
        ("Washington (dpa) - Der Kongress", ["Washington"], None, "dpa", "Der Kongress"),
        ("San Diego (tca/dpa) - History says", ["San Diego"], None, "tca/dpa", "History says"),
        ("Quito, 4 feb (EFE).- El Gobierno", ["Quito"], "4 feb", "EFE", "El Gobierno"),
        ("Esmeraldas (Ecuador), 4 feb (EFE).- El", ["Esmeraldas"], "4 feb", "EFE", "El"),
        ("(ANSA) - Rome, March 3 - The council", ["Rome"], "March 3", "ANSA", "The council"),
        ("(ANSA) - ROMA, 03 MAR - Il governo", ["ROMA"], "03 MAR", "ANSA", "Il governo"),
        ("SYDNEY, March 3 AAP - Shares rose", ["SYDNEY"], "March 3", "AAP", "Shares rose"),
        ("TOKYO, March 3 (Reuters) - Japan's", ["TOKYO"], "March 3", "Reuters", "Japan's"),
    ],
)
def test_agency_dateline_variants(
    text: str, cities: list[str], date_text: str | None, agency: str, rest: str
) -> None:
    found = parse_dateline(text)
    assert found is not None
    assert found.dateline.cities == cities
    assert found.dateline.date_text == date_text
    assert found.dateline.agency == agency
    assert found.rest == rest


@pytest.mark.parametrize(
    "text",
    [
        "US - China talks resume",
        "SYDNEY SHARES - AAP",
        "(Updates with quotes) - The council",
        "Markets AAP - closed",
    ],
)
def test_lookalikes_are_not_datelines(text: str) -> None:
    assert parse_dateline(text) is None


def test_dateline_after_bullet_points_is_split_off_and_bullets_kept() -> None:
    dateline, rest = split_dateline(
        ["* Stocks fall", "* Yen firm", "TOKYO (Reuters) - Shares fell."]
    )
    assert dateline is not None and dateline.cities == ["TOKYO"]
    assert rest == ["* Stocks fall", "* Yen firm", "Shares fell."]


@pytest.mark.parametrize(
    ("text", "cities", "agency", "rest"),
    [
        ("(Sports Network) - A pair of teams", [], "Sports Network", "A pair of teams"),
        ("(美國商業資訊)--為透明及軟性導體", [], "美國商業資訊", "為透明及軟性導體"),
        ("(New York, NY - October 21) Et, sent", ["New York, NY"], None, "Et, sent"),
    ],
)
def test_datelines_without_a_city_or_in_parentheses(
    text: str, cities: list[str], agency: str | None, rest: str
) -> None:
    found = parse_dateline(text)
    assert found is not None
    assert (found.dateline.cities, found.dateline.agency, found.rest) == (cities, agency, rest)


@pytest.mark.parametrize(
    "text", ["(Updates with quotes) - The council", "(see below) -- more", "(Reuters graphic) text"]
)
def test_editors_asides_in_parentheses_are_not_datelines(text: str) -> None:
    assert parse_dateline(text) is None


@pytest.mark.parametrize(
    ("text", "agency"),
    [("SEOUL, Nov 26 AFP - Samsung said", "AFP"), ("LONDON, Jan 5 Reuters - Shares", "Reuters")],
)
def test_partner_agencies_written_bare_after_a_city_in_capitals(text: str, agency: str) -> None:
    found = parse_dateline(text)
    assert found is not None and found.dateline.agency == agency


def test_a_bare_agency_needs_a_city_in_capitals() -> None:
    assert parse_dateline("Markets AFP - closed higher") is None
    assert parse_dateline("Shares in Reuters - owner fell") is None
