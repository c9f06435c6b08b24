"""Parser for AAP's ZCZC layout, including AAP MediaNet releases sent inside it.

One message, top to bottom (every header line but ``ZCZC`` is optional)::

    ZCZC AAP                                  start of message (may be indented)
    %MNETALL MFI MGD                          "%": routing selectors (MNET, MGD: MediaNet)
    $J                                        "$": category
    :Harbour-Ferries                          ":": keyword; a MediaNet release has an
    :Example Ferries Pty Ltd                       empty one, then the issuer's name
    =2nd take                                 "=": take key
    ^Ferry operator halves winter crossings   "^": headline
    *X                                        "*": format, X text, T tabular
    &A                                        "&": service level
    +04000000                                 "+": IPTC subject code
        SYDNEY, March 3 AAP - Body text ...   body: a blank line or an indent opens
    hard-wrapped continuation                 a paragraph
    AAP jd/ab                                 desk sign-off (not body)
    NNNN                                      end of message

A MediaNet release has no ``^`` headline: the first line of its text is the
headline, and it closes with the release's link and a ``SOURCE:`` line naming
the issuer (kept as notes). The issuer is the release's author, so it is the
article's ``source_agency``, with genre ``press-release``.

A wire may hold several messages; each becomes an Article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from schemas.article import Article, SourceSubject, Urgency
from streams.parse.credits import read_byline
from streams.parse.dateline import split_dateline
from streams.parse.errors import FramingError, LayoutError
from streams.parse.ids import article_id, story_id
from streams.parse.story import NORMAL_URGENCY
from streams.parse.text import (
    collapse_whitespace,
    decode_text_as,
    guess_language,
    join_wrapped_lines,
)

SOURCE_FORMAT = "aap-zczc"
DEFAULT_AGENCY = "AAP"

_START_RE = re.compile(r"^[ \t]*ZCZC\b[ \t]*(?P<ident>[^\n]*)$", re.MULTILINE)
_END_RE = re.compile(r"^[ \t]*NNNN[ \t]*$")
_HEADER_PREFIXES = "%$:=^*&+"
# A routing line straight after ZCZC on the racing and results services: "YY NLB".
_ROUTING_RE = re.compile(r"^[A-Z]{2}[ \t]+[A-Z0-9]{2,8}$")
_MEDIANET_SELECTORS = frozenset({"MGD", "MNX"})
_URL_RE = re.compile(r"^https?://\S+$")
_SOURCE_RE = re.compile(r"^SOURCE:[ \t]*(?P<issuer>.+)$", re.IGNORECASE)
_RELEASE_ID_RE = re.compile(r"[?&]id=(?P<id>[0-9]{3,12})\b")
# Desk sign-offs that close AAP copy: "AAP jd/ab", "AAP BETTING", "AAP RESULTS".
_SIGNOFF_RE = re.compile(r"^AAP(?:[ \t]+[a-z]{2,4}(?:/[a-z]{2,4})+|[ \t]+[A-Z]{3,20})$")
# The date line a release opens with: "Tue 3 March 2026", "March 3, 2026".
_DATE_LINE_RE = re.compile(
    r"^(?:[A-Z][a-z]{2,8},?[ \t]+)?"
    r"(?:[0-9]{1,2}[ \t]+[A-Z][a-z]{2,8}|[A-Z][a-z]{2,8}[ \t]+[0-9]{1,2},?)"
    r"[ \t]+[0-9]{4}$"
)
_SERVICE_URGENCY = {"F": 1, "B": 2, "U": 3}
_MAX_MESSAGES = 1000


@dataclass
class ZczcHeader:
    """The prefixed header lines of one ZCZC message."""

    ident: str | None = None
    selectors: list[str] = field(default_factory=list)
    category: str | None = None
    keyword_lines: list[str] = field(default_factory=list)
    take_key: str | None = None
    headline: str | None = None
    tabular: bool = False
    service_level: str | None = None
    subjects: list[str] = field(default_factory=list)

    @property
    def medianet(self) -> bool:
        return any("MNET" in s or s in _MEDIANET_SELECTORS for s in self.selectors)

    @property
    def keyword(self) -> str | None:
        return next((k for k in self.keyword_lines if k), None)

    @property
    def issuer(self) -> str | None:
        # MediaNet: an empty keyword line, then the issuer's own.
        if not self.medianet:
            return None
        named = [k for k in self.keyword_lines if k]
        return named[-1] if named else None


def looks_like_zczc(text: str) -> bool:
    """``ZCZC`` opening the first non-blank line."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    return bool(_START_RE.match(first))


def split_messages(text: str) -> list[tuple[str, list[str]]]:
    """``(ident, lines)`` for every message from ``ZCZC`` to ``NNNN`` (or the next ZCZC)."""
    messages: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for line in text.split("\n"):
        start = _START_RE.match(line)
        if start is not None:
            current = []
            messages.append((start["ident"].strip(), current))
            if len(messages) > _MAX_MESSAGES:
                raise FramingError(
                    f"ZCZC wire holds more than {_MAX_MESSAGES} messages; split it before sending"
                )
            continue
        if current is None:
            continue
        if _END_RE.match(line):
            current = None
            continue
        current.append(line)
    return messages


def read_header(lines: list[str]) -> tuple[ZczcHeader, list[str]]:
    """The header fields and the lines after them (the text)."""
    header = ZczcHeader()
    at = 0
    if lines and _ROUTING_RE.match(lines[0].strip()):
        at = 1
    while at < len(lines):
        line = lines[at].rstrip()
        if not line or line[0] not in _HEADER_PREFIXES:
            break
        mark, value = line[0], line[1:].strip()
        if mark == "%":
            header.selectors.extend(value.split())
        elif mark == "$":
            header.category = value or header.category
        elif mark == ":":
            header.keyword_lines.append(collapse_whitespace(value))
        elif mark == "=":
            header.take_key = value or None
        elif mark == "^":
            header.headline = collapse_whitespace(value) or header.headline
        elif mark == "*":
            header.tabular = value[:1].upper() == "T"
        elif mark == "&":
            header.service_level = value or None
        elif mark == "+":
            header.subjects.extend(value.split())
        at += 1
    return header, lines[at:]


@dataclass
class _Text:
    headline: str | None
    lines: list[str]
    notes: list[str] = field(default_factory=list)
    issuer: str | None = None
    release_id: str | None = None


def _read_text(header: ZczcHeader, lines: list[str]) -> _Text:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1].strip():
        lines.pop()
    text = _Text(headline=header.headline, lines=lines, issuer=header.issuer)
    # The trailer, read from the end: sign-off, SOURCE line, release link.
    while text.lines:
        last = text.lines[-1].strip()
        source = _SOURCE_RE.match(last)
        if not last:
            text.lines.pop()
        elif source is not None:
            text.issuer = text.issuer or collapse_whitespace(source["issuer"])
            text.notes.insert(0, last)
            text.lines.pop()
        elif _URL_RE.match(last):
            found = _RELEASE_ID_RE.search(last)
            text.release_id = text.release_id or (found["id"] if found else None)
            text.notes.insert(0, last)
            text.lines.pop()
        elif _SIGNOFF_RE.match(last):
            text.notes.insert(0, last)
            text.lines.pop()
        else:
            break
    if text.headline is None:
        # MediaNet (and copy without "^"): the first line of text is the headline.
        first = next((i for i, line in enumerate(text.lines) if line.strip()), None)
        if first is not None:
            text.headline = collapse_whitespace(text.lines[first])
            text.lines = text.lines[first + 1 :]
    return text


def parse_message(
    ident: str,
    lines: list[str],
    *,
    index: int,
    wire_id: str,
    received_at: datetime,
    source_encoding: str | None = None,
) -> Article:
    """One ZCZC message as an :class:`Article`."""
    header, body_lines = read_header(lines)
    text = _read_text(header, body_lines)
    if text.headline is None:
        raise LayoutError(
            f"ZCZC message {index} ({ident or 'no sender'}) has no headline: no '^' line "
            "and no text after the header"
        )
    if header.tabular:
        # Tabular copy: every line is a row, never joined to the next.
        paragraphs = [collapse_whitespace(line) for line in text.lines if line.strip()]
    else:
        paragraphs = join_wrapped_lines(text.lines)
    if header.medianet and len(paragraphs) > 1 and _DATE_LINE_RE.match(paragraphs[0]):
        text.notes.insert(0, paragraphs.pop(0))
    byline = read_byline(paragraphs[0]) if len(paragraphs) > 1 else None
    if byline is not None:
        paragraphs = paragraphs[1:]
    dateline, paragraphs = split_dateline(paragraphs)
    if not paragraphs:
        raise LayoutError(
            f"ZCZC message {index} ({text.headline[:60]!r}) has a headline but no body text "
            "before NNNN"
        )

    agency = text.issuer or (dateline.agency if dateline else None) or DEFAULT_AGENCY
    day = received_at.astimezone(UTC).date()
    slug = header.keyword if not header.medianet else None
    key = f"medianet-{text.release_id}" if text.release_id else slug
    sid = story_id(agency=agency, local_date=day, slug=key, headline=text.headline)
    level = (header.service_level or "").upper()[:1]
    subjects = [SourceSubject(code=f"subj:{code}", scheme="subj") for code in header.subjects]
    if header.category:
        subjects.append(SourceSubject(code=header.category, scheme="anpa-category"))
    return Article(
        article_id=article_id(story_id=sid, wire_id=f"{wire_id}#{index}"),
        story_id=sid,
        version=1,
        version_tags=[header.take_key] if header.take_key else [],
        wire_id=wire_id,
        source_format=SOURCE_FORMAT,
        source_agency=agency,
        language=guess_language(" ".join([text.headline, *paragraphs[:3]]), default="en"),
        headline=text.headline,
        slug=slug,
        byline=byline,
        dateline=dateline,
        body=paragraphs,
        editorial_notes=text.notes,
        urgency=Urgency(
            value=_SERVICE_URGENCY.get(level, NORMAL_URGENCY),
            source_value=header.service_level,
        ),
        received_at=received_at.astimezone(UTC),
        source_item_id=text.release_id,
        genre="press-release" if header.medianet else None,
        source_subjects=subjects,
        source_encoding=source_encoding,
    )


__all__ = ["SOURCE_FORMAT", "ZczcHeader", "looks_like_zczc", "read_header", "split_messages"]


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: see :mod:`streams.parse.formats`."""
    return looks_like_zczc(text)


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: decode the wire and parse every ZCZC message in it."""
    decoded = decode_text_as(data)
    messages = split_messages(decoded.text)
    if not messages:
        raise LayoutError("ZCZC wire has no message: no line starts with 'ZCZC'")
    return [
        parse_message(
            ident,
            lines,
            index=index,
            wire_id=wire_id,
            received_at=received_at,
            source_encoding=decoded.encoding,
        )
        for index, (ident, lines) in enumerate(messages, 1)
    ]
