"""Recognising the dateline that opens a wire story, and the dates wire copy writes out.

Shapes handled (any of ``--``, ``-``, en dash, em dash, or AP's teletype ``_``
after the agency)::

    BEIJING/SEOUL, Sept. 3 (Yonhap) -- North Korean leader ...
    SEOUL, Jan. 2 (Yonhap) -- ...
    WASHINGTON (AP) — ...
    PYONGYANG, North Korea (AP) _ ...       region kept with the city
    PARIS, 3 March (AFP) - ...
    Berlin (dpa) - ...                      title case: German-language agencies only
    (서울=연합뉴스) 김하늘 기자 = ...          Korean: city=agency, then the reporter

The agency in parentheses is required: without it an upper-case lead-in such
as ``US - China talks`` would be mistaken for a dateline.

The second half reads release times out of embargo notes ("For release
Sunday, Sept. 28, 2025, at 12:01 a.m. EDT", "Sperrfrist: 12. März, 10.00 Uhr").
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Literal, NamedTuple

from schemas.article import Dateline

# Bounded, mutually exclusive character classes keep this regex linear even on
# hostile input (the parser runs on whatever a sender pushes to the topic).
_DATELINE_RE = re.compile(
    r"""
    ^
    (?P<cities>[^,()\n]{1,100}?)\s*
    (?:\((?P<country>[^()\n]{1,30})\)\s*(?=,))?
    (?:,\s*(?P<date>[^()\n]{1,40}?)\s*)?
    \(\s*(?P<agency>[^()\n]{1,40}?)\s*\)\.?\s*
    (?:--|[-\u2010-\u2015]|_(?=[ \t]|$))
    [ \t]*
    """,
    re.VERBOSE,
)
# ANSA's English service names the agency first: "(ANSA) - Rome, October 11 - ...".
_AGENCY_FIRST_RE = re.compile(
    r"""
    ^\(\s*(?P<agency>[A-Za-z][A-Za-z./-]{1,20})\s*\)\s*(?:--|[-\u2010-\u2015])[ \t]*
    (?P<cities>[^\W\d_][^,()\n\u2010-\u2015-]{0,59}?)[ \t]*
    (?:,[ \t]*(?P<date>[^()\n\u2010-\u2015-]{1,40}?)[ \t]*)?
    (?:--|[-\u2010-\u2015])[ \t]+
    """,
    re.VERBOSE,
)
# No place, only the agency: "(Sports Network) - ...", Business Wire's "(美國商業資訊)--".
# A parenthesis before a dash is often an editor's aside ("(Updates with quotes) - "),
# so the agency must read as one: a name with an agency word, or the "--" BW uses.
_AGENCY_ONLY_RE = re.compile(
    r"^\(\s*(?P<agency>[^()\n]{2,30}?)\s*\)[ \t]*(?P<dash>--|[-\u2010-\u2015])[ \t]*"
)
_AGENCY_WORDS = frozenset(
    {"news", "network", "press", "agency", "wire", "service", "newswire", "presse", "agencia"}
)
# A place and date in parentheses opening the text: "(New York, NY - October 21) ...".
_PARENTHESISED_RE = re.compile(
    r"^\((?P<cities>[^()\n\u2010-\u2015-]{2,60}?)[ \t]+[-\u2010-\u2015][ \t]+"
    r"(?P<date>[^()\n]{2,30}?)\)[ \t]+"
)
_MONTH_NAMES = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?"
_DATE_ONLY_RE = re.compile(
    rf"^(?:{_MONTH_NAMES}[ \t]+[0-9]{{1,2}}|[0-9]{{1,2}}[ \t]+{_MONTH_NAMES})$", re.IGNORECASE
)
# AAP writes agency names bare, its own and its partners': "SYDNEY, March 3 AAP - ...",
# "SEOUL, Nov 26 AFP - ...". Only the agencies listed here may stand bare, after a city in
# capitals, or "US - China talks" would qualify.
_BARE_AGENCIES = ("AAP", "AFP", "AP", "Reuters", "dpa", "PA")
_BARE_AGENCY_RE = re.compile(
    r"""
    ^
    (?P<cities>[^,()\n]{1,100}?)[ \t]*
    (?:,[ \t]*(?P<date>[^()\n]{1,40}?)[ \t]+)?
    (?<![^\s,])(?P<agency>AAP|AFP|AP|Reuters|dpa|PA)[ \t]*
    (?:--|[-\u2010-\u2015])
    [ \t]*
    """,
    re.VERBOSE,
)
# "(서울=연합뉴스) 김하늘 기자 = 본문": city and agency share the parentheses;
# the reporter's name and title follow, closed by "=". City and agency start
# with a non-space so that "\s*" next to them cannot trade characters with them.
_KOREAN_DATELINE_RE = re.compile(
    r"""
    ^\(\s*(?P<cities>[^()=\s][^()=\n]{0,29}?)\s*=\s*(?P<agency>[^()=\s][^()=\n]{0,19}?)\s*\)[ \t]*
    (?:(?P<reporter>[^\W\d_][^=()\n]{0,40}?)[ \t]*
       (?:기자|특파원|통신원|객원기자|기자단)[ \t]*=[ \t]*)?
    """,
    re.VERBOSE,
)

_MAX_CITY_CHARS = 40
_MAX_DATELINE_CHARS = 400
_MAX_CITY_WORDS = 5

# Agencies whose German-language services write the city in title case
# ("Berlin (dpa) -"). Elsewhere a capitalised city is required, because that is
# what tells a dateline from an ordinary sentence opening.
_TITLE_CASE_AGENCIES = frozenset(
    {"dpa", "dpa-afx", "kna", "epd", "apa", "sda", "afp", "reuters", "ddp", "awp", "ansa", "efe"}
)
# Lower-case words allowed inside a title-case place name.
_PLACE_PARTICLES = frozenset({"am", "an", "de", "del", "der", "do", "da", "la", "le", "of", "on"})

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_GERMAN_MONTHS = {
    "januar": 1,
    "jänner": 1,
    "februar": 2,
    "märz": 3,
    "maerz": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "dezember": 12,
}
_WEEKDAYS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
    ]
)


class DatelineMatch(NamedTuple):
    """A dateline found at the start of a paragraph, and the paragraph without it."""

    dateline: Dateline
    rest: str
    reporter: str | None = None  # Korean datelines name the reporter: "김하늘 기자 ="


def parse_dateline(paragraph: str) -> DatelineMatch | None:
    """Split a leading dateline off ``paragraph``; ``None`` when it does not start with one.

    ``rest`` is the paragraph text after the dash, left-trimmed; it may be empty
    when the dateline stands on a line of its own.
    """
    paragraph = paragraph.lstrip()
    if paragraph.startswith("("):
        return (
            _parse_korean_dateline(paragraph)
            or _parse_agency_first(paragraph)
            or _parse_agency_only(paragraph)
            or _parse_parenthesised(paragraph)
        )
    # A dateline is short; matching only the start keeps a paragraph that opens
    # with a huge whitespace run from costing the regex a scan per city length.
    head = paragraph[:_MAX_DATELINE_CHARS]
    match = _DATELINE_RE.match(head)
    bare = False
    if match is None and any(a in head for a in _BARE_AGENCIES):
        match, bare = _BARE_AGENCY_RE.match(head), True
    if match is None:
        return None
    agency = match["agency"]
    if not any(c.isalpha() for c in agency):
        return None
    # "(tca/dpa)": a partner's story on a title-case agency's wire is written its way.
    # A bare agency name is told from a sentence only by the capitals of the city.
    title_case = not bare and any(
        part.strip().casefold() in _TITLE_CASE_AGENCIES for part in agency.split("/")
    )
    cities = [city.strip() for city in match["cities"].split("/")]
    if title_case:
        cities = _join_river_names(cities)
    if match["date"] is None and _DATE_ONLY_RE.match(match["cities"].strip()):
        # "Jan 3 (OPTA) - Results ...": a date and the agency, no place.
        dateline = Dateline(cities=[], date_text=match["cities"].strip(), agency=agency)
        return DatelineMatch(dateline=dateline, rest=paragraph[match.end() :].strip())
    if not cities or not all(_is_city(city, title_case=title_case) for city in cities):
        return None
    date_text = match["date"]
    if date_text is not None and not _is_date(date_text):
        # "PYONGYANG, North Korea (AP)": a region, written with the city it qualifies.
        if not _is_region(date_text):
            return None
        cities[-1] = f"{cities[-1]}, {date_text.strip()}"
        date_text = None
    dateline = Dateline(cities=cities, date_text=date_text or None, agency=agency)
    return DatelineMatch(dateline=dateline, rest=paragraph[match.end() :].strip())


def _parse_agency_first(paragraph: str) -> DatelineMatch | None:
    match = _AGENCY_FIRST_RE.match(paragraph[:_MAX_DATELINE_CHARS])
    if match is None:
        return None
    cities = [city.strip() for city in match["cities"].split("/")]
    if not all(_is_city(city, title_case=True) for city in cities):
        return None
    date_text = match["date"]
    if date_text is not None and not _is_date(date_text):
        return None
    dateline = Dateline(cities=cities, date_text=date_text or None, agency=match["agency"])
    return DatelineMatch(dateline=dateline, rest=paragraph[match.end() :].strip())


def _parse_agency_only(paragraph: str) -> DatelineMatch | None:
    match = _AGENCY_ONLY_RE.match(paragraph[:_MAX_DATELINE_CHARS])
    if match is None:
        return None
    agency = match["agency"].strip()
    words = {w.casefold().strip(".,") for w in agency.split()}
    is_cjk = all(not c.isascii() for c in agency if not c.isspace())
    if not (words & _AGENCY_WORDS or (match["dash"] == "--" and is_cjk)):
        return None
    dateline = Dateline(cities=[], date_text=None, agency=agency)
    return DatelineMatch(dateline=dateline, rest=paragraph[match.end() :].strip())


def _parse_parenthesised(paragraph: str) -> DatelineMatch | None:
    match = _PARENTHESISED_RE.match(paragraph[:_MAX_DATELINE_CHARS])
    if match is None or not _is_date(match["date"]):
        return None
    place = match["cities"].strip()
    first = place.split(",")[0].strip()
    if not _is_city(first, title_case=True):
        return None
    dateline = Dateline(cities=[place], date_text=match["date"].strip(), agency=None)
    return DatelineMatch(dateline=dateline, rest=paragraph[match.end() :].strip())


def _parse_korean_dateline(paragraph: str) -> DatelineMatch | None:
    match = _KOREAN_DATELINE_RE.match(paragraph[:_MAX_DATELINE_CHARS])
    if match is None:
        return None
    cities = [city.strip() for city in match["cities"].split("·") if city.strip()]
    agency = match["agency"].strip()
    if not cities or not any(c.isalpha() for c in agency):
        return None
    # Without the "=" sign between city and agency this is an ordinary parenthesis.
    if not all(0 < len(city) <= _MAX_CITY_CHARS and not city[0].isdigit() for city in cities):
        return None
    reporter = match["reporter"]
    return DatelineMatch(
        dateline=Dateline(cities=cities, date_text=None, agency=agency),
        rest=paragraph[match.end() :].strip(),
        reporter=reporter.strip() if reporter else None,
    )


# "Frankfurt/Main", "Halle/Saale": one German city named with its river, not two cities.
_RIVERS = frozenset(
    {"Main", "Oder", "Saale", "Donau", "Havel", "Lahn", "Isar", "Inn", "Fulda", "Elbe", "Ruhr"}
)


def _join_river_names(cities: list[str]) -> list[str]:
    joined: list[str] = []
    for city in cities:
        if joined and city in _RIVERS:
            joined[-1] = f"{joined[-1]}/{city}"
        else:
            joined.append(city)
    return joined


def _is_city(text: str, *, title_case: bool = False) -> bool:
    # Datelines print cities in capitals ("NEW YORK", "ST. LOUIS", "SÃO PAULO");
    # requiring that is what tells them from an ordinary sentence opening.
    if not (0 < len(text) <= _MAX_CITY_CHARS) or any(c.isdigit() for c in text):
        return False
    if not any(c.isalpha() for c in text):
        return False
    if text == text.upper() and text != text.lower():
        return True
    return title_case and _is_title_case_place(text)


def _is_title_case_place(text: str) -> bool:
    words = text.split()
    if not words or len(words) > _MAX_CITY_WORDS or not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w.casefold() in _PLACE_PARTICLES for w in words)


def _is_date(text: str) -> bool:
    if any(c.isdigit() for c in text):
        return True
    words = re.findall(r"[^\W\d_]+", text.casefold())
    return any(w in _MONTH_WORDS or w in _WEEKDAYS for w in words)


_MONTH_WORDS = frozenset(
    [
        "jan",
        "january",
        "feb",
        "february",
        "mar",
        "march",
        "apr",
        "april",
        "may",
        "jun",
        "june",
        "jul",
        "july",
        "aug",
        "august",
        "sep",
        "sept",
        "september",
        "oct",
        "october",
        "nov",
        "november",
        "dec",
        "december",
    ]
)


def _is_region(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= _MAX_CITY_WORDS
        and len(text) <= _MAX_CITY_CHARS
        and all(w[0].isupper() or w.casefold() in _PLACE_PARTICLES for w in words)
    )


def split_dateline(paragraphs: list[str]) -> tuple[Dateline | None, list[str]]:
    """Take the dateline off the first paragraph: (dateline or None, remaining paragraphs).

    Leading bullet points (``* Stocks fall``) are passed over and kept: the
    dateline then opens the first paragraph after them. A paragraph that was
    nothing but the dateline disappears.
    """
    dateline, rest, _ = split_dateline_with_reporter(paragraphs)
    return dateline, rest


def split_dateline_with_reporter(
    paragraphs: list[str],
) -> tuple[Dateline | None, list[str], str | None]:
    """:func:`split_dateline`, also returning the reporter a Korean dateline names."""
    # Market wraps open with bullet points; the dateline opens the first paragraph after them.
    at = 0
    while at < min(len(paragraphs), _MAX_LEAD_BULLETS) and _BULLET_RE.match(paragraphs[at]):
        at += 1
    if at == len(paragraphs):
        return None, paragraphs, None
    found = parse_dateline(paragraphs[at])
    if found is None:
        return None, paragraphs, None
    rest = [*paragraphs[:at], *([found.rest] if found.rest else []), *paragraphs[at + 1 :]]
    return found.dateline, rest, found.reporter


_MAX_LEAD_BULLETS = 8
_BULLET_RE = re.compile(r"^[ \t]*[*\u2022\u00b7\u25cf\u25aa\u2013-][ \t]+\S")


# ---------------------------------------------------------------------- time zones

Zone = Literal["us-eastern", "central-europe", "utc", "kst"]

_ZONE_OFFSETS = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "edt": -4,
    "est": -5,
    "cdt": -5,
    "cst": -6,
    "mdt": -6,
    "mst": -7,
    "pdt": -7,
    "pst": -8,
    "bst": 1,
    "cet": 1,
    "mez": 1,
    "cest": 2,
    "mesz": 2,
    "kst": 9,
    "jst": 9,
}


def _nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    first_sunday = first + timedelta(days=(6 - first.weekday()) % 7)
    return first_sunday + timedelta(weeks=n - 1)


def _last_sunday(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def zone_offset(zone: Zone, day: date) -> timezone:
    """UTC offset of a wire's home zone on ``day`` (US and EU summer-time rules since 2007).

    A fixed rule table instead of the tz database: the two rules wires need
    are stable, and the container may have no tz data installed.
    """
    if zone == "us-eastern":
        summer = _nth_sunday(day.year, 3, 2) <= day < _nth_sunday(day.year, 11, 1)
        return timezone(timedelta(hours=-4 if summer else -5))
    if zone == "central-europe":
        summer = _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10)
        return timezone(timedelta(hours=2 if summer else 1))
    if zone == "kst":
        return timezone(timedelta(hours=9))
    return UTC


def zone_for_abbreviation(abbreviation: str, day: date) -> timezone | None:
    """The offset a zone abbreviation on a wire stands for ("EDT", "MEZ", "ET" ...)."""
    key = abbreviation.strip().casefold()
    if key in _ZONE_OFFSETS:
        return timezone(timedelta(hours=_ZONE_OFFSETS[key]))
    if key == "et":
        return zone_offset("us-eastern", day)
    return None


def offset_text(moment: datetime | None) -> str | None:
    """The UTC offset of an aware ``moment`` as ``Article.published_offset`` writes it
    (``+09:00``, ``-04:00``); None for no moment or a naive one."""
    offset = moment.utcoffset() if moment is not None else None
    if offset is None:
        return None
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# ------------------------------------------------------------------- release times

_MONTH_NAME = r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]{0,6}\.?"
_EN_DATE_RE = re.compile(
    rf"\b{_MONTH_NAME}[ \t]{{1,3}}(?P<day>[0-9]{{1,2}})\b(?:,?[ \t]{{1,3}}(?P<year>[0-9]{{4}})\b)?",
    re.IGNORECASE,
)
_DE_DATE_RE = re.compile(
    r"\b(?P<day>[0-9]{1,2})\.[ \t]{0,3}"
    r"(?:(?P<month_num>[0-9]{1,2})\.|(?P<month_name>[A-Za-zäÄ]{3,9}))"
    r"(?:[ \t]{0,3}(?P<year>[0-9]{4}|[0-9]{2})\b)?",
)
_EN_TIME_RE = re.compile(
    r"\b(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?[ \t]{0,2}"
    r"(?P<ampm>a\.?[ \t]?m\b\.?|p\.?[ \t]?m\b\.?)"
    r"|\b(?P<noon>noon|midnight)\b",
    re.IGNORECASE,
)
_DE_TIME_RE = re.compile(r"\b(?P<hour>[0-9]{1,2})[.:](?P<minute>[0-9]{2})[ \t]{0,2}Uhr\b")
_ZONE_NAMES = r"UTC|GMT|EDT|EST|CDT|CST|MDT|MST|PDT|PST|BST|CET|CEST|MEZ|MESZ|KST|JST|ET"
_ZONE_RE = re.compile(rf"\b(?P<zone>{_ZONE_NAMES})\b")
# "1800 GMT", "18:00 EDT": a 24-hour clock is only trusted with a zone after it.
_CLOCK_RE = re.compile(
    rf"\b(?P<hour>[0-2][0-9]):?(?P<minute>[0-5][0-9])[ \t]{{0,2}}(?=(?:{_ZONE_NAMES})\b)"
)


def find_release_time(
    text: str,
    *,
    reference: date,
    zone: Zone = "utc",
    day_of_month: int | None = None,
) -> datetime | None:
    """The release time an embargo note names, in UTC; ``None`` if it names none.

    Reads English ("Sunday, Sept. 28, 2025, at 12:01 a.m. EDT", "6 p.m. EDT",
    "1800 GMT") and German ("12. März 2026, 10.00 Uhr", "12.03., 10:00 Uhr MEZ")
    notes. A missing year is the one that puts the date nearest after
    ``reference`` (the filing date); a missing date is ``day_of_month`` (AP's
    "Adv28") or else the reference day; a missing time is the start of the day;
    a missing zone is ``zone``, the wire's home zone.
    """
    when_date = _find_date(text, reference=reference, day_of_month=day_of_month)
    clock = _find_clock(text)
    if when_date is None and clock is None:
        return None
    day = when_date or reference
    hour, minute = clock or (0, 0)
    zone_match = _ZONE_RE.search(text)
    if zone_match is not None and zone_match["zone"].casefold() in _ZONE_OFFSETS:
        tz = timezone(timedelta(hours=_ZONE_OFFSETS[zone_match["zone"].casefold()]))
    elif zone_match is not None:  # "ET": the US Eastern rule
        tz = zone_offset("us-eastern", day)
    else:
        tz = zone_offset(zone, day)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).astimezone(UTC)


def _find_date(text: str, *, reference: date, day_of_month: int | None) -> date | None:
    english = _EN_DATE_RE.search(text)
    if english is not None:
        month = _MONTHS[english["month"][:3].casefold()]
        return _complete_date(english["year"], month, int(english["day"]), reference)
    german = _DE_DATE_RE.search(text)
    if german is not None:
        if german["month_num"] is not None:
            month = int(german["month_num"])
        else:
            found = _GERMAN_MONTHS.get(german["month_name"].casefold())
            if found is None:
                return None
            month = found
        year = german["year"]
        if year is not None and len(year) == 2:
            year = f"20{year}"
        return _complete_date(year, month, int(german["day"]), reference)
    if day_of_month is not None:
        month, year_number = reference.month, reference.year
        if day_of_month < reference.day:
            month, year_number = (1, year_number + 1) if month == 12 else (month + 1, year_number)
        return _safe_date(year_number, month, day_of_month)
    return None


def _complete_date(year: str | None, month: int, day: int, reference: date) -> date | None:
    if year is not None:
        return _safe_date(int(year), month, day)
    candidate = _safe_date(reference.year, month, day)
    # An advance filed in late December for early January belongs to the next year.
    if candidate is not None and candidate < reference - timedelta(days=183):
        candidate = _safe_date(reference.year + 1, month, day)
    return candidate


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _find_clock(text: str) -> tuple[int, int] | None:
    english = _EN_TIME_RE.search(text)
    if english is not None:
        if english["noon"]:
            return (12, 0) if english["noon"].casefold() == "noon" else (0, 0)
        hour = int(english["hour"]) % 12
        if english["ampm"][0] in "pP":
            hour += 12
        minute = int(english["minute"] or 0)
        return (hour, minute) if minute < 60 else None
    for pattern in (_DE_TIME_RE, _CLOCK_RE):
        found = pattern.search(text)
        if found is not None:
            hour, minute = int(found["hour"]), int(found["minute"])
            if hour < 24 and minute < 60:
                return hour, minute
    return None


__all__ = [
    "DatelineMatch",
    "Zone",
    "find_release_time",
    "offset_text",
    "parse_dateline",
    "split_dateline",
    "split_dateline_with_reporter",
    "zone_for_abbreviation",
    "zone_offset",
]
