"""What the wire parsers share once a format's own syntax is read: the :class:`Story` they fill
in, how it becomes an :class:`~schemas.Article`, and the format-neutral readings on the way.

Kept apart from :mod:`streams.parse.xml.xmlsafe` and :mod:`streams.parse.json.jsonwire` on purpose:
this module imports no XML or JSON library, so a worker that only sees ninjs never loads
defusedxml, and one that only sees NITF never loads orjson.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import NamedTuple

from pydantic import ValidationError

from schemas.article import Article, Copyright, Dateline, PubStatus, SourceSubject, Urgency
from streams.parse.credits import read_byline
from streams.parse.dateline import split_dateline
from streams.parse.errors import LayoutError
from streams.parse.ids import article_id

#: IPTC urgency when the source gives none ("normal"): every parser reports the same,
#: so downstream code never meets a story without one.
NORMAL_URGENCY = 5

#: Publication status words (also the code of a ``stat:`` qcode), lower case.
PUB_STATUSES: dict[str, PubStatus] = {
    "usable": "usable",
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
}


# ------------------------------------------------------------------------- times


class Moment(NamedTuple):
    """A source timestamp: the instant in UTC, and the UTC offset the source wrote it in."""

    utc: datetime
    offset: str | None  # "+02:00"; None when the source gave no offset (read as UTC)


def iso_moment(match: re.Match[str]) -> Moment | None:
    """The :class:`Moment` a match of an ISO 8601 pattern names; None for an impossible one.

    Each format has its own pattern (which spellings it accepts is its business),
    with the named groups ``y mo d`` and optional ``h mi s f tz``. A time
    without an offset is taken as UTC and its offset reported as unknown.
    """
    tz_text = match["tz"]
    try:
        if tz_text is None:
            zone, offset = UTC, None
        elif tz_text in ("Z", "z"):
            zone, offset = UTC, "+00:00"
        else:
            digits = tz_text[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:] or 0)
            delta = timedelta(hours=hours, minutes=minutes)
            zone = timezone(-delta if tz_text[0] == "-" else delta)
            offset = f"{tz_text[0]}{hours:02d}:{minutes:02d}"
        fraction = (match["f"] or "0")[:6].ljust(6, "0")
        moment = datetime(
            int(match["y"]),
            int(match["mo"]),
            int(match["d"]),
            int(match["h"] or 0),
            int(match["mi"] or 0),
            int(match["s"] or 0),
            int(fraction),
            tzinfo=zone,
        )
        return Moment(utc=moment.astimezone(UTC), offset=offset)
    except (ValueError, OverflowError):
        return None


def utc_day(published: Moment | None, received_at: datetime) -> date:
    """The day a story id is keyed on when the source names no day of its own: the
    publication day in UTC, else the day the wire was received."""
    return (published.utc if published else received_at.astimezone(UTC)).date()


# ------------------------------------------------------------------ field readings


def copyright_of(holder: str | None, notice: str | None) -> Copyright | None:
    """A copyright from a holder and a notice; None when the source gives neither."""
    return Copyright(holder=holder, notice=notice) if holder or notice else None


def dateline_from_located(located: str | None) -> Dateline | None:
    """A dateline from a place name ("Oslo, Norway", "New York, NY") as the source wrote it:
    a place, not a dateline to split at its commas."""
    return Dateline(cities=[located]) if located else None


def unique_subjects(subjects: Iterable[SourceSubject | None]) -> list[SourceSubject]:
    """The subjects in order, each code once (the first one given wins); Nones left out."""
    seen: set[str] = set()
    kept: list[SourceSubject] = []
    for subject in subjects:
        if subject is not None and subject.code not in seen:
            seen.add(subject.code)
            kept.append(subject)
    return kept


# Agency sign-offs closing a story: staff initials such as "bur-dar-gl/fz".
_BULLET_RE = re.compile(r"^[ \t]*[*\u2022\u00b7\u25cf\u25aa\u2013-][ \t]+\S")
# A desk sign-off after the agency's name: "AAP RTV", "AFP sn", "AAP km/jd".
_DESK_SIGNOFF_RE = re.compile(
    r"^(?:AAP|AFP|AP|dpa|Reuters)[ \t]+"
    r"(?:[a-z]{2,5}|[A-Z]{2,4})(?:/(?:[a-z]{2,5}|[A-Z]{2,4})){0,3}$"
)
_SIGNOFF_RE = re.compile(r"^[a-z]{2,6}(?:-[a-z]{2,6}){0,8}/[a-z]{2,6}(?:-[a-z]{2,6}){0,8}$")


def finish_body(
    paragraphs: list[str], *, headline: str | None = None
) -> tuple[Dateline | None, list[str]]:
    """Body paragraphs ready for an Article, and the dateline taken off the first one.

    Drops paragraphs without a letter or digit (``___`` rules, stray dashes),
    a first paragraph that only repeats the headline (HTML and XHTML bodies
    often open with it as ``<h1>``) and a closing staff sign-off (``bur-dar-gl/fz``,
    ``AAP RTV``, ``AFP sn``).
    """
    lead = finish_lead(paragraphs, headline=headline)
    return lead.dateline, lead.paragraphs


class Lead(NamedTuple):
    """A body ready for an Article: the dateline and byline its first paragraphs held."""

    dateline: Dateline | None
    paragraphs: list[str]
    byline: str | None = None


def finish_lead(paragraphs: list[str], *, headline: str | None = None) -> Lead:
    """:func:`finish_body`, also taking off a ``By ...`` paragraph that opens the body.

    Agencies that put the byline in the text (Reuters, PA, AAP) write it as the
    first paragraph, above the dateline; it is the byline, not the story's start.
    """
    kept = [p for p in paragraphs if any(c.isalnum() for c in p)]
    if kept and headline and kept[0].casefold() == headline.casefold():
        kept.pop(0)
    if kept and (_SIGNOFF_RE.match(kept[-1]) or _DESK_SIGNOFF_RE.match(kept[-1])):
        kept.pop()
    # Past any bullet points a market wrap opens with, as the dateline is.
    at = 0
    while at < len(kept) and _BULLET_RE.match(kept[at]):
        at += 1
    byline = read_byline(kept[at]) if at + 1 < len(kept) else None
    if byline is not None:
        kept.pop(at)
    dateline, rest = split_dateline(kept)
    return Lead(dateline=dateline, paragraphs=rest, byline=byline)


# ------------------------------------------------------------------------ articles


@dataclass
class Story:
    """Everything one news item says, before it becomes an :class:`Article`."""

    story_id: str
    headline: str
    body: list[str]
    version: int = 1
    version_tags: list[str] = field(default_factory=list)
    source_agency: str | None = None
    language: str | None = None
    slug: str | None = None
    byline: str | None = None
    dateline: Dateline | None = None
    editorial_notes: list[str] = field(default_factory=list)
    urgency: Urgency | None = None
    copyright: Copyright | None = None
    published: Moment | None = None
    source_item_id: str | None = None
    pub_status: PubStatus = "usable"
    embargoed_until: datetime | None = None
    signals: list[str] = field(default_factory=list)
    genre: str | None = None
    source_subjects: list[SourceSubject] = field(default_factory=list)


def to_articles(
    stories: list[Story],
    *,
    source_format: str,
    wire_id: str,
    received_at: datetime,
    encoding: str,
) -> list[Article]:
    """Articles from the stories of one wire.

    With several stories in one wire each article id also hashes the item's
    position, so two versions of one story in one message or feed page stay distinct.
    """
    articles: list[Article] = []
    for index, story in enumerate(stories):
        item_wire = wire_id if len(stories) == 1 else f"{wire_id}#{index}"
        try:
            articles.append(
                Article(
                    article_id=article_id(story_id=story.story_id, wire_id=item_wire),
                    story_id=story.story_id,
                    version=story.version,
                    version_tags=story.version_tags,
                    wire_id=wire_id,
                    source_format=source_format,
                    source_agency=story.source_agency,
                    language=story.language or "en",
                    headline=story.headline,
                    slug=story.slug,
                    byline=story.byline,
                    dateline=story.dateline,
                    body=story.body,
                    editorial_notes=story.editorial_notes,
                    urgency=story.urgency or Urgency(value=NORMAL_URGENCY, source_value=None),
                    copyright=story.copyright,
                    published_at=story.published.utc if story.published else None,
                    published_offset=story.published.offset if story.published else None,
                    received_at=received_at.astimezone(UTC),
                    source_item_id=story.source_item_id,
                    pub_status=story.pub_status,
                    embargoed_until=story.embargoed_until,
                    signals=story.signals,
                    genre=story.genre,
                    source_subjects=story.source_subjects,
                    source_encoding=encoding,
                )
            )
        except ValidationError as exc:
            # Every field is checked on the way in; this is the last line of defence
            # so that no input can make the parser raise anything but a ParseError.
            raise LayoutError(
                f"{source_format} item {index + 1} does not make a valid article: "
                f"{exc.errors()[0]['msg']}"
            ) from None
    return articles


__all__ = [
    "NORMAL_URGENCY",
    "PUB_STATUSES",
    "Lead",
    "Moment",
    "Story",
    "copyright_of",
    "dateline_from_located",
    "finish_body",
    "finish_lead",
    "iso_moment",
    "to_articles",
    "unique_subjects",
    "utc_day",
]
