"""Parser for NITF 3.x (News Industry Text Format) documents.

What is read, and where it goes::

    head/title                          headline, when there is no hl1
    head/docdata@management-status      pub_status (usable, withheld, canceled;
                                        embargoed -> usable with embargoed_until)
    head/docdata/doc-id@id-string       source_item_id, story id (@regsrc: agency)
    head/docdata/du-key@key, @version   story key (shared by the updates of a story), version
    head/docdata/urgency@ed-urg         urgency (1 most urgent ... 9)
    head/docdata/date.issue@norm        published_at (pubdata@date.publication otherwise)
    head/docdata/date.release@norm      embargoed_until, when in the future or embargoed
    head/docdata/ed-msg@info            editorial note
    head/docdata/correction             signal "correction" (its @info: editorial note)
    head/docdata/doc.copyright          copyright holder
    head/docdata/key-list/keyword@key   slug, when there is no du-key
    head/tobject                        genre (tobject.property or tobject.type)
    head/tobject/tobject.subject        source subjects, scheme "subj" (the IPTC codes)
    head/docdata/evloc@city             dateline city, when nothing else names one
    body/body.head/hedline/hl1, hl2     headline: the hl1 with id "headline", else the
                                        first hl1 that is not an AP keyword
                                        ("BC-US--Storm"; AP's Media API NITF), else
                                        head/title, else hl2
    body/body.head/byline               byline (person, bytag or the text, "By" removed)
    body/body.head/dateline             dateline (location/city, or its own text;
                                        story.date alone names no place)
    body/body.content                   body paragraphs; a leading keyword echo and a
                                        "By ..." paragraph are taken off, and the
                                        dateline opening the first paragraph

date.expire has no place in an Article and is not read. NITF documents are
also the bodies of NewsML-G2 and NewsML 1.2 items; those parsers use
:func:`read_nitf` for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from xml.etree.ElementTree import Element

from schemas.article import Article, Copyright, Dateline, PubStatus, SourceSubject, Urgency
from streams.parse.errors import LayoutError, UnsupportedXmlError
from streams.parse.ids import item_story_id, normalise_key, story_id
from streams.parse.story import (
    Moment,
    Story,
    copyright_of,
    finish_lead,
    to_articles,
    unique_subjects,
)
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
    pub_status_of,
    sniff_root,
    split_tag,
    text_of,
    unique,
    urgency_of,
)

SOURCE_FORMAT = "nitf"

# Byline children that are not the name: the title ("Staff Reporter") and places.
_NOT_NAME = frozenset({"byttl", "location", "virtloc"})
# AP's keyword (slug) line: "BC-US--Storm-Damage", "AM-Kim-Parade, 1st Ld-Writethru".
# AAP's desk prefix on a headline: "RL:" rugby league, "ASIA:", "FED:"; no space after it.
_DESK_PREFIX_RE = re.compile(r"^[A-Z]{2,6}:(?=[A-Z0-9'\"‘“])")
_KEYWORD_PREFIX_RE = re.compile(r"^(?:BC|AM|PM)-(?:[A-Z]{1,4}--)?")
AP_KEYWORD_RE = re.compile(r"^(?:BC|AM|PM)-[\w.'&-]+(?:[ ,]|$)")


@dataclass
class NitfContent:
    """What one NITF document says, field by field (None or empty when it does not)."""

    title: str | None = None
    headline: str | None = None
    subheadline: str | None = None
    headlines: list[str] = field(default_factory=list)  # every hl1, the one with id first
    event_city: str | None = None
    byline: str | None = None
    dateline: Dateline | None = None
    abstract: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    language: str | None = None
    doc_id: str | None = None
    registered_by: str | None = None
    du_key: str | None = None
    du_version: int | None = None
    urgency: Urgency | None = None
    issued: Moment | None = None
    released: Moment | None = None
    published: Moment | None = None
    status: str | None = None
    copyright: Copyright | None = None
    notes: list[str] = field(default_factory=list)
    correction: bool = False
    keywords: list[str] = field(default_factory=list)
    subjects: list[SourceSubject] = field(default_factory=list)
    genre: str | None = None


def read_nitf(root: Element) -> NitfContent:
    """Read an ``<nitf>`` element (any namespace, or none) into :class:`NitfContent`."""
    n = Names(split_tag(root.tag)[0])
    head = root.find(n("head"))
    body = root.find(n("body"))
    body_head = body.find(n("body.head")) if body is not None else None
    content = NitfContent(language=language_of(root) or language_of(body))
    if head is not None:
        _read_head(head, n, content)
    if body_head is not None:
        hedline = body_head.find(n("hedline"))
        if hedline is not None:
            hl1s = hedline.findall(n("hl1"))
            hl1s.sort(key=lambda element: attr(element, "id") != "headline")
            content.headlines = unique(text_of(element) for element in hl1s)
            content.headline = content.headlines[0] if content.headlines else None
            content.subheadline = text_of(hedline.find(n("hl2")))
        content.byline = _byline(body_head.find(n("byline")), n)
        content.dateline = _dateline(body_head.find(n("dateline")), n)
        content.abstract = paragraphs_of(body_head.find(n("abstract")))
    content.paragraphs = _body_paragraphs(body, n)
    return content


def _read_head(head: Element, n: Names, content: NitfContent) -> None:
    content.title = text_of(head.find(n("title")))
    content.language = content.language or language_of(head)
    docdata = head.find(n("docdata"))
    if docdata is not None:
        content.status = attr(docdata, "management-status")
        content.event_city = attr(docdata.find(n("evloc")), "city")
        doc_id = docdata.find(n("doc-id"))
        content.doc_id = attr(doc_id, "id-string")
        content.registered_by = attr(doc_id, "regsrc")
        du_key = docdata.find(n("du-key"))
        content.du_key = attr(du_key, "key")
        content.du_version = int_of(attr(du_key, "version"))
        content.urgency = urgency_of(attr(docdata.find(n("urgency")), "ed-urg"))
        content.issued = parse_datetime(attr(docdata.find(n("date.issue")), "norm"))
        content.released = parse_datetime(attr(docdata.find(n("date.release")), "norm"))
        content.copyright = copyright_of(attr(docdata.find(n("doc.copyright")), "holder"), None)
        correction = docdata.find(n("correction"))
        content.correction = correction is not None
        content.notes = unique(
            [
                *(attr(msg, "info") for msg in docdata.findall(n("ed-msg"))),
                attr(correction, "info"),
            ]
        )
        content.keywords = unique(
            attr(keyword, "key") for keyword in docdata.findall(n("key-list/keyword"))
        )
    content.published = parse_datetime(attr(head.find(n("pubdata")), "date.publication"))
    tobject = head.find(n("tobject"))
    if tobject is not None:
        genre = attr(tobject.find(n("tobject.property")), "tobject.property.type")
        genre = genre or attr(tobject, "tobject.type")
        content.genre = genre.casefold() if genre else None
        content.subjects = _subjects(tobject.findall(n("tobject.subject")))


def _subjects(elements: list[Element]) -> list[SourceSubject]:
    subjects: list[SourceSubject] = []
    for element in elements:
        refnum = attr(element, "tobject.subject.refnum")
        if refnum is None:
            continue
        authority = attr(element, "tobject.subject.ipr")
        scheme = "subj" if authority is None or authority.casefold() == "iptc" else None
        scheme = scheme or normalise_key(authority or "") or "subj"
        # The most specific label given: detail, then matter, then type.
        name = (
            attr(element, "tobject.subject.detail")
            or attr(element, "tobject.subject.matter")
            or attr(element, "tobject.subject.type")
        )
        subjects.append(SourceSubject(code=f"{scheme}:{refnum}", scheme=scheme, name=name))
    return unique_subjects(subjects)


def _byline(byline: Element | None, n: Names) -> str | None:
    if byline is None:
        return None
    people = unique(text_of(person) for person in byline.iter(n("person")))
    if people:
        return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]
    bytag = clean_byline(text_of(byline.find(n("bytag"))))
    if bytag:
        return bytag
    parts = [byline.text or ""]
    for child in byline:
        if local_name(child.tag) not in _NOT_NAME:
            parts.extend(child.itertext())
        parts.append(child.tail or "")
    # A byline that is only a title ("Sports Network") is still the credit there is.
    return clean_byline("".join(parts)) or text_of(byline.find(n("byttl")))


def _dateline(dateline: Element | None, n: Names) -> Dateline | None:
    if dateline is None:
        return None
    city = text_of(dateline.find(f".//{n('city')}")) or text_of(dateline.find(n("location")))
    date_text = text_of(dateline.find(n("story.date")))
    if city:
        return Dateline(cities=[city], date_text=date_text)
    # Only the dateline's own text names a place; story.date is a timestamp
    # ("20170102T222800+0000") that would otherwise read as the city.
    own = " ".join([dateline.text or "", *(child.tail or "" for child in dateline)])
    found = dateline_from_text(own)
    if found is None or not found.cities:
        return None
    return Dateline(
        cities=found.cities, date_text=found.date_text or date_text, agency=found.agency
    )


def _body_paragraphs(body: Element | None, n: Names) -> list[str]:
    if body is None:
        return []
    content = body.find(n("body.content"))
    if content is not None:
        return paragraphs_of(content)
    # Some senders leave body.content out and put the blocks in body itself.
    return paragraphs_of(body, drop={"body.head", "body.end"})


def nitf_headline(content: NitfContent) -> str | None:
    """The headline of a NITF document: an hl1 that is a headline rather than AP's keyword,
    without the desk prefix AAP writes before it ("RL:Ferguson returns ...")."""
    candidates = [*content.headlines, content.title]
    found = next((c for c in candidates if c and not AP_KEYWORD_RE.match(c)), None)
    headline = found or content.headline or content.subheadline or content.title
    if headline is not None and AP_KEYWORD_RE.match(headline):
        # Only the keyword names the item ("BC-BBN--Top Ten"): its words are the headline.
        headline = _KEYWORD_PREFIX_RE.sub("", headline) or headline
    if headline is not None:
        headline = _DESK_PREFIX_RE.sub("", headline) or headline
    return headline


def story_from_nitf(content: NitfContent, *, received_at: datetime) -> Story:
    """The :class:`Story` of a stand-alone NITF document; LayoutError without headline or body."""
    headline = nitf_headline(content)
    if headline is None:
        raise LayoutError(
            "NITF document has no headline: no body.head/hedline/hl1 and no head/title"
        )
    paragraphs = content.paragraphs
    if paragraphs and AP_KEYWORD_RE.match(paragraphs[0]) and len(paragraphs) > 1:
        paragraphs = paragraphs[1:]  # AP's NITF echoes the keyword above the text
    body_dateline, body, lead_byline = finish_lead(paragraphs, headline=headline)
    if not body:
        body = content.abstract
    if not body:
        raise LayoutError(
            f"NITF document {headline[:60]!r} has no body text: body.content holds no "
            "paragraphs and there is no abstract"
        )
    dateline = merge_dateline(content.dateline, body_dateline)
    if dateline is None and content.event_city:
        dateline = Dateline(cities=[content.event_city])
    agency = (
        content.registered_by
        or (content.copyright.holder if content.copyright else None)
        or (dateline.agency if dateline else None)
    )
    published = content.issued or content.published
    pub_status, embargoed_until = _status(content, received_at=received_at)
    return Story(
        story_id=_story_id(content, agency=agency, headline=headline, received_at=received_at),
        headline=headline,
        body=body,
        version=content.du_version if content.du_version is not None else 1,
        source_agency=agency,
        language=content.language,
        slug=content.du_key or (", ".join(content.keywords) or None),
        byline=content.byline or lead_byline,
        dateline=dateline,
        editorial_notes=content.notes,
        urgency=content.urgency,
        copyright=content.copyright,
        published=published,
        source_item_id=content.doc_id,
        pub_status=pub_status,
        embargoed_until=embargoed_until,
        signals=["correction"] if content.correction else [],
        genre=content.genre,
        source_subjects=content.subjects,
    )


def _status(content: NitfContent, *, received_at: datetime) -> tuple[PubStatus, datetime | None]:
    status = (content.status or "usable").casefold()
    release = content.released.utc if content.released else None
    if status == "embargoed":
        # Embargoed with no release time: on hold until someone says otherwise.
        return ("usable", release) if release else ("withheld", None)
    pub_status = pub_status_of(status) or "usable"
    if release is not None and release > received_at.astimezone(UTC):
        return pub_status, release
    return pub_status, None


def _story_id(
    content: NitfContent, *, agency: str | None, headline: str, received_at: datetime
) -> str:
    if content.du_key:
        # A du-key names the story through its updates, but keys such as
        # "weather" come back every day, so the day is part of the id.
        moment = content.issued or content.published
        local = _local_date(moment, received_at)
        return story_id(agency=agency, local_date=local, slug=content.du_key, headline=headline)
    if content.doc_id:
        return item_story_id(source=agency, item_id=content.doc_id)
    moment = content.issued or content.published
    return story_id(
        agency=agency,
        local_date=_local_date(moment, received_at),
        slug=", ".join(content.keywords) or None,
        headline=headline,
    )


def _local_date(moment: Moment | None, received_at: datetime) -> date:
    if moment is None:
        return received_at.astimezone(UTC).date()
    if moment.offset is None:
        return moment.utc.date()
    sign = -1 if moment.offset.startswith("-") else 1
    hours, minutes = int(moment.offset[1:3]), int(moment.offset[4:6])
    return (moment.utc + sign * timedelta(hours=hours, minutes=minutes)).date()


def parse_nitf(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Parse one NITF wire into its one article (see the module docstring for the mapping)."""
    document = parse_xml(data, format_name=SOURCE_FORMAT)
    if local_name(document.root.tag) != "nitf":
        raise UnsupportedXmlError(
            f"not an NITF document: the root element is <{local_name(document.root.tag)}>, "
            "NITF has <nitf>"
        )
    story = story_from_nitf(read_nitf(document.root), received_at=received_at)
    return to_articles(
        [story],
        source_format=SOURCE_FORMAT,
        wire_id=wire_id,
        received_at=received_at,
        encoding=document.encoding,
    )


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: the root element is ``<nitf>`` (in any namespace or none)."""
    root = sniff_root(head)
    return root is not None and root.local == "nitf"


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: see :func:`parse_nitf`."""
    return parse_nitf(data, wire_id=wire_id, received_at=received_at)


__all__ = ["SOURCE_FORMAT", "NitfContent", "parse_nitf", "read_nitf", "story_from_nitf"]
