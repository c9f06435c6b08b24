"""Parser for IPTC ninjs ("News in JSON") 1.x, 2.x and 3.x items.

The three major versions name the same things differently; every name is
read, the detected version only decides which one wins when an item carries
both::

    1.x (lower, single)   2.x (lower, arrays)   3.x (camelCase)       Article
    uri                   uri                   uri                   source_item_id, story id
    version               version               version               version
    versioncreated        versioncreated        versionCreated        published_at
    pubstatus             pubstatus             pubStatus             pub_status
    embargoed             embargoed             embargoedUntil        embargoed_until
    urgency               urgency               urgency               urgency (source kept)
    headline              headlines[main]       headlines[main]       headline
    body_text, body_html  bodies[contenttype]   bodies[contentType]   body
    description_text      descriptions          descriptions          body, if none
    byline                by                    by                    byline ("By" removed)
    located               located               located               dateline, if none
    subject               subjects              subjects              source_subjects
    genre                 genres                genres                genre
    copyrightholder       copyrightholder       copyrightHolder       copyright
    ednote                ednote                edNote                editorial_notes
    associations {name:}  associations [...]    associations [...]    package members

A plain-text body is preferred to markup unless the markup keeps paragraph
breaks the plain text lost. A package (an item whose own body is empty, with
associated items) yields one article per associated text item; pictures,
video, audio and graphics never become articles. All versions of a story share
the ``uri``, so the story id is ``provider:uri-key`` (``tt:media-text-210526-...``).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from schemas.article import Article, PubStatus
from streams.parse.errors import LayoutError, UnsupportedJsonError
from streams.parse.ids import normalise_key, story_id
from streams.parse.json.jsonwire import (
    JSON_ENCODING,
    BodyPart,
    JsonObject,
    best_body,
    body_kind,
    clean_byline,
    embargo_of,
    first_moment,
    inline_text,
    int_value,
    item_id_story,
    keys_preview,
    language_of,
    load_object,
    objects_at,
    paragraphs_of,
    provider_of,
    pub_status_of,
    raw_text_at,
    renditions_at,
    signals_of,
    sniff_kind,
    subject_of,
    text_at,
    unique,
    urgency_of,
)
from streams.parse.story import (
    Moment,
    Story,
    copyright_of,
    dateline_from_located,
    finish_lead,
    to_articles,
    unique_subjects,
    utc_day,
)
from streams.parse.text import hangul_share

SOURCE_FORMAT = "ninjs"

#: Item types that are never stories of their own.
MEDIA_TYPES = frozenset(
    {"picture", "image", "photo", "graphic", "video", "audio", "event", "planning", "coverage"}
)

# Names that only a ninjs 3.x item uses (2.x kept lower case, 1.x had singular names).
_V3_NAMES = frozenset(
    {
        "versionCreated", "firstCreated", "contentCreated", "pubStatus", "embargoedUntil",
        "copyrightHolder", "copyrightNotice", "usageTerms", "edNote", "altIds",
        "representationType", "infoSources", "trustIndicators", "rightsInfo",
    }
)  # fmt: skip
_V2_NAMES = frozenset(
    {
        "headlines", "bodies", "descriptions", "subjects", "genres", "by", "places", "people",
        "organisations", "events", "objects", "infosources", "trustindicators", "standard",
    }
)  # fmt: skip
# What any ninjs item has at least one of; JSON with none of them is something else.
_NINJS_NAMES = frozenset(
    {
        "uri", "headline", "headlines", "body_text", "body_html", "body_xhtml", "bodies",
        "versioncreated", "versionCreated", "associations", "$standard", "standard",
        "description_text", "descriptions",
    }
)  # fmt: skip
# ninjs 3 event and planning items carry these instead of (or besides) a type.
_EVENT_NAMES = ("eventDetails", "plannedCoverage")
_SCHEMA_VERSION_RE = re.compile(r"ninjs[-_ ]?schema[-_ ]?v?([0-9]+)", re.IGNORECASE)
_VERSION_RE = re.compile(r"^\s*v?([0-9]+)(?:\.[0-9]+)*\s*$")
_LATEST_MAJOR = 3
# Headline roles in order of preference; any other role comes after these.
_HEADLINE_ROLES = ("main", "headline", "", "title")
# Description roles that summarise the story (a caption describes a picture).
_TEXT_DESCRIPTION_ROLES = frozenset({"", "lead", "summary", "text", "abstract", "teaser"})
_MAX_VERSION = 1_000_000
_KOREAN_SHARE = 0.5


def detect_version(item: JsonObject) -> int:
    """The ninjs major version of an item: declared (``$schema``, ``schema``,
    ``standard``/``$standard``) or, failing that, told by its field names."""
    declared = _declared_version(item)
    if declared is not None:
        return declared
    names = set(item)
    for key in ("bodies", "headlines", "descriptions"):
        for entry in objects_at(item, key):
            names.update(entry)
    if names & _V3_NAMES or "contentType" in names:
        return 3
    if names & _V2_NAMES or "contenttype" in names:
        return 2
    return 1


def _declared_version(item: JsonObject) -> int | None:
    candidates: list[object] = [item.get("$schema"), item.get("schema")]
    for key in ("standard", "$standard"):
        standard = item.get(key)
        if isinstance(standard, dict):
            candidates.extend([standard.get("version"), standard.get("schema")])
    for value in candidates:
        if not isinstance(value, str):
            continue
        match = _SCHEMA_VERSION_RE.search(value) or _VERSION_RE.match(value)
        if match is not None:
            major = int(match[1][:3])
            if major >= 1:
                # A newer major than we know is read as the latest we do.
                return min(major, _LATEST_MAJOR)
    return None


def looks_like_ninjs(item: JsonObject) -> bool:
    """True when an object has at least one field every ninjs item is built from."""
    return bool(_NINJS_NAMES & set(item))


def is_media(item: JsonObject) -> bool:
    """A picture, video, audio, graphic, event or planning item: never an article of its own."""
    if any(key in item for key in _EVENT_NAMES):
        return True
    kind = text_at(item, "type")
    return kind is not None and kind.casefold() in MEDIA_TYPES


def stories_from(
    item: JsonObject, *, received_at: datetime, label: str = "ninjs item"
) -> list[Story]:
    """The stories of one ninjs item: itself when it has text, else its associated text items.

    Raises :class:`InvalidFieldError` for an unreadable embargo or status.
    """
    if is_media(item):
        return []
    story = story_of(item, received_at=received_at, label=label)
    if story is not None:
        return [story]
    stories: list[Story] = []
    for name, associated in associations_of(item):
        if not is_media(associated):
            stories.extend(
                stories_from(associated, received_at=received_at, label=f"association {name!r}")
            )
    return stories


def associations_of(item: JsonObject) -> list[tuple[str, JsonObject]]:
    """``(name, item)`` for each associated item: 1.x maps names to items, 2.x/3.x list them."""
    value = item.get("associations")
    if isinstance(value, dict):
        return [(str(name), child) for name, child in value.items() if isinstance(child, dict)]
    if isinstance(value, list):
        return [
            (text_at(child, "name") or str(index + 1), child)
            for index, child in enumerate(value)
            if isinstance(child, dict)
        ]
    return []


def story_of(item: JsonObject, *, received_at: datetime, label: str) -> Story | None:
    """One item's story; None when it has no headline or no text of its own."""
    major = detect_version(item)
    headline = headline_of(item)
    if headline is None:
        return None
    body = best_body(body_parts(item)) or description_paragraphs(item)
    body_dateline, body, lead_byline = finish_lead(body, headline=headline)
    if not body:
        return None

    uri = text_at(item, "uri")
    what = f"{label} {uri}" if uri else label
    pub_status = pub_status_of(_pick(item, major, "pubstatus", "pubStatus"), what=what)
    embargo_keys = (
        ("embargoedUntil", "embargoed") if major >= 3 else ("embargoed", "embargoedUntil")
    )
    embargoed_until = embargo_of(item, *embargo_keys, what=what)
    version = int_value(item.get("version"))
    version = version if version is not None and 0 <= version <= _MAX_VERSION else 1
    holder = text_at(item, *_names(major, "copyrightholder", "copyrightHolder"))
    notice = text_at(item, *_names(major, "copyrightnotice", "copyrightNotice"))
    published = first_moment(
        item,
        *_names(major, "versioncreated", "versionCreated"),
        *_names(major, "firstcreated", "firstCreated"),
        *_names(major, "contentcreated", "contentCreated"),
    )
    dateline = body_dateline or dateline_from_located(text_at(item, "located"))
    agency = (body_dateline.agency if body_dateline else None) or holder
    slug = text_at(item, "slugline")
    language = language_of(text_at(item, "language"))
    if language is None:
        language = "ko" if hangul_share(" ".join([headline, *body])) > _KOREAN_SHARE else "en"
    return Story(
        story_id=_story_id(
            uri,
            holder=holder,
            published=published,
            received_at=received_at,
            slug=slug,
            headline=headline,
        ),
        headline=headline,
        body=body,
        version=version,
        source_agency=agency,
        language=language,
        slug=slug,
        byline=clean_byline(text_at(item, *_names(major, "byline", "by"))) or lead_byline,
        dateline=dateline,
        editorial_notes=unique([text_at(item, *_names(major, "ednote", "edNote"))]),
        urgency=urgency_of(item.get("urgency")),
        copyright=copyright_of(holder, notice),
        published=published,
        source_item_id=uri,
        pub_status=pub_status,
        embargoed_until=embargoed_until,
        signals=_signals(item, pub_status=pub_status, version=version),
        genre=_genre(item),
        source_subjects=unique_subjects(
            subject_of(
                code=text_at(subject, "code", "qcode"),
                scheme=text_at(subject, "scheme"),
                uri=text_at(subject, "uri"),
                literal=text_at(subject, "literal"),
                name=text_at(subject, "name"),
                relevance=subject.get("relevance"),
                confidence=subject.get("confidence"),
            )
            for subject in objects_at(item, *_names(major, "subject", "subjects"))
        ),
    )


def _names(major: int, old: str, new: str) -> tuple[str, str]:
    # Both spellings are read; the one of the item's own version goes first.
    if major >= 3 or (major == 2 and new.islower()):
        return new, old
    return old, new


def _pick(item: JsonObject, major: int, old: str, new: str) -> Any:
    first, second = _names(major, old, new)
    value = item.get(first)
    return value if value is not None else item.get(second)


def headline_of(item: JsonObject) -> str | None:
    """The main headline: ``headlines`` by role (2.x/3.x), ``headline`` (1.x), then ``title``."""
    headlines = objects_at(item, "headlines")

    def rank(entry: JsonObject) -> int:
        role = (text_at(entry, "role") or "").casefold()
        return _HEADLINE_ROLES.index(role) if role in _HEADLINE_ROLES else len(_HEADLINE_ROLES)

    for entry in sorted(headlines, key=rank):
        value = raw_text_at(entry, "value")
        if value is None:
            continue
        content_type = text_at(entry, "contentType", "contenttype") or ""
        headline = inline_text(value, markup="html" in content_type.casefold())
        if headline:
            return headline
    for key in ("headline", "title"):
        value = raw_text_at(item, key)
        if value is not None:
            headline = inline_text(value)
            if headline:
                return headline
    return None


def body_parts(item: JsonObject) -> list[BodyPart]:
    """Every text rendition of the body: 2.x/3.x ``bodies``, then the 1.x fields."""
    typed = [_typed_part(body) for body in objects_at(item, "bodies")]
    return [part for part in typed if part is not None] + renditions_at(item, "body")


def description_paragraphs(item: JsonObject) -> list[str]:
    """A summary to stand in for a missing body: ``descriptions`` (not captions), 1.x fields."""
    typed = [
        _typed_part(description)
        for description in objects_at(item, "descriptions")
        if (text_at(description, "role") or "").casefold() in _TEXT_DESCRIPTION_ROLES
    ]
    parts = [part for part in typed if part is not None] + renditions_at(item, "description")
    for part in parts:
        paragraphs = paragraphs_of(part)
        if paragraphs:
            return paragraphs
    return []


def _typed_part(entry: JsonObject) -> BodyPart | None:
    # A 2.x/3.x ``bodies`` or ``descriptions`` entry: its value, read as its content type says.
    value = raw_text_at(entry, "value")
    if value is None:
        return None
    kind = body_kind(text_at(entry, "contentType", "contenttype"), value)
    return BodyPart(kind, value) if kind is not None else None


def _genre(item: JsonObject) -> str | None:
    for genre in objects_at(item, "genres", "genre"):
        name = text_at(genre, "name", "literal", "code")
        if name:
            return name
        uri = text_at(genre, "uri")
        if uri:
            return uri.rstrip("/").rsplit("/", 1)[-1].split(":")[-1] or None
    return None


def _signals(item: JsonObject, *, pub_status: PubStatus, version: int) -> list[str]:
    derived: list[str | None] = [
        "kill" if pub_status == "canceled" else None,
        "withhold" if pub_status == "withheld" else None,
        "update" if version > 1 else None,
    ]
    return signals_of(item, derived)


def _story_id(
    uri: str | None,
    *,
    holder: str | None,
    published: Moment | None,
    received_at: datetime,
    slug: str | None,
    headline: str,
) -> str:
    if uri is not None:
        provider = provider_of(uri) or normalise_key(holder or "") or SOURCE_FORMAT
        return item_id_story(provider=provider, item_uri=uri)
    # ninjs requires a uri; without one, fall back to what every other parser keys on.
    day = utc_day(published, received_at)
    return story_id(agency=holder, local_date=day, slug=slug, headline=headline)


def parse_ninjs(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Every article in a ninjs wire (one item, or the text items of a package).

    Raises :class:`MalformedJsonError` (W120), :class:`UnsupportedJsonError`
    (W121, not ninjs), :class:`JsonLimitError` (W122), :class:`InvalidFieldError`
    (W123) or :class:`LayoutError` (W104, an item with no text).
    """
    item = load_object(data, format_name=SOURCE_FORMAT)
    if not looks_like_ninjs(item):
        raise UnsupportedJsonError(_not_ninjs(item))
    stories = stories_from(item, received_at=received_at)
    if not stories:
        raise LayoutError(_no_text(item))
    return to_articles(
        stories,
        source_format=SOURCE_FORMAT,
        wire_id=wire_id,
        received_at=received_at,
        encoding=JSON_ENCODING,
    )


def _not_ninjs(item: JsonObject) -> str:
    data = item.get("data")
    if "altids" in item or "item" in item or (isinstance(data, dict) and "items" in data):
        return (
            "JSON is not a ninjs item but looks like an AP Media API response; "
            "send it with the format hint 'ap-media', or without a hint"
        )
    return (
        "JSON is neither a ninjs item nor an AP Media API item or feed: it has none of "
        f"uri, headline(s), body fields or associations (its keys: {keys_preview(item)})"
    )


def _no_text(item: JsonObject) -> str:
    uri = text_at(item, "uri") or "without a uri"
    if is_media(item):
        kind = "event" if any(key in item for key in _EVENT_NAMES) else text_at(item, "type")
        return f"ninjs item {uri} is of type {kind!r}; only text items become articles"
    associated = associations_of(item)
    if associated:
        kinds = ", ".join(unique(text_at(child, "type") or "untyped" for _, child in associated))
        return (
            f"ninjs package {uri} has no text of its own and none of its "
            f"{len(associated)} associated items ({kinds}) has a headline and text"
        )
    if headline_of(item) is None:
        return f"ninjs item {uri} has no headline (headlines, headline or title)"
    return (
        f"ninjs item {uri} has a headline but no body text "
        "(bodies, body_text, body_html or descriptions)"
    )


__all__ = [
    "MEDIA_TYPES",
    "SOURCE_FORMAT",
    "associations_of",
    "detect_version",
    "headline_of",
    "is_media",
    "looks_like_ninjs",
    "parse_ninjs",
    "stories_from",
    "story_of",
]


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: a JSON object that is not AP Media API JSON (see :func:`sniff_kind`)."""
    return sniff_kind(text) == "ninjs"


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: see :func:`parse_ninjs`."""
    return parse_ninjs(data, wire_id=wire_id, received_at=received_at)
