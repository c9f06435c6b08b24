"""Parser for AP Media API JSON: item responses and feed (or search) pages.

Shapes accepted::

    {"api_version": ..., "data": {"item": {...}}}        item response
    {"item": {...}}  /  {...}                            item metadata file, bare item
    {"api_version": ..., "data": {"items": [{"meta": {...}, "item": {...}}, ...]}}   feed page

AP items are ninjs 1.x with AP extensions. What is read::

    altids.itemid                    story id "ap:<itemid>" (every version), source_item_id
    version                          version: AP counts from 0, Articles from 1, so v + 1
    editorialtypes                   version_tags as written ("Lead", "Writethru", "Correction");
                                     signals "update", "writethru", "correction", "kill" ...
    signals                          signals, lower-cased, after the derived ones
    pubstatus, embargoed             pub_status ("embargoed": usable with embargoed_until)
    headline                         headline (headline_extended when there is none)
    body_text / body_html            body; description_summary / summary stand in for it
    bylines[].by, .title             byline ("By" removed)
    located, datelinelocation.city   dateline, when the body has none
    subject[] (scheme, code, name)   source subjects ("ap-subject:...", "ap-category:...")
    title / slugline                 slug; ednote: editorial note; copyrightnotice; urgency

Feeds list items and link to their text (``renditions.nitf.href``) rather
than carry it: items without text inline are skipped, and a page where no
item has text is refused with a message saying the renditions must be fetched.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from schemas.article import Article, Dateline, PubStatus
from streams.parse.errors import LayoutError, UnsupportedJsonError
from streams.parse.ids import item_story_id, story_id
from streams.parse.json.jsonwire import (
    JSON_ENCODING,
    BodyPart,
    JsonObject,
    best_body,
    clean_byline,
    embargo_of,
    first_moment,
    inline_text,
    int_value,
    item_id_story,
    keys_preview,
    language_of,
    load_object,
    object_at,
    objects_at,
    paragraphs_of,
    pub_status_of,
    raw_text_at,
    renditions_at,
    signals_of,
    sniff_kind,
    subject_of,
    text_at,
    texts_at,
    unique,
    urgency_of,
)
from streams.parse.story import (
    Story,
    copyright_of,
    dateline_from_located,
    finish_lead,
    to_articles,
    unique_subjects,
    utc_day,
)

SOURCE_FORMAT = "ap-media"
AGENCY = "AP"

# editorialtypes (case-insensitive) and the processing signal each one means.
_EDITORIAL_SIGNALS = {
    "writethru": "writethru",
    "correction": "correction",
    "clarification": "correction",
    "lead": "update",
    "update": "update",
    "add": "add",
    "insert": "update",
    "sub": "update",
    "kill": "kill",
    "elimination": "kill",
    "withhold": "withhold",
    "advisory": "advisory",
}
# AP writes "embargoed" as a publication status of its own; the time is in "embargoed".
_AP_STATUS: dict[str, PubStatus] = {"embargoed": "usable"}
_MAX_VERSION = 1_000_000


def items_of(root: JsonObject) -> tuple[list[JsonObject], bool]:
    """The items of an AP response and whether it is a feed (or search) page.

    Raises :class:`UnsupportedJsonError` when the JSON is not AP Media API JSON.
    """
    data = root.get("data")
    if isinstance(data, dict):
        item = data.get("item")
        if isinstance(item, dict):
            return [item], False
        entries = data.get("items")
        if isinstance(entries, list):
            items = [_entry_item(entry) for entry in entries if isinstance(entry, dict)]
            return items, True
    item = root.get("item")
    if isinstance(item, dict):
        return [item], False
    if _is_ap_item(root):
        return [root], False
    raise UnsupportedJsonError(_not_ap(root))


def _entry_item(entry: JsonObject) -> JsonObject:
    # Feed entries are {"meta": {...}, "item": {...}}; some exports list bare items.
    item = entry.get("item")
    return item if isinstance(item, dict) else entry


def _is_ap_item(item: JsonObject) -> bool:
    altids = item.get("altids")
    if isinstance(altids, dict) and ("itemid" in altids or "etag" in altids):
        return True
    return any(key in item for key in ("editorialtypes", "headline_extended", "bylines"))


def _not_ap(root: JsonObject) -> str:
    if "uri" in root and any(key in root for key in ("headlines", "bodies", "headline")):
        return (
            "JSON is not an AP Media API response (no data.item, data.items or altids.itemid) "
            "but looks like a ninjs item; send it with the format hint 'ninjs', or without a hint"
        )
    return (
        "JSON is not an AP Media API item or feed: expected data.item, data.items, item "
        f"or an item with altids.itemid (its keys: {keys_preview(root)})"
    )


def is_text_item(item: JsonObject) -> bool:
    kind = text_at(item, "type")
    return kind is None or kind.casefold() == "text"


def stories_from(item: JsonObject, *, received_at: datetime) -> list[Story]:
    """The item's story, or for a text package without text (AP Top Headlines) the
    stories of its associated items that carry text."""
    if not is_text_item(item):
        return []
    story = story_of(item, received_at=received_at)
    if story is not None:
        return [story]
    stories: list[Story] = []
    associations = item.get("associations")
    children = associations.values() if isinstance(associations, dict) else []
    for child in children:
        if isinstance(child, dict):
            stories.extend(stories_from(child, received_at=received_at))
    return stories


def story_of(item: JsonObject, *, received_at: datetime) -> Story | None:
    """One AP item's story; None when it has no headline or no text inline."""
    headline_value = raw_text_at(item, "headline", "headline_extended")
    headline = inline_text(headline_value) if headline_value else None
    if not headline:
        return None
    body = best_body(renditions_at(item, "body")) or _summary(item)
    body_dateline, body, lead_byline = finish_lead(body, headline=headline)
    if not body:
        return None

    altids = object_at(item, "altids") or {}
    item_id = text_at(altids, "itemid")
    uri = text_at(item, "uri")
    what = f"AP item {item_id or uri or repr(headline[:60])}"
    pub_status = pub_status_of(item.get("pubstatus"), what=what, extra=_AP_STATUS)
    embargoed_until = embargo_of(item, "embargoed", what=what)
    raw_version = int_value(item.get("version"))
    version = raw_version + 1 if raw_version is not None and 0 <= raw_version < _MAX_VERSION else 1
    tags = texts_at(item, "editorialtypes")
    slug = text_at(item, "slugline", "title")
    published = first_moment(item, "versioncreated", "firstcreated")
    if item_id:
        sid = item_story_id(source=AGENCY, item_id=item_id)
    elif uri:
        sid = item_id_story(provider=AGENCY, item_uri=uri)
    else:
        day = utc_day(published, received_at)
        sid = story_id(agency=AGENCY, local_date=day, slug=slug, headline=headline)
    return Story(
        story_id=sid,
        headline=headline,
        body=body,
        version=version,
        version_tags=tags,
        source_agency=(body_dateline.agency if body_dateline else None) or AGENCY,
        language=language_of(text_at(item, "language")),
        slug=slug,
        byline=_byline(item) or lead_byline,
        dateline=body_dateline or _dateline(item),
        editorial_notes=unique([text_at(item, "ednote")]),
        urgency=urgency_of(item.get("urgency")),
        copyright=copyright_of(None, text_at(item, "copyrightnotice")),
        published=published,
        source_item_id=item_id or uri,
        pub_status=pub_status,
        embargoed_until=embargoed_until,
        signals=_signals(item, tags=tags, pub_status=pub_status),
        source_subjects=unique_subjects(
            subject_of(
                code=text_at(subject, "code"),
                scheme=text_at(subject, "scheme"),
                uri=text_at(subject, "uri"),
                name=text_at(subject, "name"),
                relevance=subject.get("relevance"),
                confidence=subject.get("confidence"),
            )
            for subject in objects_at(item, "subject", "subjects")
        ),
    )


def _summary(item: JsonObject) -> list[str]:
    for key, kind in (
        ("description_summary", "text"),
        ("summary", "text"),
        ("description_text", "text"),
        ("description_html", "html"),
    ):
        value = raw_text_at(item, key)
        if value is not None:
            paragraphs = paragraphs_of(BodyPart("html" if kind == "html" else "text", value))
            if paragraphs:
                return paragraphs
    return []


def _byline(item: JsonObject) -> str | None:
    names = unique(clean_byline(text_at(entry, "by")) for entry in objects_at(item, "bylines"))
    if names:
        return ", ".join(names)
    return clean_byline(text_at(item, "byline"))


def _dateline(item: JsonObject) -> Dateline | None:
    located = dateline_from_located(text_at(item, "located"))
    if located is not None:
        return located
    place = object_at(item, "datelinelocation")
    city = text_at(place, "city") if place else None
    return Dateline(cities=[city]) if city else None


def _signals(item: JsonObject, *, tags: list[str], pub_status: PubStatus) -> list[str]:
    derived: list[str | None] = [_EDITORIAL_SIGNALS.get(tag.casefold()) for tag in tags]
    derived += [
        "kill" if pub_status == "canceled" else None,
        "withhold" if pub_status == "withheld" else None,
    ]
    return signals_of(item, derived)


def parse_ap_media(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Every article in an AP Media API item response or feed page.

    Raises :class:`MalformedJsonError` (W120), :class:`UnsupportedJsonError`
    (W121, not AP JSON), :class:`JsonLimitError` (W122), :class:`InvalidFieldError`
    (W123) or :class:`LayoutError` (W104, no item with text inline).
    """
    root = load_object(data, format_name=SOURCE_FORMAT)
    items, is_feed = items_of(root)
    stories = [story for item in items for story in stories_from(item, received_at=received_at)]
    if not stories:
        raise LayoutError(_no_text(items, is_feed=is_feed))
    return to_articles(
        stories,
        source_format=SOURCE_FORMAT,
        wire_id=wire_id,
        received_at=received_at,
        encoding=JSON_ENCODING,
    )


def _no_text(items: list[JsonObject], *, is_feed: bool) -> str:
    fetch = (
        "AP Media API lists items and links to their text; fetch the text rendition "
        "(renditions.nitf.href) and send that, or item JSON that includes the text"
    )
    if is_feed:
        if not items:
            return "AP feed page holds no items"
        kinds = Counter((text_at(item, "type") or "untyped").casefold() for item in items)
        summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        return f"AP feed page has {len(items)} items ({summary}) but none carries its text: {fetch}"
    item = items[0]
    altids = object_at(item, "altids") or {}
    name = text_at(altids, "itemid") or text_at(item, "uri") or "without an itemid"
    kind = text_at(item, "type")
    if not is_text_item(item):
        return f"AP item {name} is of type {kind!r}; only text items become articles"
    if text_at(item, "headline", "headline_extended") is None:
        return f"AP item {name} has no headline"
    return f"AP item {name} carries no story text: {fetch}"


__all__ = ["AGENCY", "SOURCE_FORMAT", "is_text_item", "items_of", "parse_ap_media", "story_of"]


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: JSON with markers only AP writes (see :func:`sniff_kind`)."""
    return sniff_kind(text) == "ap-media"


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: see :func:`parse_ap_media`."""
    return parse_ap_media(data, wire_id=wire_id, received_at=received_at)
