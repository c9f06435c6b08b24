"""What every Yonhap layout shares: the story record, version tags, body reading.

The portal repost (:mod:`.portal`), the crawled page (:mod:`.crawl`) and the
e-mailed teletype copy (:mod:`.teletype`) each read their own header, then
hand a :class:`YonhapStory` to :func:`build_yonhap_article`. This module
imports none of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import NamedTuple

from schemas.article import Article, Copyright, Urgency
from streams.parse.credits import parse_copyright
from streams.parse.dateline import offset_text, split_dateline_with_reporter
from streams.parse.errors import LayoutError
from streams.parse.ids import article_id, story_id
from streams.parse.story import NORMAL_URGENCY
from streams.parse.text import collapse_whitespace, guess_language

DEFAULT_AGENCY = "Yonhap"


# Korea has kept UTC+9 without daylight saving since 1988, so a fixed offset is
# exact and needs no tz database.
KST = timezone(timedelta(hours=9), "KST")

_URGENT_URGENCY = 1

# Patterns here avoid two adjacent quantifiers that can match the same
# characters (e.g. "\s*" next to ".*?"): on a hostile line of spaces those
# backtrack quadratically or worse. Trimming is done in Python instead.
_LEADING_TAG_RE = re.compile(r"^\((?P<tag>[^()\n]{1,60})\)\s*")
_ATTN_RE = re.compile(r"^\(\s*ATTN\b", re.IGNORECASE)
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
_PAREN_C_RE = re.compile(r"^\(\s*[cC]\s*\)")


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


def _local_date(published_at: datetime | None, received_at: datetime) -> date:
    # story_id uses the Seoul calendar day; without a timestamp the receipt
    # time seen from Seoul is the closest stand-in.
    moment = published_at if published_at is not None else received_at
    return moment.astimezone(KST).date()


def _quote(text: str, *, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


__all__ = [
    "DEFAULT_AGENCY",
    "END_MARK_RE",
    "KST",
    "YONHAP_DATELINE_RE",
    "YonhapStory",
    "YonhapVersion",
    "add_tags",
    "attn_note",
    "build_yonhap_article",
    "kst_datetime",
    "read_body",
    "split_leading_tags",
    "split_version_tags",
    "version_from_tags",
    "yonhap_version",
]
