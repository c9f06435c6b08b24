"""Datelines: city lists, dates, agencies and the dash styles wires use."""

from __future__ import annotations

import pytest

from schemas.article import Dateline
from streams.parse.dateline import parse_dateline


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
