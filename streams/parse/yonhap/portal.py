"""Parser for Yonhap English wire copy as reposted by Korean portals.

The layout, top to bottom (every part but the headline and body is optional)::

    박보람                                    reporter name in Hangul
    | 2025-09-03 20:13:55                     publication time, KST
    (ROUNDUP) NK leader-military parade       version tag(s) + slug
    (ROUNDUP) Kim joins Putin, Xi at ...      version tag(s) + headline
    (ATTN: UPDATES with details, photo)       note to editors
    By Park Boram                             byline
    BEIJING/SEOUL, Sept. 3 (Yonhap) -- ...    body, dateline first, one paragraph a line
    ...
    reporter@yna.co.kr                        reporter e-mail (not body)
    (END)                                     end marker
    [ⓒ K-VIBE. 무단전재-재배포 금지]            rights line

The parser is tolerant: it walks the top lines classifying each one, and the
body begins at the dateline, after the byline, or at the first line that is
neither header nor a plausible title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from schemas.article import Article
from streams.parse.credits import read_byline
from streams.parse.dateline import parse_dateline
from streams.parse.errors import LayoutError
from streams.parse.text import (
    collapse_whitespace,
    parse_text_wire,
    sniff_text,
    split_paragraphs,
)
from streams.parse.yonhap.base import (
    END_MARK_RE,
    YONHAP_DATELINE_RE,
    YonhapStory,
    add_tags,
    attn_note,
    build_yonhap_article,
    kst_datetime,
    read_body,
    split_version_tags,
)
from streams.parse.yonhap.crawl import looks_like_crawl
from streams.parse.yonhap.teletype import looks_like_teletype

SOURCE_FORMAT = "yonhap-text"

# The header is a handful of lines; past this many, whatever we have is the header.
_MAX_HEADER_LINES = 12
# A second title line longer than this is a body paragraph, not a headline.
_MAX_TITLE_CHARS = 160

_TIMESTAMP_RE = re.compile(
    r"^\|?\s*(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})[ T]"
    r"(?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?\s*\|?$"
)
# Only a "|"-prefixed timestamp identifies the layout; a bare date line could be anything.
_LAYOUT_TIMESTAMP_RE = re.compile(r"^\|\s*[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")
_YONHAP_TAG_LINE_RE = re.compile(
    r"^\((?:URGENT|LEAD|[0-9]{1,3}(?:st|nd|rd|th) LD|ROUNDUP|News Focus|News Analysis|"
    r"Yonhap Interview|Yonhap Feature|CORRECTION|CORRECTED|EDITORIAL\b[^)]*)\)",
    re.IGNORECASE,
)


def looks_like_yonhap(text: str) -> bool:
    """True when ``text`` has a marker only this layout produces.

    Crawled pages and e-mailed teletype copy are other layouts and never match.
    Otherwise any of: a ``(Yonhap) --`` or ``(서울=연합뉴스)`` dateline; a
    ``| YYYY-MM-DD HH:MM:SS`` line among the first lines; or an ``(END)`` marker
    together with a Yonhap version-tag line (``(LEAD) ...``, ``(2nd LD) ...``)
    near the top.
    """

    if looks_like_crawl(text) or looks_like_teletype(text):
        return False
    if YONHAP_DATELINE_RE.search(text[:8192]):
        return True
    top = _top_lines(text, count=6)
    if any(_LAYOUT_TIMESTAMP_RE.match(line) for line in top):
        return True
    has_end = any(END_MARK_RE.search(line.rstrip()) for line in text.split("\n"))
    return has_end and any(_YONHAP_TAG_LINE_RE.match(line) for line in top)


def _top_lines(text: str, *, count: int) -> list[str]:
    lines: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lines.append(stripped)
            if len(lines) == count:
                break
    return lines


@dataclass
class _Header:
    byline_native: str | None = None
    published_at: datetime | None = None
    titles: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    byline: str | None = None
    body_start: int = 0


def parse_yonhap(
    text: str, *, wire_id: str, received_at: datetime, source_encoding: str | None = None
) -> Article:
    """Parse normalised Yonhap portal-repost text into an :class:`Article`.

    Raises :class:`LayoutError` when no headline or no body paragraph is found.
    """
    lines = text.split("\n")
    header = _read_header(lines)
    if not header.titles:
        raise LayoutError(
            "Yonhap wire has no headline: no title line found before the body "
            "(expected e.g. '(LEAD) Headline' above the byline or dateline)"
        )
    if len(header.titles) >= 2:
        slug: str | None = header.titles[0]
        headline = header.titles[1]
    else:
        slug, headline = None, header.titles[0]

    body_lines, notes, copyright_ = read_body(lines[header.body_start :])
    story = YonhapStory(
        headline=headline,
        paragraphs=split_paragraphs(body_lines),
        slug=slug,
        tags=header.tags,
        notes=[*header.notes, *notes],
        byline=header.byline,
        byline_native=header.byline_native,
        published_at=header.published_at,
        copyright=copyright_,
    )
    return build_yonhap_article(
        story,
        source_format=SOURCE_FORMAT,
        wire_id=wire_id,
        received_at=received_at,
        source_encoding=source_encoding,
    )


def _read_header(lines: list[str]) -> _Header:
    header = _Header(body_start=len(lines))
    seen = 0
    for index, raw_line in enumerate(lines):
        line = raw_line.strip()
        if not line:
            continue
        seen += 1
        if seen > _MAX_HEADER_LINES:
            header.body_start = index
            return header

        note = attn_note(line)
        if note is not None:
            if note:
                header.notes.append(note)
            continue

        if not header.titles:
            if seen == 1 and _is_native_name(line) and _name_line_fits(line, lines[index + 1 :]):
                header.byline_native = line
                continue
            stamp = _TIMESTAMP_RE.match(line)
            if stamp is not None:
                # A timestamp line with an impossible date is still the timestamp
                # line: skip it rather than print it as the headline.
                header.published_at = kst_datetime(stamp)
                continue

        byline = read_byline(line)
        if byline is not None:
            header.byline = byline
            header.body_start = index + 1
            return header

        if parse_dateline(line) is not None:
            header.body_start = index
            return header

        tags, rest = split_version_tags(line)
        if not rest:
            # A line holding only tags, e.g. "(URGENT)" above the headline.
            add_tags(header.tags, tags)
            continue
        if not header.titles or (len(header.titles) == 1 and _is_title_like(rest)):
            add_tags(header.tags, tags)
            header.titles.append(collapse_whitespace(rest))
            continue

        header.body_start = index
        return header
    return header


def _is_native_name(line: str) -> bool:
    # The repost opens with the reporter's name in Hangul: short, no Latin
    # letters or digits (which a headline or slug would have).
    return (
        len(line) <= 30
        and any(c.isalpha() for c in line)
        and not any(c.isascii() and c.isalnum() for c in line)
        and not line.startswith(("(", "[", "|"))
    )


def _name_line_fits(line: str, following: list[str]) -> bool:
    # A short Hangul line is the reporter's name when the repost's timestamp
    # or an English title follows it; before Korean copy it must look like a
    # name (one to three words of two to four syllables), not a short headline.
    after = next((f.strip() for f in following if f.strip()), "")
    if _TIMESTAMP_RE.match(after) or any(c.isascii() and c.isalpha() for c in after):
        return True
    words = line.split()
    return (
        0 < len(words) <= 3
        and all(2 <= len(w) <= 4 and all(0xAC00 <= ord(c) <= 0xD7A3 for c in w) for w in words)
        and parse_dateline(after) is None
    )


def _is_title_like(line: str) -> bool:
    # A headline is short and, unlike a body sentence, rarely ends with a full stop.
    if len(line) > _MAX_TITLE_CHARS:
        return False
    return not (line.endswith(".") and len(line.split()) >= 6)


__all__ = ["SOURCE_FORMAT", "looks_like_yonhap", "parse_yonhap"]


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: see :mod:`streams.parse.formats`."""
    return looks_like_yonhap(sniff_text(head, text))


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: decode, normalise and parse one Yonhap text wire."""
    return parse_text_wire(data, parse_yonhap, wire_id=wire_id, received_at=received_at)
