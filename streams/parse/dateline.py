"""Recognising the dateline that opens a wire story.

Shapes handled (any of ``--``, ``-``, en dash, em dash after the agency)::

    BEIJING/SEOUL, Sept. 3 (Yonhap) -- North Korean leader ...
    SEOUL, Jan. 2 (Yonhap) -- ...
    WASHINGTON (AP) — ...
    PARIS, 3 March (AFP) - ...

The agency in parentheses is required: without it an upper-case lead-in such
as ``US - China talks`` would be mistaken for a dateline.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from schemas.article import Dateline

# Bounded, mutually exclusive character classes keep this regex linear even on
# hostile input (the parser runs on whatever a sender pushes to the topic).
_DATELINE_RE = re.compile(
    r"""
    ^
    (?P<cities>[^,()\n]{1,100}?)\s*
    (?:,\s*(?P<date>[^()\n]{1,40}?)\s*)?
    \(\s*(?P<agency>[^()\n]{1,40}?)\s*\)\s*
    (?:--|[-\u2010-\u2015])
    [ \t]*
    """,
    re.VERBOSE,
)

_MAX_CITY_CHARS = 40


class DatelineMatch(NamedTuple):
    """A dateline found at the start of a paragraph, and the paragraph without it."""

    dateline: Dateline
    rest: str


def parse_dateline(paragraph: str) -> DatelineMatch | None:
    """Split a leading dateline off ``paragraph``; ``None`` when it does not start with one.

    ``rest`` is the paragraph text after the dash, left-trimmed; it may be empty
    when the dateline stands on a line of its own.
    """
    paragraph = paragraph.lstrip()
    match = _DATELINE_RE.match(paragraph)
    if match is None:
        return None
    cities = [city.strip() for city in match["cities"].split("/")]
    if not cities or not all(_is_city(city) for city in cities):
        return None
    agency = match["agency"]
    if not any(c.isalpha() for c in agency):
        return None
    date_text = match["date"]
    dateline = Dateline(cities=cities, date_text=date_text or None, agency=agency)
    return DatelineMatch(dateline=dateline, rest=paragraph[match.end() :].strip())


def _is_city(text: str) -> bool:
    # Datelines print cities in capitals ("NEW YORK", "ST. LOUIS", "SÃO PAULO");
    # requiring that is what tells them from an ordinary sentence opening.
    return (
        0 < len(text) <= _MAX_CITY_CHARS
        and any(c.isalpha() for c in text)
        and text == text.upper()
        and text != text.lower()
        and not any(c.isdigit() for c in text)
    )


__all__ = ["DatelineMatch", "parse_dateline"]


def split_dateline(paragraphs: list[str]) -> tuple[Dateline | None, list[str]]:
    """Take the dateline off the first paragraph: (dateline or None, remaining paragraphs).

    A first paragraph that was nothing but the dateline disappears.
    """
    if not paragraphs:
        return None, paragraphs
    found = parse_dateline(paragraphs[0])
    if found is None:
        return None, paragraphs
    rest = [found.rest, *paragraphs[1:]] if found.rest else paragraphs[1:]
    return found.dateline, rest
