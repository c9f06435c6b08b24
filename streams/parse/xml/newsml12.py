"""Parser for IPTC NewsML 1.2: ``NewsML`` envelopes and the ``NewsItem`` elements in them.

Each NewsItem carrying text becomes one article; NewsItems with only photos,
graphics, partial ``Update`` elements or references travel alongside and are
skipped (a wire with nothing else is a :class:`LayoutError`). NewsML 1.2 nests
``NewsComponent`` elements, so news lines and metadata are taken from the
shallowest component that has them, passing over components whose ``Role``
marks them as media or side material (photos, logos, style sheets, contacts).

What is read, and where it goes::

    NewsEnvelope/DateAndTime             published_at, when the item has no time
    NewsEnvelope/Priority                urgency, when the item has none
    Identification/NewsIdentifier        story id: ProviderId + DateId + NewsItemId (shared by
                                         every revision); PublicIdentifier -> source_item_id
      RevisionId (@PreviousRevision)     version; a previous revision -> signal "update"
    Identification/NameLabel             slug, when there is no SlugLine
    NewsManagement/ThisRevisionCreated   published_at (FirstCreated otherwise)
    NewsManagement/Status                pub_status (Usable, Withheld, Canceled; Embargoed ->
                                         embargoed_until from StatusWillChange/DateAndTime)
    NewsManagement/Urgency               urgency 1-9
    NewsLines: HeadLine, ByLine, DateLine, CopyrightLine, SlugLine, KeywordLine
                                         headline, byline, dateline, copyright notice, slug
    NewsLines/NewsLine (AdvisoryLine)    editorial notes
    AdministrativeMetadata               Provider -> agency, Creator -> byline fallback
    DescriptiveMetadata                  Language, Genre, SubjectCode (scheme "subj")
    ContentItem/DataContent              body: NITF, XHTML or plain text (the "Body" or
                                         "Main" component's when there are several)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from xml.etree.ElementTree import Element

from schemas.article import Article, PubStatus, SourceSubject
from streams.parse.errors import LayoutError, ParseError, UnsupportedXmlError
from streams.parse.ids import item_story_id, story_id
from streams.parse.markup import html_to_paragraphs
from streams.parse.story import (
    Story,
    copyright_of,
    finish_lead,
    to_articles,
    unique_subjects,
    utc_day,
)
from streams.parse.xml.newsmlg2 import is_g2_namespace
from streams.parse.xml.nitf import NitfContent, read_nitf
from streams.parse.xml.xmlsafe import (
    Names,
    attr,
    clean_byline,
    dateline_from_text,
    int_of,
    language_of,
    local_name,
    merge_dateline,
    paragraphs_of,
    parse_datetime,
    parse_xml,
    plain_paragraphs,
    pub_status_of,
    sniff_root,
    split_tag,
    text_of,
    unique,
    urgency_of,
)

SOURCE_FORMAT = "newsml-1.2"

# Component roles whose content is not the story (compared lower-case).
_SIDE_ROLES = frozenset(
    {
        "stylesheet", "contact", "contacts", "subheadline", "headline", "logo", "photo",
        "picture", "image", "graphic", "video", "audio", "caption", "thumbnail", "preview",
        "icon", "advertisement", "sidebar", "related",
    }
)  # fmt: skip
_BODY_ROLES = frozenset({"body", "main", "text", "story", "article", "maintext"})
_NON_TEXT_FORMATS = frozenset({"css", "javascript"})


@dataclass
class _Component:
    element: Element
    role: str | None


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: the root element is ``NewsML`` (or a lone ``NewsItem``)."""
    root = sniff_root(head)
    if root is None or is_g2_namespace(root.namespace):
        return False
    return root.local in ("NewsML", "NewsItem")


def parse_newsml12(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Parse a NewsML 1.2 wire: one article per text NewsItem (see the module docstring)."""
    document = parse_xml(data, format_name=SOURCE_FORMAT)
    root = document.root
    namespace, local = split_tag(root.tag)
    n = Names(namespace)
    if local == "NewsML":
        envelope = root.find(n("NewsEnvelope"))
        items = root.findall(n("NewsItem"))
    elif local == "NewsItem":
        envelope, items = None, [root]
    else:
        raise UnsupportedXmlError(
            f"not a NewsML 1.2 document: the root element is <{local}>; expected NewsML"
        )
    if not items:
        raise LayoutError("NewsML 1.2 document holds no NewsItem")

    stories: list[Story] = []
    skipped = 0
    for position, item in enumerate(items, 1):
        if _text_item(item, n) is None:
            if len(items) == 1:
                raise LayoutError(
                    f"NewsML 1.2 NewsItem {_public_id(item, n) or '(no id)'} carries no text "
                    "ContentItem (photos, graphics, references or partial updates only)"
                )
            skipped += 1
            continue
        try:
            stories.append(_story(item, envelope, n, received_at=received_at))
        except ParseError as exc:
            if len(items) == 1:
                raise
            raise type(exc)(
                f"NewsML 1.2 NewsItem {position} of {len(items)}: {exc.message}"
            ) from None
    if not stories:
        raise LayoutError(
            f"NewsML 1.2 document holds {skipped} NewsItems and none carries text "
            "(photos, graphics, references or partial updates only)"
        )
    return to_articles(
        stories,
        source_format=SOURCE_FORMAT,
        wire_id=wire_id,
        received_at=received_at,
        encoding=document.encoding,
    )


def _components(item: Element, n: Names) -> Iterator[_Component]:
    """The item's NewsComponents, shallowest first, without side material."""
    queue = deque(_Component(c, _role(c, n)) for c in item.findall(n("NewsComponent")))
    while queue:
        component = queue.popleft()
        if component.role in _SIDE_ROLES:
            continue
        yield component
        for child in component.element.findall(n("NewsComponent")):
            queue.append(_Component(child, _role(child, n)))


def _role(component: Element, n: Names) -> str | None:
    role = attr(component.find(n("Role")), "FormalName")
    return role.casefold().replace(" ", "") if role else None


def _first(item: Element, n: Names, path: str) -> Element | None:
    for component in _components(item, n):
        found = component.element.find(n(path))
        if found is not None:
            return found
    return None


def _text_item(item: Element, n: Names) -> Element | None:
    """The ContentItem holding the story text, or None when the item has none."""
    fallback: Element | None = None
    for component in _components(item, n):
        for content_item in component.element.findall(n("ContentItem")):
            if not _is_text(content_item, n):
                continue
            if component.role in _BODY_ROLES:
                return content_item
            if fallback is None:
                fallback = content_item
    return fallback


def _is_text(content_item: Element, n: Names) -> bool:
    if content_item.find(n("DataContent")) is None:
        return False
    media = attr(content_item.find(n("MediaType")), "FormalName")
    if media is not None and media.casefold() != "text":
        return False
    formats = {
        (attr(content_item.find(n(name)), "FormalName") or "").casefold()
        for name in ("Format", "MimeType")
    }
    return not any(f in _NON_TEXT_FORMATS or f.endswith(("/css", "javascript")) for f in formats)


def _content(content_item: Element, n: Names) -> tuple[NitfContent | None, list[str]]:
    data = content_item.find(n("DataContent"))
    if data is None:
        return None, []
    for element in data:
        name = local_name(element.tag)
        if name == "nitf":
            content = read_nitf(element)
            return content, content.paragraphs
        if name:
            return None, paragraphs_of(data)
    text = data.text or ""
    mime = (attr(content_item.find(n("MimeType")), "FormalName") or "").casefold()
    form = (attr(content_item.find(n("Format")), "FormalName") or "").casefold()
    if "html" in mime or "html" in form:
        return None, html_to_paragraphs(text)
    return None, plain_paragraphs(text)


def _public_id(item: Element, n: Names) -> str | None:
    identifier = item.find(n("Identification/NewsIdentifier"))
    if identifier is None:
        return None
    public = text_of(identifier.find(n("PublicIdentifier")))
    if public:
        return public
    parts = [text_of(identifier.find(n(name))) for name in ("ProviderId", "DateId", "NewsItemId")]
    return ":".join(p for p in parts if p) or None


def _story(item: Element, envelope: Element | None, n: Names, *, received_at: datetime) -> Story:
    identifier = item.find(n("Identification/NewsIdentifier"))
    provider_id = text_of(identifier.find(n("ProviderId"))) if identifier is not None else None
    date_id = text_of(identifier.find(n("DateId"))) if identifier is not None else None
    item_id = text_of(identifier.find(n("NewsItemId"))) if identifier is not None else None
    revision = identifier.find(n("RevisionId")) if identifier is not None else None
    management = item.find(n("NewsManagement"))

    text_item = _text_item(item, n)
    nitf, paragraphs = _content(text_item, n) if text_item is not None else (None, [])
    nitf = nitf or NitfContent()
    headline = text_of(_first(item, n, "NewsLines/HeadLine")) or nitf.headline or nitf.title
    if headline is None:
        raise LayoutError(
            f"NewsML 1.2 NewsItem {_public_id(item, n) or '(no id)'} has no headline: no "
            "NewsLines/HeadLine and no NITF hl1"
        )
    body_dateline, body, lead_byline = finish_lead(paragraphs, headline=headline)
    body = body or nitf.abstract
    if not body:
        raise LayoutError(
            f"NewsML 1.2 NewsItem {_public_id(item, n) or '(no id)'} ({headline[:60]!r}) has "
            "no body text: its text ContentItem holds no paragraphs"
        )

    agency = attr(_first(item, n, "AdministrativeMetadata/Provider/Party"), "FormalName")
    published = (
        parse_datetime(text_of(management.find(n("ThisRevisionCreated"))))
        if management is not None
        else None
    )
    if published is None and management is not None:
        published = parse_datetime(text_of(management.find(n("FirstCreated"))))
    if published is None and envelope is not None:
        published = parse_datetime(text_of(envelope.find(n("DateAndTime"))))
    slug = (
        text_of(_first(item, n, "NewsLines/SlugLine"))
        or text_of(item.find(n("Identification/NameLabel")))
        or text_of(_first(item, n, "NewsLines/KeywordLine"))
    )
    if item_id:
        key = f"{date_id}:{item_id}" if date_id else item_id
        sid = item_story_id(source=provider_id or agency, item_id=key)
    else:
        day = utc_day(published, received_at)
        sid = story_id(agency=agency or provider_id, local_date=day, slug=slug, headline=headline)
    pub_status, embargoed_until = _status(management, n)
    version = int_of(revision.text if revision is not None else None)
    previous = int_of(attr(revision, "PreviousRevision"))
    urgency = urgency_of(attr(_child(management, n, "Urgency"), "FormalName")) or urgency_of(
        attr(_child(envelope, n, "Priority"), "FormalName")
    )
    copyright_line = text_of(_first(item, n, "NewsLines/CopyrightLine"))
    holder = text_of(_first(item, n, "RightsMetadata/Copyright/CopyrightHolder"))
    city = next(
        (
            attr(prop, "Value")
            for prop in _all(item, n, "DescriptiveMetadata/Location/Property")
            if (attr(prop, "FormalName") or "").casefold() == "city"
        ),
        None,
    )
    return Story(
        story_id=sid,
        headline=headline,
        body=body,
        version=version if version is not None else 1,
        source_agency=agency or provider_id,
        language=(
            attr(_first(item, n, "DescriptiveMetadata/Language"), "FormalName")
            or language_of(item)
            or nitf.language
        ),
        slug=slug,
        byline=(
            clean_byline(text_of(_first(item, n, "NewsLines/ByLine")))
            or nitf.byline
            or lead_byline
            or clean_byline(
                attr(_first(item, n, "AdministrativeMetadata/Creator/Party"), "FormalName")
            )
        ),
        dateline=merge_dateline(
            dateline_from_text(text_of(_first(item, n, "NewsLines/DateLine"))) or nitf.dateline,
            body_dateline,
        )
        or dateline_from_text(city),
        editorial_notes=_notes(item, n),
        urgency=urgency,
        copyright=copyright_of(holder, copyright_line),
        published=published,
        source_item_id=_public_id(item, n),
        pub_status=pub_status,
        embargoed_until=embargoed_until,
        signals=["update"] if previous else [],
        genre=_genre(item, n),
        source_subjects=_subjects(item, n),
    )


def _child(parent: Element | None, n: Names, name: str) -> Element | None:
    return parent.find(n(name)) if parent is not None else None


def _all(item: Element, n: Names, path: str) -> Iterator[Element]:
    for component in _components(item, n):
        yield from component.element.findall(n(path))


def _status(management: Element | None, n: Names) -> tuple[PubStatus, datetime | None]:
    status = (attr(_child(management, n, "Status"), "FormalName") or "usable").casefold()
    if status == "embargoed":
        change = _child(management, n, "StatusWillChange")
        until = parse_datetime(text_of(_child(change, n, "DateAndTime")))
        # Embargoed with no release time: on hold until someone says otherwise.
        return ("usable", until.utc) if until else ("withheld", None)
    return pub_status_of(status) or "usable", None


def _notes(item: Element, n: Names) -> list[str]:
    notes: list[str | None] = []
    for line in _all(item, n, "NewsLines/NewsLine"):
        kind = (attr(line.find(n("NewsLineType")), "FormalName") or "").casefold()
        if "advisory" in kind or "editor" in kind or kind == "note":
            notes.append(text_of(line.find(n("NewsLineText"))))
    return unique(notes)


def _genre(item: Element, n: Names) -> str | None:
    for genre in _all(item, n, "DescriptiveMetadata/Genre"):
        name = attr(genre, "FormalName")
        if name:
            return name.casefold()
    return None


def _subjects(item: Element, n: Names) -> list[SourceSubject]:
    subjects: list[SourceSubject] = []
    for code_element in _all(item, n, "DescriptiveMetadata/SubjectCode"):
        for topic in code_element:
            if local_name(topic.tag) not in ("Subject", "SubjectMatter", "SubjectDetail"):
                continue
            number = attr(topic, "FormalName")
            if number is not None:
                subjects.append(SourceSubject(code=f"subj:{number}", scheme="subj"))
    return unique_subjects(subjects)


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: see :func:`parse_newsml12`."""
    return parse_newsml12(data, wire_id=wire_id, received_at=received_at)


__all__ = ["SOURCE_FORMAT", "parse_newsml12"]
