"""Parser for IPTC 7901 wire messages, with the conventions of dpa's German services.

One message (``<SOH>`` etc. are the ASCII control characters)::

    <SOH>bdt0231 4 pl 412 dpa 0412 AKT#2          service id + message number, priority,
    Regierung/Haushalt/                           category, word count, optional fields;
    <STX>Kabinett beschließt Haushalt für 2026 =  keyword (slug) lines; heading ending "="
    Berlin (dpa) - Das Bundeskabinett hat ...     text, hard-wrapped; an indented line or a
    Zeilen weiter ...                             blank line starts a paragraph
       Zweiter Absatz ...
    (Ende)
    dpa xy yy z2 ab                               desk codes
    <ETX>
    141532 Mär 25                                 day, hour, minute, month, year (CET)
    <EOT>

A wire may hold several messages; each becomes an Article.

Mappings:

* priority -> urgency: 1 -> 1 (flash, "Blitz"), 2 -> 2 ("Eil"), 3 -> 3
  ("Vorrang"), 4 -> 5 (normal), 5 -> 6, 6 -> 8 (low); the digit is kept as
  ``urgency.source_value``.
* category -> ``source_subjects`` (scheme ``iptc7901-category``), named for
  dpa's desk codes (pl Politik, wi Wirtschaft ...).
* optional field: a known agency name sets the agency; a token ``ID#N`` is
  the sender's item id (``source_item_id``) and N its version; other tokens
  (edition codes, "Ausgabe") are kept as keywords when no keyword line exists.
* versions from the keyword line or heading: "Eil"/"Blitz" 0; "Zusammenfassung"
  2 and "N. Zusammenfassung" N + 1 (signal ``update``); "Berichtigung",
  "Korrektur", "Neufassung" signal ``correction``.
* "Sperrfrist ..." (embargo): ``embargoed_until`` in CET/CEST unless a zone is
  named, signal ``embargo``; ``pub_status`` withheld when no time can be read.
* language: German for dpa and the German agencies unless the text reads
  otherwise; German 7-bit text (DIN 66003: ``M}nchen``) is mapped to umlauts
  and recorded as ``din-66003``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from schemas.article import Article, SourceSubject, Urgency
from streams.parse.dateline import (
    find_release_time,
    offset_text,
    parse_dateline,
    split_dateline,
    zone_offset,
)
from streams.parse.errors import LayoutError, WireHeaderError
from streams.parse.ids import article_id, story_id
from streams.parse.story import NORMAL_URGENCY
from streams.parse.text import (
    ASCII,
    FRAMED_MAX_CONTROL_SHARE,
    SYN,
    FramedMessage,
    collapse_whitespace,
    decode_wire_as,
    framed_messages,
    from_din_66003,
    guess_language,
    join_wrapped_lines,
    looks_like_din_66003,
    normalise_text,
    require_complete,
)

SOURCE_FORMAT = "iptc-7901"
DIN_66003 = "din-66003"

# Service markers, up to three title lines and a byline.
_MAX_HEADING_LINES = 5

_PRIORITY_URGENCY = {"1": 1, "2": 2, "3": 3, "4": 5, "5": 6, "6": 8}
_CATEGORY_NAMES = {
    "pl": "Politik",
    "wi": "Wirtschaft",
    "vm": "Vermischtes",
    "sp": "Sport",
    "ku": "Kultur",
    "wis": "Wissenschaft",
    "me": "Medien",
    "bil": "Bildung",
    "rs": "Redaktionsservice",
}
_AGENCIES = {
    "dpa": "dpa",
    "dpa-afx": "dpa-AFX",
    "kna": "KNA",
    "epd": "epd",
    "afp": "AFP",
    "ap": "AP",
    "reuters": "Reuters",
    "sid": "SID",
    "apa": "APA",
    "sda": "SDA",
}
_GERMAN_AGENCIES = frozenset({"dpa", "dpa-afx", "kna", "epd", "sid", "apa", "sda", "ddp"})

_HEADER_RE = re.compile(
    r"^(?P<service>[A-Za-z][A-Za-z-]{0,9}?)(?P<number>[0-9]{1,6})[ \t]+"
    r"(?P<priority>[0-9])[ \t]+(?P<category>[A-Za-z]{1,5})[ \t]+(?P<words>[0-9]{1,6})"
    r"(?:[ \t]+(?P<optional>[^\n]*))?$"
)
_ITEM_ID_RE = re.compile(r"^(?P<id>[^\s#]{1,60})#(?P<version>[0-9]{1,3})$")
_TRAILER_TIME_RE = re.compile(
    r"^(?P<d>[0-9]{2})(?P<h>[0-9]{2})(?P<mi>[0-9]{2})[ \t]+(?:(?P<utc>GMT|UTC)[ \t]+)?"
    r"(?P<mon>[A-Za-zäÄ]{3})[a-zä]*\.?"
    r"[ \t]+(?P<y>[0-9]{2}(?:[0-9]{2})?)$"
)
_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mär": 3,
    "mar": 3,
    "apr": 4,
    "mai": 5,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "dez": 12,
    "dec": 12,
}
_END_RE = re.compile(r"^\((?:Ende|END|Ende der Meldung)\)$|[ \t]\((?:Ende|END)\)$", re.IGNORECASE)
# Desk codes that close a dpa story ("dpa xy yy z2 ab") or a dpa-AFX one ("/ck/he").
_DESK_CODES_RE = re.compile(
    r"^(?:dpa(?:-AFX)?|KNA|epd|sid)(?:[ \t]+[a-z0-9]{1,4}){1,8}$|^/?[a-z]{2,3}(?:/[a-z]{2,3})+/?$"
)
_NOT_FOR_PUBLICATION_RE = re.compile(
    r"^(?:Die folgenden Informationen sind nicht zur Veröffentlichung bestimmt|"
    r"The following information is not (?:for|intended for) publication|"
    r"Redaktioneller Hinweis|Hinweis an die Redaktion)",
    re.IGNORECASE,
)
_NOTEBOOK_RE = re.compile(r"^(?:#{1,3}[ \t]*(?:Notebook|Notizblock)\b|\*(?:[ \t]*\*){2,}$)")
_KEYWORD_LINE_RE = re.compile(r"^[^\s/=()][^/=\n]{0,40}/(?:[^/=\n]{1,40}/){0,6}$")
# Lines of a heading block that mark the service, not the story.
_SERVICE_MARKER_RE = re.compile(
    r"\(?(?:EXTRA|Extra|eil|Eil|EIL|Eilmeldung|EILMELDUNG|Blitz|BLITZ|"
    r"(?:[0-9]{1,2}\.[ \t]*)?Zusammenfassung|ZUSAMMENFASSUNG|Achtung|ACHTUNG|"
    r"REFILE|Refile|URGENT|Urgent|CORRECTION|Correction|Berichtigung|Korrektur|"
    r"(?:[0-9]{1,2}(?:ST|ND|RD|TH|st|nd|rd|th)[ \t]+)?(?:LEAD|Lead))\)?"
)
_HEADING_BYLINE_RE = re.compile(r"^(?:By|Von|BY|VON)[ \t]+")
_LEAD_TAG_RE = re.compile(
    r"\b(?:(?P<n>[0-9]{1,2})(?:ST|ND|RD|TH|st|nd|rd|th)[ \t]+)?(?:LEAD|Lead)\b"
)
_EMBARGO_RE = re.compile(r"^(?:Sperrfrist|SPERRFRIST|Embargo|EMBARGO|Embargoed)\b")
_URGENT_RE = re.compile(r"\b(?:Eil|Eilmeldung|Blitz)\b", re.IGNORECASE)
_ROUNDUP_RE = re.compile(r"(?:(?P<n>[0-9]{1,2})\.[ \t]*)?Zusammenfassung\b")
_CORRECTION_RE = re.compile(r"\b(?:Berichtigung|Korrektur|Neufassung|Korrigierte Fassung)\b")


@dataclass(frozen=True)
class Iptc7901Header:
    """The fields of an IPTC 7901 message header."""

    service: str
    number: str
    priority: str
    category: str
    word_count: int
    optional: str | None


def parse_header(header: str) -> tuple[Iptc7901Header, list[str]]:
    """The header line and the keyword lines below it; :class:`WireHeaderError` if unreadable."""
    lines = [line.strip() for line in header.replace("\r", "").strip(SYN + " \n").split("\n")]
    found = _HEADER_RE.match(lines[0]) if lines else None
    if found is None:
        shown = collapse_whitespace(lines[0] if lines else "")[:80]
        raise WireHeaderError(
            f"IPTC 7901 header is unreadable: {shown!r}; expected e.g. 'bdt0231 4 pl 412' "
            "(service and message number, priority 1-6, category, word count)"
        )
    keywords = [
        collapse_whitespace(line).strip("/ ")
        for line in lines[1:]
        if line.strip() and any(c.isalnum() for c in line)
    ]
    return (
        Iptc7901Header(
            service=found["service"],
            number=found["number"],
            priority=found["priority"],
            category=found["category"],
            word_count=int(found["words"]),
            optional=collapse_whitespace(found["optional"] or "") or None,
        ),
        keywords,
    )


@dataclass
class _Text:
    heading: str | None = None
    tags: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    byline: str | None = None
    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    embargo_notes: list[str] = field(default_factory=list)


def parse_message(
    message: FramedMessage,
    *,
    wire_id: str,
    received_at: datetime,
    source_encoding: str | None = None,
) -> Article:
    """One framed IPTC 7901 message as an :class:`Article`."""
    require_complete(
        message, format_name="IPTC 7901", shown_header=collapse_whitespace(message.header)
    )
    header, keywords = parse_header(message.header)
    agency_hint, item_id, item_version, extra_keywords = _optional_fields(header.optional)
    text = _read_text(normalise_text(message.text))
    for line in keywords:
        if _EMBARGO_RE.match(line):
            text.embargo_notes.append(line)
            text.notes.append(line)
    keywords = [k for k in [*keywords, *text.keywords] if not _EMBARGO_RE.match(k)]
    if text.heading is None:
        raise LayoutError(
            f"IPTC 7901 message {header.service}{header.number} has no heading: "
            "nothing after STX (expected a heading line ending with '=')"
        )
    paragraphs = join_wrapped_lines(text.lines)
    dateline, paragraphs = split_dateline(paragraphs)
    if not paragraphs:
        raise LayoutError(
            f"IPTC 7901 message {text.heading[:60]!r} has a heading but no text paragraphs "
            "before '(Ende)' or the desk codes"
        )

    agency = (dateline.agency if dateline else None) or agency_hint
    sent_at = _trailer_time(normalise_text(message.trailer))
    published_at = sent_at.astimezone(UTC) if sent_at is not None else None
    if sent_at is not None:
        local_day = sent_at.date()
    else:
        local_day = received_at.astimezone(
            zone_offset("central-europe", received_at.astimezone(UTC).date())
        ).date()
    slug = "/".join(keywords) or (" ".join(extra_keywords) or None)
    labels = " ".join([*keywords, *text.tags])
    version, signals = _version(labels, item_version)
    embargo = _embargo(text.embargo_notes, local_day)
    status = "usable"
    if text.embargo_notes:
        signals.append("embargo")
        if embargo is None:
            status = "withheld"

    default_language = "de" if (agency or "").casefold() in _GERMAN_AGENCIES else "en"
    sid = story_id(agency=agency, local_date=local_day, slug=slug, headline=text.heading)
    return Article(
        article_id=article_id(story_id=sid, wire_id=f"{wire_id}#{header.number}"),
        story_id=sid,
        version=version,
        version_tags=_version_tags(labels),
        wire_id=wire_id,
        source_format=SOURCE_FORMAT,
        source_agency=agency,
        language=guess_language(
            " ".join([text.heading, *paragraphs[:3]]), default=default_language
        ),
        headline=text.heading,
        byline=text.byline,
        slug=slug,
        dateline=dateline,
        body=paragraphs,
        editorial_notes=text.notes,
        urgency=Urgency(
            value=_PRIORITY_URGENCY.get(header.priority, NORMAL_URGENCY),
            source_value=header.priority,
        ),
        published_at=published_at,
        published_offset=offset_text(sent_at),
        received_at=received_at.astimezone(UTC),
        source_item_id=item_id or f"{header.service}{header.number}",
        pub_status=status,
        embargoed_until=embargo,
        signals=signals,
        source_subjects=[
            SourceSubject(
                code=header.category,
                scheme="iptc7901-category",
                name=_CATEGORY_NAMES.get(header.category.lower()),
            )
        ],
        source_encoding=source_encoding,
    )


def _optional_fields(optional: str | None) -> tuple[str | None, str | None, int | None, list[str]]:
    agency: str | None = None
    item_id: str | None = None
    version: int | None = None
    rest: list[str] = []
    for token in (optional or "").split():
        known = _AGENCIES.get(token.casefold())
        found = _ITEM_ID_RE.match(token)
        if known is not None and agency is None:
            agency = known
        elif found is not None and item_id is None:
            item_id, version = found["id"], int(found["version"])
        else:
            rest.append(token)
    return agency, item_id, version, rest


def _read_text(text: str) -> _Text:
    result = _Text()
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and _EMBARGO_RE.match(lines[0].strip()):
        note = collapse_whitespace(lines.pop(0))
        result.embargo_notes.append(note)
        result.notes.append(note)
    # Keyword lines ("Switzerland/migration/UN/") may follow STX instead of preceding it.
    while lines and _KEYWORD_LINE_RE.match(lines[0].strip()):
        result.keywords.extend(k for k in lines.pop(0).strip().split("/") if k.strip())
        while lines and not lines[0].strip():
            lines.pop(0)
    heading_lines: list[str] = []
    for index, line in enumerate(lines[:_MAX_HEADING_LINES]):
        heading_lines.append(line.strip())
        if line.rstrip().endswith("="):
            lines = lines[index + 1 :]
            break
        if not line.strip() or _opens_text(line):
            heading_lines = []
            break
    else:
        heading_lines = []
    if not heading_lines:
        # No "=" terminator: the heading is the first line that is not a service marker.
        while lines and _SERVICE_MARKER_RE.fullmatch(lines[0].strip()):
            result.tags.append(collapse_whitespace(lines.pop(0)).strip("()"))
        heading_lines = [lines[0].strip()] if lines else []
        lines = lines[1:]
    heading_lines = [collapse_whitespace(h).rstrip("= ").strip() for h in heading_lines]
    titles: list[str] = []
    for text in heading_lines:
        # A heading block of two to four lines: service markers ("EXTRA", "eil",
        # "Zusammenfassung", "1ST LEAD"), the title lines, then perhaps a byline.
        if _SERVICE_MARKER_RE.fullmatch(text) and not titles:
            result.tags.append(text.strip("()"))
        elif _HEADING_BYLINE_RE.match(text) and titles:
            result.byline = collapse_whitespace(_HEADING_BYLINE_RE.sub("", text)) or None
        elif text and titles and not _continues(titles[-1], text):
            # A second title line that starts afresh is the subtitle, not more headline.
            result.notes.append(f"Deck: {text}")
        elif text:
            titles.append(text)
    tags, heading = _split_heading_tags(" ".join(titles))
    result.tags.extend(tags)
    result.heading = heading or None

    # Desk codes close a story only as its last lines: a wrapped body line may
    # well start "dpa hat ...".
    while lines and (not lines[-1].strip() or _DESK_CODES_RE.match(lines[-1].strip())):
        lines.pop()
    notes_only = False
    for raw in lines:
        line = raw.strip()
        if notes_only:
            if line:
                result.notes.append(line)
            continue
        if _NOT_FOR_PUBLICATION_RE.match(line) or _NOTEBOOK_RE.match(line):
            # dpa's English service closes the text with a "# Notebook" of
            # Markdown sections (links, notes to editors) and a "* * * *" rule.
            notes_only = True
            continue
        if _END_RE.search(line):
            before = _END_RE.sub("", line).strip()
            if before:
                result.lines.append(raw[: len(raw) - len(raw.lstrip())] + before)
            notes_only = True
            continue
        if _EMBARGO_RE.match(line):
            result.embargo_notes.append(line)
            result.notes.append(line)
            continue
        result.lines.append(raw)
    # Desk codes after "(Ende)" are not notes for a reader either.
    result.notes = [n for n in result.notes if not _DESK_CODES_RE.match(n)]
    return result


_HEADING_TAG_RE = re.compile(r"\((?P<tag>[^()\n]{1,40})\)$")
_HEADING_PREFIX_RE = re.compile(
    r"^(?P<tag>Eil|EIL|Eilmeldung|EILMELDUNG|Blitz|BLITZ)[ \t]*[:+-]+[ \t]*"
)


# Words a wrapped headline line can end on, so that the next line carries on.
_CARRY_ON_WORDS = frozenset(
    {
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to",
        "with", "am", "auf", "aus", "bei", "der", "die", "das", "den", "dem", "des", "für", "im",
        "mit", "nach", "und", "vom", "von", "vor", "zu", "zum", "zur",
    }
)  # fmt: skip


def _continues(before: str, after: str) -> bool:
    last = before.rsplit(maxsplit=1)[-1].casefold() if before.split() else ""
    return after[:1].islower() or before.endswith(("-", ",", ":")) or last in _CARRY_ON_WORDS


def _opens_text(line: str) -> bool:
    # Without a "=" the heading block ends where the dateline opens the text.
    return parse_dateline(line.strip()) is not None


def _is_version_label(text: str) -> bool:
    return any(
        pattern.fullmatch(text.strip()) for pattern in (_URGENT_RE, _ROUNDUP_RE, _CORRECTION_RE)
    )


def _split_heading_tags(heading: str) -> tuple[list[str], str]:
    """Version labels off the heading: "Kabinett ... (2. Zusammenfassung)", "Eil: ..."."""
    tags: list[str] = []
    prefix = _HEADING_PREFIX_RE.match(heading)
    if prefix is not None:
        tags.append(prefix["tag"])
        heading = heading[prefix.end() :]
    while True:
        heading = heading.rstrip()
        found = _HEADING_TAG_RE.search(heading)
        if found is None or not _is_version_label(found["tag"]):
            return tags, heading.strip()
        tags.insert(len(tags) if prefix is None else 1, collapse_whitespace(found["tag"]))
        heading = heading[: found.start()]


def _version(labels: str, item_version: int | None) -> tuple[int, list[str]]:
    signals: list[str] = []
    roundups = [int(m["n"]) + 1 if m["n"] else 2 for m in _ROUNDUP_RE.finditer(labels)]
    roundups += [int(m["n"]) + 1 if m["n"] else 2 for m in _LEAD_TAG_RE.finditer(labels)]
    if roundups:
        version = max(roundups)
        signals.append("update")
    elif item_version is not None:
        version = item_version
    elif _URGENT_RE.search(labels):
        version = 0
    else:
        version = 1
    if _CORRECTION_RE.search(labels):
        signals.append("correction")
    return version, signals


def _version_tags(labels: str) -> list[str]:
    tags: list[str] = []
    for pattern in (_URGENT_RE, _ROUNDUP_RE, _CORRECTION_RE, _LEAD_TAG_RE):
        tags.extend(m.group(0).strip() for m in pattern.finditer(labels))
    return list(dict.fromkeys(tags))


def _embargo(notes: list[str], reference: date) -> datetime | None:
    for note in notes:
        found = find_release_time(note, reference=reference, zone="central-europe")
        if found is not None:
            return found
    return None


def _trailer_time(trailer: str) -> datetime | None:
    for line in trailer.split("\n"):
        found = _TRAILER_TIME_RE.match(line.strip())
        if found is None:
            continue
        month = _MONTHS.get(found["mon"].casefold())
        year = int(found["y"])
        year = year + 2000 if year < 100 else year
        if month is None:
            return None
        try:
            day = date(year, month, int(found["d"]))
            local = datetime(
                year,
                month,
                day.day,
                int(found["h"]),
                int(found["mi"]),
                # The English service stamps GMT ("211530 GMT Mar 26"); German copy CET.
                tzinfo=UTC if found["utc"] else zone_offset("central-europe", day),
            )
        except ValueError:
            return None
        return local
    return None


# ----------------------------------------------------------------------- detection

_SNIFF_RE = re.compile(
    rb"^[\r\n \t]*\x01[A-Za-z][A-Za-z-]{0,9}[0-9]{1,6}"
    rb"[ \t]+[0-9][ \t]+[A-Za-z]{1,5}[ \t]+[0-9]{1,6}"
)


def looks_like_iptc7901(head: bytes) -> bool:
    """SOH at the start, then service id + number, priority digit, category, word count."""
    return _SNIFF_RE.match(head) is not None


__all__ = [
    "DIN_66003",
    "SOURCE_FORMAT",
    "Iptc7901Header",
    "looks_like_iptc7901",
    "parse_header",
    "parse_message",
]


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: see :mod:`streams.parse.formats`."""
    return looks_like_iptc7901(head)


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: decode the wire and parse every message in it."""
    decoded = decode_wire_as(data, max_control_share=FRAMED_MAX_CONTROL_SHARE)
    text, encoding = decoded.text, decoded.encoding
    if encoding == ASCII and looks_like_din_66003(text):
        text, encoding = from_din_66003(text), DIN_66003
    messages = framed_messages(text, format_name="IPTC 7901")
    return [
        parse_message(message, wire_id=wire_id, received_at=received_at, source_encoding=encoding)
        for message in messages
    ]
