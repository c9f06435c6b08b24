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
from datetime import UTC, date, datetime, timedelta, timezone

from schemas.article import Article, Copyright, Urgency
from streams.parse.dateline import parse_dateline, split_dateline
from streams.parse.errors import LayoutError
from streams.parse.ids import article_id, story_id
from streams.parse.text import collapse_whitespace, decode_text, split_paragraphs

SOURCE_FORMAT = "yonhap-text"
DEFAULT_AGENCY = "Yonhap"

# Korea has kept UTC+9 without daylight saving since 1988, so a fixed offset is
# exact and needs no tz database.
KST = timezone(timedelta(hours=9), "KST")
_KST_OFFSET = "+09:00"

# The header is a handful of lines; past this many, whatever we have is the header.
_MAX_HEADER_LINES = 12
# A second title line longer than this is a body paragraph, not a headline.
_MAX_TITLE_CHARS = 160

_NORMAL_URGENCY = 5
_URGENT_URGENCY = 1

_TIMESTAMP_RE = re.compile(
    r"^\|?\s*(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})[ T]"
    r"(?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?\s*\|?$"
)
# Only a "|"-prefixed timestamp identifies the layout; a bare date line could be anything.
_LAYOUT_TIMESTAMP_RE = re.compile(r"^\|\s*[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")
# Patterns here avoid two adjacent quantifiers that can match the same
# characters (e.g. "\s*" next to ".*?"): on a hostile line of spaces those
# backtrack quadratically or worse. Trimming is done in Python instead.
_LEADING_TAG_RE = re.compile(r"^\((?P<tag>[^()\n]{1,60})\)\s*")
_ATTN_RE = re.compile(r"^\(\s*ATTN\b", re.IGNORECASE)
_BYLINE_RE = re.compile(r"^By\s+(?P<names>\S.{0,100})$")
_LD_TAG_RE = re.compile(r"^(?P<n>[0-9]{1,3})\s*(?:st|nd|rd|th)\s+LD$", re.IGNORECASE)
_END_RE = re.compile(r"\(END\)$")
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_EMAIL_RE = re.compile(_EMAIL)
_EMAILS_ONLY_RE = re.compile(rf"^[(<\[]?\s*{_EMAIL}(?:(?:\s*[,;/]\s*|\s+){_EMAIL})*\s*[)>\]]?$")
_YONHAP_DATELINE_RE = re.compile(r"\(\s*Yonhap\s*\)\s*(?:--|[\u2013\u2014\u2015])")
_YONHAP_TAG_LINE_RE = re.compile(
    r"^\((?:URGENT|LEAD|[0-9]{1,3}(?:st|nd|rd|th) LD|ROUNDUP|News Focus|News Analysis|"
    r"Yonhap Interview|Yonhap Feature|CORRECTION|CORRECTED|EDITORIAL\b[^)]*)\)",
    re.IGNORECASE,
)
_COPYRIGHT_RE = re.compile(
    r"^(?:저작권자\s*)?"
    r"(?:ⓒ|©|\(\s*[cC]\s*\)|Copyright\s*(?:ⓒ|©|\(\s*[cC]\s*\)|(?=[0-9]{4})))"
    r"\s*(?:[0-9]{4}(?:\s*-\s*[0-9]{4})?\b)?\s*(?P<rest>.*)$"
)
_PAREN_C_RE = re.compile(r"^\(\s*[cC]\s*\)")
_MAX_COPYRIGHT_CHARS = 160
_BRACKETS = {"[": "]", "<": ">", "(": ")", "【": "】", "〈": "〉", "《": "》"}
# Tokens whose '.' sits inside a holder's name ("Example Co. Ltd.", "U.S. News").
# "Ltd.", "Inc.", "Corp." are left out on purpose: they end the name.
_ABBREVIATIONS = frozenset({"co", "jr", "sr", "st", "no", "mr", "u.s", "u.k"})


def looks_like_yonhap(text: str) -> bool:
    """True when ``text`` has a marker only this layout produces.

    Any of: a ``(Yonhap) --`` dateline; a ``| YYYY-MM-DD HH:MM:SS`` line among
    the first lines; or an ``(END)`` marker together with a Yonhap version-tag
    line (``(LEAD) ...``, ``(2nd LD) ...``) near the top.
    """
    if _YONHAP_DATELINE_RE.search(text[:8192]):
        return True
    top = _top_lines(text, count=6)
    if any(_LAYOUT_TIMESTAMP_RE.match(line) for line in top):
        return True
    has_end = any(_END_RE.search(line.rstrip()) for line in text.split("\n"))
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


def parse_yonhap(text: str, *, wire_id: str, received_at: datetime) -> Article:
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

    body_lines, notes, copyright_ = _read_body(lines[header.body_start :])
    paragraphs = split_paragraphs(body_lines)
    dateline, paragraphs = split_dateline(paragraphs)
    if not paragraphs:
        raise LayoutError(
            f"Yonhap wire has a headline ({_quote(headline)}) but no body paragraphs: "
            "nothing is left below the header once ATTN notes, e-mail lines, a bare "
            "dateline and the (END)/rights trailer are taken out"
        )

    version, urgency = version_from_tags(header.tags)
    agency = (dateline.agency if dateline else None) or DEFAULT_AGENCY
    local_date = _local_date(header.published_at, received_at)
    sid = story_id(agency=agency, local_date=local_date, slug=slug, headline=headline)
    return Article(
        article_id=article_id(story_id=sid, wire_id=wire_id),
        story_id=sid,
        version=version,
        version_tags=header.tags,
        wire_id=wire_id,
        source_format=SOURCE_FORMAT,
        source_agency=agency,
        language="en",
        headline=headline,
        slug=slug,
        byline=header.byline,
        byline_native=header.byline_native,
        dateline=dateline,
        body=paragraphs,
        editorial_notes=[*header.notes, *notes],
        urgency=urgency,
        copyright=copyright_,
        published_at=header.published_at.astimezone(UTC) if header.published_at else None,
        published_offset=_KST_OFFSET if header.published_at else None,
        received_at=received_at.astimezone(UTC),
    )


def version_from_tags(tags: list[str]) -> tuple[int, Urgency]:
    """Map Yonhap version tags to (version, urgency).

    URGENT -> 0 (urgency 1); no tag -> 1; LEAD -> 2; "Nth LD" -> N + 1. Other
    tags (ROUNDUP, News Focus, CORRECTION ...) do not change the version. When
    an LD tag and URGENT both appear, the LD count wins for the version and the
    urgency stays 1.
    """
    urgent_tag = next((t for t in tags if t.casefold() == "urgent"), None)
    lead_versions = [v for v in (_lead_version(t) for t in tags) if v is not None]
    if lead_versions:
        version = max(lead_versions)
    elif urgent_tag is not None:
        version = 0
    else:
        version = 1
    if urgent_tag is not None:
        return version, Urgency(value=_URGENT_URGENCY, source_value=urgent_tag)
    return version, Urgency(value=_NORMAL_URGENCY, source_value=None)


def _lead_version(tag: str) -> int | None:
    if tag.casefold() == "lead":
        return 2
    match = _LD_TAG_RE.match(tag)
    return int(match["n"]) + 1 if match else None


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

        note = _attn_note(line)
        if note is not None:
            if note:
                header.notes.append(note)
            continue

        if not header.titles:
            if seen == 1 and _is_native_name(line):
                header.byline_native = line
                continue
            stamp = _TIMESTAMP_RE.match(line)
            if stamp is not None:
                # A timestamp line with an impossible date is still the timestamp
                # line: skip it rather than print it as the headline.
                header.published_at = _kst_datetime(stamp)
                continue

        byline = _byline(line)
        if byline is not None:
            header.byline = byline
            header.body_start = index + 1
            return header

        if parse_dateline(line) is not None:
            header.body_start = index
            return header

        tags, rest = split_leading_tags(line)
        if not rest:
            # A line holding only tags, e.g. "(URGENT)" above the headline.
            _add_tags(header.tags, tags)
            continue
        if not header.titles or (len(header.titles) == 1 and _is_title_like(rest)):
            _add_tags(header.tags, tags)
            header.titles.append(collapse_whitespace(rest))
            continue

        header.body_start = index
        return header
    return header


def split_leading_tags(line: str) -> tuple[list[str], str]:
    """Split ``"(2nd LD) (ROUNDUP) Title"`` into ``(["2nd LD", "ROUNDUP"], "Title")``.

    ATTN notes are not tags and stop the split.
    """
    tags: list[str] = []
    rest = line.strip()
    while True:
        match = _LEADING_TAG_RE.match(rest)
        tag = collapse_whitespace(match["tag"]) if match else ""
        if match is None or not tag or _ATTN_RE.match(rest):
            return tags, rest
        tags.append(tag)
        rest = rest[match.end() :]


def _add_tags(target: list[str], tags: list[str]) -> None:
    # The slug line and the headline line repeat the same tags; keep each once.
    seen = {t.casefold() for t in target}
    for tag in tags:
        if tag.casefold() not in seen:
            target.append(tag)
            seen.add(tag.casefold())


def _attn_note(line: str) -> str | None:
    match = _ATTN_RE.match(line)
    if match is None:
        return None
    note = line[match.end() :].strip()
    note = note.removeprefix(":").removesuffix(")")
    return collapse_whitespace(note)


def _is_native_name(line: str) -> bool:
    # The repost opens with the reporter's name in Hangul: short, no Latin
    # letters or digits (which a headline or slug would have).
    return (
        len(line) <= 30
        and any(c.isalpha() for c in line)
        and not any(c.isascii() and c.isalnum() for c in line)
        and not line.startswith(("(", "[", "|"))
    )


def _kst_datetime(match: re.Match[str]) -> datetime | None:
    try:
        return datetime(
            int(match["y"]),
            int(match["mo"]),
            int(match["d"]),
            int(match["h"]),
            int(match["mi"]),
            int(match["s"] or 0),
            tzinfo=KST,
        )
    except ValueError:
        return None


def _byline(line: str) -> str | None:
    match = _BYLINE_RE.match(line)
    if match is None:
        return None
    names = match["names"].strip()
    words = names.replace(",", " ").split()
    # "By the numbers: ..." is a headline, "By Park Boram" a byline: names are
    # capitalised, short and carry no sentence punctuation.
    if (
        not words
        or not words[0][0].isupper()
        or len(words) > 10
        or any(ch in names for ch in ':;?!"“”')
        or names.endswith(".")
    ):
        return None
    return collapse_whitespace(names)


def _is_title_like(line: str) -> bool:
    # A headline is short and, unlike a body sentence, rarely ends with a full stop.
    if len(line) > _MAX_TITLE_CHARS:
        return False
    return not (line.endswith(".") and len(line.split()) >= 6)


def _read_body(lines: list[str]) -> tuple[list[str], list[str], Copyright | None]:
    """Body lines up to ``(END)``, with notes, e-mail lines and the rights line taken out."""
    body: list[str] = []
    notes: list[str] = []
    copyright_: Copyright | None = None
    ended = False
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    for index, raw_line in enumerate(lines):
        line = raw_line.strip()
        if not line:
            if not ended:
                body.append("")
            continue
        found = parse_copyright(line)
        # "(c) ..." also opens enumerated body paragraphs; before (END) only the
        # wire's last line may be a rights line in that style.
        if found is not None and (ended or index == last or not _PAREN_C_RE.match(line)):
            copyright_ = copyright_ or found
            continue
        if ended:
            # Past (END) come portal trailers (related links, rights); none is story text.
            continue
        note = _attn_note(line)
        if note is not None:
            if note:
                notes.append(note)
            continue
        end = _END_RE.search(line)
        if end is not None:
            ended = True
            line = line[: end.start()].strip()
        if not line or _EMAILS_ONLY_RE.match(line):
            continue
        if end is not None and _EMAIL_RE.fullmatch(line.split()[-1]):
            # "... last sentence. reporter@yna.co.kr(END)" run together by the portal.
            line = line.rsplit(maxsplit=1)[0] if len(line.split()) > 1 else ""
            if not line:
                continue
        body.append(line)
    return body, notes, copyright_


def parse_copyright(line: str) -> Copyright | None:
    """Read a rights line: ``[ⓒ K-VIBE. 무단전재-재배포 금지]``, ``(C) Yonhap News Agency`` ...

    The holder is the text before the first sentence-ending ``.`` (or, failing
    that, the first ``,``); the notice is the rest. ``None`` if not a rights line.
    """
    inner = line.strip()
    if len(inner) > _MAX_COPYRIGHT_CHARS:
        return None
    closing = _BRACKETS.get(inner[:1])
    if closing is not None and inner.endswith(closing) and len(inner) > 1:
        inner = inner[1:-1].strip()
    match = _COPYRIGHT_RE.match(inner)
    if match is None:
        return None
    rest = match["rest"].strip()
    if not rest:
        return Copyright(holder=None, notice=None)
    holder, notice = _split_holder(rest)
    return Copyright(holder=holder or None, notice=notice or None)


def _split_holder(text: str) -> tuple[str, str]:
    for index, char in enumerate(text):
        if char != ".":
            continue
        at_boundary = index + 1 == len(text) or text[index + 1].isspace()
        word = text[:index].rsplit(maxsplit=1)[-1] if text[:index].strip() else ""
        if at_boundary and word.casefold().strip(",") not in _ABBREVIATIONS:
            return text[:index].strip(), text[index + 1 :].strip()
    if "," in text:
        holder, notice = text.split(",", 1)
        return holder.strip(), notice.strip()
    return text.strip(), ""


def _local_date(published_at: datetime | None, received_at: datetime) -> date:
    # story_id uses the Seoul calendar day; without a timestamp the receipt
    # time seen from Seoul is the closest stand-in.
    moment = published_at if published_at is not None else received_at
    return moment.astimezone(KST).date()


def _quote(text: str, *, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


__all__ = [
    "DEFAULT_AGENCY",
    "KST",
    "SOURCE_FORMAT",
    "looks_like_yonhap",
    "parse_copyright",
    "parse_yonhap",
    "split_leading_tags",
    "version_from_tags",
]


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: see :mod:`streams.parse.formats`."""
    return looks_like_yonhap(text)


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: decode, normalise and parse one Yonhap text wire."""
    return [parse_yonhap(decode_text(data), wire_id=wire_id, received_at=received_at)]
