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
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import NamedTuple

from schemas.article import Article, Copyright, Urgency
from streams.parse.dateline import offset_text, parse_dateline, split_dateline_with_reporter
from streams.parse.errors import LayoutError
from streams.parse.ids import article_id, story_id
from streams.parse.story import NORMAL_URGENCY
from streams.parse.text import (
    collapse_whitespace,
    guess_language,
    parse_text_wire,
    sniff_text,
    split_paragraphs,
)

SOURCE_FORMAT = "yonhap-text"
DEFAULT_AGENCY = "Yonhap"

# Korea has kept UTC+9 without daylight saving since 1988, so a fixed offset is
# exact and needs no tz database.
KST = timezone(timedelta(hours=9), "KST")

# The header is a handful of lines; past this many, whatever we have is the header.
_MAX_HEADER_LINES = 12
# A second title line longer than this is a body paragraph, not a headline.
_MAX_TITLE_CHARS = 160

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
# Korean-service tags: "(종합2보)" is the second roundup, "(2보)" the second report.
_KO_ROUNDUP_TAG_RE = re.compile(r"^종합(?P<n>[0-9]{1,2})보$")
_KO_REPORT_TAG_RE = re.compile(r"^(?P<n>[0-9]{1,2})보$")
_KO_TAGS = r"속보|긴급|종합(?:[0-9]{1,2}보)?|[0-9]{1,2}보|고침|정정|인터뷰|르포|해설|사설|일문일답"
# The Korean service appends its tags to the headline: "... 확대(종합2보)".
_TRAILING_KO_TAG_RE = re.compile(rf"[(\[](?P<tag>{_KO_TAGS})[)\]]$")
_LEADING_KO_TAG_RE = re.compile(rf"^\[(?P<tag>{_KO_TAGS})\]\s*")
# A correction note naming the version it corrects: "CORRECTS name in (LEAD)".
_NOTE_VERSION_RE = re.compile(r"\b(?:(?P<n>[0-9]{1,3})(?:st|nd|rd|th) LD|LEAD)\b")
# "(MORE)" closes a take that another wire continues; the take's body ends there too.
END_MARK_RE = re.compile(r"\((?:END|MORE)\)$")
# Korean copy has no (END): a tip line ("제보는 카톡 okjebo") opens the trailer.
_KO_TRAILER_RE = re.compile(r"^▶?\s*제보는\s*(?:카카오톡|카톡)")
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_EMAIL_RE = re.compile(_EMAIL)
_EMAILS_ONLY_RE = re.compile(rf"^[(<\[]?\s*{_EMAIL}(?:(?:\s*[,;/]\s*|\s+){_EMAIL})*\s*[)>\]]?$")
# The agency in a Yonhap dateline: "(Yonhap) --", or "(서울=연합뉴스)" in Korean copy.
YONHAP_DATELINE_RE = re.compile(
    r"\(\s*Yonhap\s*\)\s*(?:--|[\u2013\u2014\u2015])|\([^()=\n]{1,30}=\s*연합뉴스\s*\)"
)
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

    Crawled pages and e-mailed teletype copy are other layouts and never match.
    Otherwise any of: a ``(Yonhap) --`` or ``(서울=연합뉴스)`` dateline; a
    ``| YYYY-MM-DD HH:MM:SS`` line among the first lines; or an ``(END)`` marker
    together with a Yonhap version-tag line (``(LEAD) ...``, ``(2nd LD) ...``)
    near the top.
    """
    # Imported here: both layouts build on this module.
    from streams.parse.yonhap_crawl import looks_like_crawl
    from streams.parse.yonhap_teletype import looks_like_teletype

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


@dataclass
class YonhapStory:
    """What every Yonhap layout reads out of its copy, before it becomes an Article.

    ``paragraphs`` still open with the dateline; ``tags`` are the version tags
    as written; ``published_at`` is in KST (or any aware zone).
    """

    headline: str
    paragraphs: list[str]
    slug: str | None = None
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    byline: str | None = None
    byline_native: str | None = None
    published_at: datetime | None = None
    copyright: Copyright | None = None
    source_item_id: str | None = None


def build_yonhap_article(
    story: YonhapStory,
    *,
    source_format: str,
    wire_id: str,
    received_at: datetime,
    source_encoding: str | None = None,
) -> Article:
    """The Article of one Yonhap story, whichever layout it came in.

    Splits the dateline off (a Korean one also names the reporter), maps the
    version tags (:func:`yonhap_version`), tells Korean copy from English and
    builds the story id from the Seoul publication day and the slug.
    """
    dateline, paragraphs, reporter = split_dateline_with_reporter(story.paragraphs)
    if not paragraphs:
        raise LayoutError(
            f"Yonhap wire has a headline ({_quote(story.headline)}) but no body paragraphs: "
            "nothing is left below the header once ATTN notes, e-mail lines, a bare "
            "dateline and the (END)/rights trailer are taken out"
        )
    byline = story.byline or reporter
    byline_native = story.byline_native
    if byline_native is None and reporter is not None and not reporter.isascii():
        byline_native = reporter

    found = yonhap_version(story.tags, notes=story.notes)
    agency = _agency_name(dateline.agency if dateline else None)
    local_date = _local_date(story.published_at, received_at)
    sid = story_id(agency=agency, local_date=local_date, slug=story.slug, headline=story.headline)
    language = guess_language(" ".join([story.headline, *paragraphs[:3]]), default="en")
    return Article(
        article_id=article_id(story_id=sid, wire_id=wire_id),
        story_id=sid,
        version=found.version,
        version_tags=list(story.tags),
        wire_id=wire_id,
        source_format=source_format,
        source_agency=agency,
        language="ko" if language == "ko" else "en",
        headline=story.headline,
        slug=story.slug,
        byline=byline,
        byline_native=byline_native,
        dateline=dateline,
        body=paragraphs,
        editorial_notes=list(story.notes),
        urgency=found.urgency,
        copyright=story.copyright,
        published_at=story.published_at.astimezone(UTC) if story.published_at else None,
        published_offset=offset_text(story.published_at),
        received_at=received_at.astimezone(UTC),
        source_item_id=story.source_item_id,
        signals=found.signals,
        genre=found.genre,
        source_encoding=source_encoding,
    )


def _agency_name(agency: str | None) -> str:
    # The Korean service names itself "연합뉴스"; one spelling keeps story ids
    # and agency filters the same for both services.
    if agency is None or agency.strip() in ("연합뉴스", "연합"):
        return DEFAULT_AGENCY
    return agency


class YonhapVersion(NamedTuple):
    """What a story's version tags say: its version, urgency, signals and genre."""

    version: int
    urgency: Urgency
    signals: list[str]
    genre: str | None


# Tags that name the kind of piece rather than its version.
_GENRE_TAGS = {
    "news focus": "analysis",
    "news analysis": "analysis",
    "해설": "analysis",
    "yonhap interview": "interview",
    "interview": "interview",
    "인터뷰": "interview",
    "일문일답": "interview",
    "yonhap feature": "feature",
    "feature": "feature",
    "르포": "feature",
    "editorial": "editorial",
    "사설": "editorial",
    "yonhap profile": "profile",
    "profile": "profile",
    "obituary": "obituary",
}
_URGENT_TAGS = frozenset({"urgent", "속보", "긴급"})
_CORRECTION_TAGS = frozenset({"correction", "corrected", "고침", "정정"})


def yonhap_version(tags: Sequence[str], *, notes: Sequence[str] = ()) -> YonhapVersion:
    """The one mapping of Yonhap version tags, shared by every Yonhap layout.

    ===========================  ========  =======  ==========================
    tag                          version   urgency  also
    ===========================  ========  =======  ==========================
    URGENT, 속보, 긴급            0         1
    (none)                       1         5
    LEAD, 종합                    2                  signal ``update``
    Nth LD, 종합(N)보              N + 1              signal ``update``
    N보                          N                  signal ``update`` from 2
    ROUNDUP                      kept
    News Focus / Analysis, 해설   kept               genre ``analysis``
    Yonhap Interview, 인터뷰      kept               genre ``interview``
    Yonhap Feature, 르포          kept               genre ``feature``
    EDITORIAL, 사설               kept               genre ``editorial``
    CORRECTION(ED), 고침, 정정    see below          signal ``correction``
    ===========================  ========  =======  ==========================

    When an LD tag and URGENT both appear, the LD count wins for the version
    and the urgency stays 1. A correction keeps its own version unless an
    editor's note names the version it corrects ("CORRECTS ... in (LEAD)"):
    then it is one past that one, so it sorts after what it replaces.
    """
    folded = [collapse_whitespace(t).casefold() for t in tags]
    urgent_tag = next((t for t, f in zip(tags, folded, strict=True) if f in _URGENT_TAGS), None)
    lead_versions = [v for v in (_lead_version(t) for t in tags) if v is not None]
    if lead_versions:
        version = max(lead_versions)
    elif urgent_tag is not None:
        version = 0
    else:
        version = 1

    signals: list[str] = []
    if version >= 2:
        signals.append("update")
    if any(f in _CORRECTION_TAGS or f.startswith("editorial correction") for f in folded):
        signals.append("correction")
        corrected = [v for v in (_noted_version(note) for note in notes) if v is not None]
        if corrected:
            version = max(version, max(corrected) + 1)
    genre = next((_GENRE_TAGS[f] for f in folded if f in _GENRE_TAGS), None)
    if genre is None and any(f.startswith("editorial") and "correction" not in f for f in folded):
        genre = "editorial"

    if urgent_tag is not None:
        urgency = Urgency(value=_URGENT_URGENCY, source_value=urgent_tag)
    else:
        urgency = Urgency(value=NORMAL_URGENCY, source_value=None)
    return YonhapVersion(version=version, urgency=urgency, signals=signals, genre=genre)


def version_from_tags(tags: list[str]) -> tuple[int, Urgency]:
    """Map Yonhap version tags to (version, urgency); see :func:`yonhap_version`."""
    found = yonhap_version(tags)
    return found.version, found.urgency


def _noted_version(note: str) -> int | None:
    versions = [int(m["n"]) + 1 if m["n"] else 2 for m in _NOTE_VERSION_RE.finditer(note)]
    return max(versions) if versions else None


def _lead_version(tag: str) -> int | None:
    tag = collapse_whitespace(tag)
    if tag.casefold() == "lead" or tag == "종합":
        return 2
    match = _LD_TAG_RE.match(tag) or _KO_ROUNDUP_TAG_RE.match(tag)
    if match:
        return int(match["n"]) + 1
    report = _KO_REPORT_TAG_RE.match(tag)
    return int(report["n"]) if report else None


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


def split_leading_tags(line: str) -> tuple[list[str], str]:
    """Split ``"(2nd LD) (ROUNDUP) Title"`` into ``(["2nd LD", "ROUNDUP"], "Title")``.

    ATTN notes are not tags and stop the split.
    """
    tags: list[str] = []
    rest = line.strip()
    while True:
        match = _LEADING_TAG_RE.match(rest) or _LEADING_KO_TAG_RE.match(rest)
        tag = collapse_whitespace(match["tag"]) if match else ""
        if match is None or not tag or _ATTN_RE.match(rest):
            return tags, rest
        tags.append(tag)
        rest = rest[match.end() :]


def split_version_tags(line: str) -> tuple[list[str], str]:
    """:func:`split_leading_tags`, plus the Korean service's tags after the headline.

    ``"항만 파업 사흘째(종합2보)"`` -> ``(["종합2보"], "항만 파업 사흘째")``.
    """
    tags, rest = split_leading_tags(line)
    trailing: list[str] = []
    while True:
        match = _TRAILING_KO_TAG_RE.search(rest)
        if match is None:
            break
        trailing.insert(0, match["tag"])
        rest = rest[: match.start()].rstrip()
    return [*tags, *trailing], rest


def add_tags(target: list[str], tags: list[str]) -> None:
    """Append to ``target`` the ``tags`` it lacks (compared case-insensitively).

    Slug, headline and subject lines repeat the same tags; each is kept once.
    """
    seen = {t.casefold() for t in target}
    for tag in tags:
        if tag.casefold() not in seen:
            target.append(tag)
            seen.add(tag.casefold())


def attn_note(line: str) -> str | None:
    """The note of an ``(ATTN: ...)`` line ("" for a bare one); ``None`` if not an ATTN line."""
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


def kst_datetime(match: re.Match[str]) -> datetime | None:
    """The Seoul time a timestamp match names (groups ``y mo d h mi``, optional ``s``), as
    every Yonhap layout writes it; None for an impossible date."""
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


def read_byline(line: str) -> str | None:
    """The names of a ``By ...`` line; ``None`` for anything else ("By the numbers: ...")."""
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


def read_body(lines: list[str]) -> tuple[list[str], list[str], Copyright | None]:
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
        if _KO_TRAILER_RE.match(line):
            ended = True
            continue
        note = attn_note(line)
        if note is not None:
            if note:
                notes.append(note)
            continue
        end = END_MARK_RE.search(line)
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
    "YonhapStory",
    "YonhapVersion",
    "build_yonhap_article",
    "looks_like_yonhap",
    "parse_copyright",
    "parse_yonhap",
    "split_leading_tags",
    "split_version_tags",
    "version_from_tags",
    "yonhap_version",
]


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: see :mod:`streams.parse.formats`."""
    return looks_like_yonhap(sniff_text(head, text))


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: decode, normalise and parse one Yonhap text wire."""
    return parse_text_wire(data, parse_yonhap, wire_id=wire_id, received_at=received_at)
