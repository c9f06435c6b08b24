"""Parser for Yonhap copy as e-mailed in teletype layout: hard-wrapped, paragraphs indented.

The layout, top to bottom (every part but the headline and body is optional)::

    From: Yonhap News Agency <news@yna.co.kr>    mail headers, up to a blank line
    Date: Tue, 04 Mar 2025 14:05:12 +0900
    Subject: (2nd LD) S. Korea-economy

    AEN20250304004252320                         Yonhap's own item id
    2025/03/04 14:05 KST                         publication time
    (2nd LD) S. Korea-economy                    version tag(s) + slug
    (2nd LD) S. Korea's factory output           version tag(s) + headline, may wrap
    rebounds in January
         (ATTN: UPDATES with data in paras 6-7)  indented: note, byline, dateline
         By Kim Ha-neul
         SEOUL, March 4 (Yonhap) -- South        body, wrapped at about 70 columns;
    Korea's industrial output rose 1.8 ...       an indented line or a blank line
         The rebound followed ...                starts a new paragraph

         haneul.kim@yna.co.kr                    reporter e-mail (not body)
    (END)

The header ends at the first indented line (or an ATTN note, byline or
dateline). Versions, slugs and story ids follow the other Yonhap layouts
(:func:`streams.parse.yonhap.base.build_yonhap_article`).
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime

from schemas.article import Article
from streams.parse.credits import read_byline
from streams.parse.dateline import parse_dateline
from streams.parse.errors import LayoutError
from streams.parse.text import (
    collapse_whitespace,
    is_indented,
    join_wrapped_lines,
    parse_text_wire,
    sniff_text,
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

SOURCE_FORMAT = "yonhap-teletype"

# A slug is a few words ("S. Korea-economy", "NK leader-military parade"); a
# first title line longer than this is the start of a wrapped headline instead.
_MAX_SLUG_CHARS = 40
_MAX_HEADER_LINES = 12
_MAX_MAIL_HEADER_LINES = 40

_MAIL_HEADER_RE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9-]{0,40}):[ \t]?(?P<value>.*)$")
_MAIL_KEYS = frozenset(
    [
        "from",
        "to",
        "cc",
        "date",
        "subject",
        "reply-to",
        "sender",
        "message-id",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "received",
        "return-path",
    ]
)
_ITEM_ID_RE = re.compile(r"^(?P<id>A[EK][NR][0-9]{14,20})$")
_STAMP_RE = re.compile(
    r"^\|?[ \t]*(?P<y>[0-9]{4})[-/.](?P<mo>[0-9]{2})[-/.](?P<d>[0-9]{2})[ \tT]+"
    r"(?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?(?:[ \t]*KST)?$"
)
_YNA_SENDER_RE = re.compile(r"^From:[^\n]{0,200}?@yna\.co\.kr", re.IGNORECASE | re.MULTILINE)


def looks_like_teletype(text: str) -> bool:
    """True for the e-mailed teletype layout.

    Yonhap copy (a ``(Yonhap) --`` or ``(서울=연합뉴스)`` dateline) whose
    dateline line is indented, or any copy mailed from a yna.co.kr sender. The
    portal repost layout never indents its dateline.
    """
    head = text[:8192]
    if _YNA_SENDER_RE.search(head[:2048]) and YONHAP_DATELINE_RE.search(head):
        return True
    for line in head.split("\n"):
        if is_indented(line) and YONHAP_DATELINE_RE.search(line):
            return parse_dateline(line.strip()) is not None
    return False


def parse_teletype(
    text: str, *, wire_id: str, received_at: datetime, source_encoding: str | None = None
) -> Article:
    """Parse normalised teletype text into an :class:`Article`.

    Raises :class:`LayoutError` when no headline or no body paragraph is found.
    """
    lines = text.split("\n")
    mail, lines = _take_mail_headers(lines)
    header, body_lines = _split_header(lines)

    item_id: str | None = None
    published_at = _mail_date(mail.get("date"))
    tags: list[str] = []
    titles: list[str] = []
    for line in header:
        if (found := _ITEM_ID_RE.match(line)) is not None:
            item_id = found["id"]
            continue
        if (stamp := _STAMP_RE.match(line)) is not None:
            published_at = kst_datetime(stamp) or published_at
            continue
        line_tags, rest = split_version_tags(line)
        add_tags(tags, line_tags)
        if rest:
            titles.append(collapse_whitespace(rest))
    slug, headline = _slug_and_headline(titles)
    subject_tags, subject = split_version_tags(mail.get("subject", ""))
    add_tags(tags, subject_tags)
    if headline is None:
        if not subject:
            raise LayoutError(
                "Yonhap teletype wire has no headline: no title line above the indented "
                "body (expected e.g. '(LEAD) Headline' before the dateline)"
            )
        headline = collapse_whitespace(subject)

    paragraphs, trailer = _paragraphs(body_lines)
    notes: list[str] = []
    byline: str | None = None
    # Notes and the byline stand in paragraphs of their own above the dateline.
    while paragraphs:
        note = attn_note(paragraphs[0])
        if note is not None:
            if note:
                notes.append(note)
            paragraphs.pop(0)
            continue
        names = read_byline(paragraphs[0])
        if names is not None and byline is None:
            byline = names
            paragraphs.pop(0)
            continue
        break
    body, body_notes, copyright_ = read_body(_with_blank_lines(paragraphs) + trailer)
    story = YonhapStory(
        headline=headline,
        paragraphs=[p for p in body if p],
        slug=slug,
        tags=tags,
        notes=[*notes, *body_notes],
        byline=byline,
        published_at=published_at,
        copyright=copyright_,
        source_item_id=item_id,
    )
    return build_yonhap_article(
        story,
        source_format=SOURCE_FORMAT,
        wire_id=wire_id,
        received_at=received_at,
        source_encoding=source_encoding,
    )


def _take_mail_headers(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    first = _MAIL_HEADER_RE.match(lines[start]) if start < len(lines) else None
    if first is None or first["key"].casefold() not in _MAIL_KEYS:
        return {}, lines
    headers: dict[str, str] = {}
    key = ""
    index = start
    limit = min(len(lines), start + _MAX_MAIL_HEADER_LINES)
    while index < limit:
        line = lines[index]
        if not line.strip():
            return headers, lines[index + 1 :]
        found = _MAIL_HEADER_RE.match(line)
        if line[:1] in " \t" and key:
            headers[key] = f"{headers[key]} {line.strip()}"  # a folded header line
        elif found is not None:
            key = found["key"].casefold()
            headers[key] = found["value"].strip()
        else:
            break
        index += 1
    return headers, lines[index:]


def _split_header(lines: list[str]) -> tuple[list[str], list[str]]:
    header: list[str] = []
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            if header and _has_title(header):
                return header, lines[index + 1 :]
            continue
        if (
            is_indented(raw)
            or len(header) >= _MAX_HEADER_LINES
            or attn_note(line) is not None
            or read_byline(line) is not None
            or parse_dateline(line) is not None
        ):
            return header, lines[index:]
        header.append(line)
    return header, []


def _has_title(header: list[str]) -> bool:
    return any(
        split_version_tags(line)[1] and not _ITEM_ID_RE.match(line) and not _STAMP_RE.match(line)
        for line in header
    )


def _slug_and_headline(titles: list[str]) -> tuple[str | None, str | None]:
    if not titles:
        return None, None
    if len(titles) == 1:
        return None, titles[0]
    if len(titles[0]) <= _MAX_SLUG_CHARS:
        return titles[0], " ".join(titles[1:])
    # A long first line is a headline wrapped over the lines that follow.
    return None, " ".join(titles)


def _paragraphs(lines: list[str]) -> tuple[list[str], list[str]]:
    """Body paragraphs up to and including the (END) line, and the raw trailer lines after it."""
    end = next((i for i, line in enumerate(lines) if END_MARK_RE.search(line.rstrip())), None)
    body = lines if end is None else lines[: end + 1]
    trailer = [] if end is None else lines[end + 1 :]
    paragraphs = join_wrapped_lines(_break_before_parts(body))
    # "(END)" on a line of its own is read as the last paragraph's continuation;
    # read_body cuts it off either way.
    return paragraphs, trailer


def _break_before_parts(lines: list[str]) -> list[str]:
    # Notes, the byline and the dateline are paragraphs of their own even when
    # a sender forgot to indent them; without this a flush-left byline would be
    # joined to the dateline below it.
    out: list[str] = []
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            out.append(raw)
            continue
        if attn_note(line) is not None or read_byline(line) is not None:
            out.extend(("", raw, ""))
            continue
        if parse_dateline(line) is not None:
            out.extend(("", raw))
            out.extend(lines[index + 1 :])
            return out
        out.append(raw)
    return out


def _with_blank_lines(paragraphs: list[str]) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend((paragraph, ""))
    return lines


def _mail_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment if moment.tzinfo is not None else None


__all__ = ["SOURCE_FORMAT", "looks_like_teletype", "parse_teletype"]


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: see :mod:`streams.parse.formats`."""
    return looks_like_teletype(sniff_text(head, text))


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: decode, normalise and parse one teletype wire."""
    return parse_text_wire(data, parse_teletype, wire_id=wire_id, received_at=received_at)
