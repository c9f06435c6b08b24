"""The format-neutral story helpers every parser family shares."""

from __future__ import annotations

import subprocess
import sys

import pytest

from streams.parse.story import finish_body


def test_finish_body_drops_rules_the_repeated_headline_and_a_signoff() -> None:
    dateline, body = finish_body(
        [
            "Storm closes airport",
            "MIAMI, Aug. 2 (Northwind) -- The airport closed.",
            "___",
            "Flights resume Friday.",
            "jd/ab-cd",
        ],
        headline="Storm closes airport",
    )
    assert dateline is not None and dateline.cities == ["MIAMI"]
    assert body == ["The airport closed.", "Flights resume Friday."]


@pytest.mark.parametrize(
    ("module", "not_loaded"),
    [
        ("streams.parse.story", ("defusedxml", "orjson")),
        ("streams.parse.json.ninjs", ("defusedxml",)),
        ("streams.parse.json.apmedia", ("defusedxml",)),
        ("streams.parse.xml.nitf", ("orjson",)),
        ("streams.parse.xml.newsmlg2", ("orjson",)),
        ("streams.parse.xml.newsml12", ("orjson",)),
    ],
)
def test_a_parser_family_does_not_load_the_other_familys_library(
    module: str, not_loaded: tuple[str, ...]
) -> None:
    # A fresh interpreter: this test process has long imported every parser.
    code = f"import sys, {module}; print(' '.join(m for m in {not_loaded!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
