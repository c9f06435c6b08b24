"""Parser for IPTC NewsML-G2: ``newsItem`` and ``newsMessage`` wires.

Roots: a ``newsItem`` is one article; a ``newsMessage`` gives one article per
text ``newsItem`` in its ``itemSet`` elements (pictures, videos and packages
travelling with them are skipped). A ``packageItem`` on its own is refused
with :class:`PackageItemError` (it only lists other items); concept, knowledge,
planning and catalog items, and fragments such as a bare ``contentSet``, with
:class:`UnsupportedXmlError`. Elements are read in the G2 namespace
(``http://iptc.org/std/nar/2006-10-01/``, default or prefixed) or, for
senders that leave it out, in none.

What is read, and where it goes::

    @guid                       source_item_id; story id (provider code + guid, for all versions)
    @version                    version
    itemMeta/itemClass          only ninat:text (or composite) items carry a story
    itemMeta/provider           source_agency (its name, else the qcode's code, else the uri host)
    itemMeta/pubStatus          pub_status (stat:usable, stat:withheld, stat:canceled)
    itemMeta/embargoed          embargoed_until (empty: embargoed until further notice -> withheld)
    itemMeta/signal             signals ("sig:update" -> "update", "sig:correction" -> "correction")
    itemMeta/edNote             editorial notes
    itemMeta/versionCreated     published_at (firstCreated, then contentCreated, when it is missing)
    contentMeta/urgency         urgency 1-9
    contentMeta/headline        headline (else the NITF hl1, else itemMeta/title); a
                                version prefix (Reuters' "UPDATE 2-", "RPT-", "REFILE-",
                                "CORRECTED-") goes to version_tags
    contentMeta/slugline        slug
    contentMeta/by              byline (else the NITF byline, else the creators' names)
    contentMeta/dateline        dateline (else the NITF one, the body's, or located: its
                                name, @literal or a city: qcode; also the place of a
                                dateline that names only the agency)
    contentMeta/language@tag    language (else @xml:lang)
    contentMeta/genre           genre (the qcode's code, lower case)
    contentMeta/subject         source subjects: code = qcode (medtop:..., subj:...), its name
    rightsInfo                  copyright holder and notice
    contentSet                  body: inlineXML NITF first, then XHTML or other XML,
                                then inlineData (text/plain, or HTML)

published_at is the time of *this version* (``versionCreated``): that is when
the item was released in this form, which is what an alert or an archive
orders by; ``firstCreated`` and ``contentCreated`` stand in only without it.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from schemas.article import Article, Copyright, Dateline, PubStatus, SourceSubject
from streams.parse.errors import LayoutError, PackageItemError, ParseError, UnsupportedXmlError
from streams.parse.ids import item_story_id, story_id
from streams.parse.markup import html_to_paragraphs
from streams.parse.story import (
    Story,
    copyright_of,
    dateline_from_located,
    finish_lead,
    to_articles,
    unique_subjects,
    utc_day,
)
from streams.parse.xml.nitf import NitfContent, read_nitf
from streams.parse.xml.xmlsafe import (
    Names,
    attr,
    clean,
    clean_byline,
    dateline_from_text,
    int_of,
    language_of,
    local_name,
    merge_dateline,
    paragraphs_of,
    parse_datetime,
    parse_xml,
    percent_of,
    plain_paragraphs,
    pub_status_of,
    sniff_root,
    split_qcode,
    split_tag,
    text_of,
    unique,
    urgency_of,
)

SOURCE_FORMAT = "newsml-g2"
G2_NAMESPACE = "http://iptc.org/std/nar/2006-10-01/"

_STORY_ROOTS = frozenset({"newsItem", "newsMessage"})
_OTHER_ITEMS = frozenset(
    {"knowledgeItem", "conceptItem", "conceptSet", "planningItem", "catalogItem", "catalog"}
)
_FRAGMENTS = frozenset({"contentSet", "contentMeta", "itemMeta", "rightsInfo", "itemSet"})
# Item classes (ninat:...) that carry story text; the others are media.
_TEXT_CLASSES = frozenset({"text", "composite"})

# Body renditions, best first.
_RANK_NITF, _RANK_MARKUP, _RANK_PLAIN = 0, 1, 2


def is_g2_namespace(uri: str | None) -> bool:
    """True for the NewsML-G2 namespace URI (a missing trailing slash is forgiven)."""
    return uri is not None and uri.rstrip("/") == G2_NAMESPACE.rstrip("/")


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: a root element in the G2 namespace, or a G2 item root in none."""
    root = sniff_root(head)
    if root is None:
        return False
    if root.namespace is not None:
        return is_g2_namespace(root.namespace)
    return root.local in _STORY_ROOTS | _OTHER_ITEMS | _FRAGMENTS | {"packageItem"}


def parse_newsml_g2(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Parse a NewsML-G2 wire: one article per text newsItem (see the module docstring)."""
    document = parse_xml(data, format_name=SOURCE_FORMAT)
    root = document.root
    namespace, local = split_tag(root.tag)
    if namespace and not is_g2_namespace(namespace):
        raise UnsupportedXmlError(
            f"not a NewsML-G2 document: the root <{local}> is in namespace {namespace!r}, "
            f"not {G2_NAMESPACE!r}"
        )
    n = Names(namespace)
    if local == "newsItem":
        stories = [_story(root, n, received_at=received_at)]
    elif local == "newsMessage":
        stories = _message_stories(root, n, received_at=received_at)
    elif local == "packageItem":
        raise PackageItemError(
            f"NewsML-G2 packageItem {attr(root, 'guid') or '(no guid)'}: package items carry "
            "no story text; ingest its member items"
        )
    elif local in _OTHER_ITEMS:
        raise UnsupportedXmlError(
            f"NewsML-G2 {local} carries no news story (it describes concepts, plans or "
            "catalogs); only newsItem and newsMessage wires are parsed"
        )
    elif local in _FRAGMENTS:
        raise UnsupportedXmlError(
            f"<{local}> is a fragment of a NewsML-G2 item, not a whole one: a wire must be "
            "a newsItem or a newsMessage"
        )
    else:
        raise UnsupportedXmlError(
            f"not a NewsML-G2 item: the root element is <{local}>; expected newsItem or newsMessage"
        )
    return to_articles(
        stories,
        source_format=SOURCE_FORMAT,
        wire_id=wire_id,
        received_at=received_at,
        encoding=document.encoding,
    )


def _message_stories(message: Element, n: Names, *, received_at: datetime) -> list[Story]:
    stories: list[Story] = []
    skipped: list[str] = []
    items = [item for item_set in message.findall(n("itemSet")) for item in item_set]
    for position, item in enumerate(items, 1):
        kind = local_name(item.tag)
        item_class = _item_class(item, n) if kind == "newsItem" else None
        if kind != "newsItem" or (item_class is not None and item_class not in _TEXT_CLASSES):
            skipped.append(f"{item_class} newsItem" if item_class else kind)
            continue
        try:
            stories.append(_story(item, n, received_at=received_at))
        except ParseError as exc:
            guid = attr(item, "guid") or "no guid"
            raise type(exc)(
                f"newsMessage item {position} of {len(items)} ({guid}): {exc.message}"
            ) from None
    if not stories:
        held = ", ".join(skipped) if skipped else "nothing"
        raise LayoutError(f"NewsML-G2 newsMessage holds no text newsItem (it holds: {held})")
    return stories


def _item_class(item: Element, n: Names) -> str | None:
    element = item.find(n("itemMeta/itemClass"))
    qcode = attr(element, "qcode")
    if qcode:
        return split_qcode(qcode)[1].casefold()
    uri = attr(element, "uri")
    return uri.rstrip("/").rsplit("/", 1)[-1].casefold() if uri else None


def _story(item: Element, n: Names, *, received_at: datetime) -> Story:
    guid = attr(item, "guid")
    item_class = _item_class(item, n)
    if item_class is not None and item_class not in _TEXT_CLASSES:
        raise LayoutError(
            f"NewsML-G2 newsItem {guid or '(no guid)'} is a {item_class} item: it carries no "
            "story text"
        )
    meta = item.find(n("itemMeta"))
    content_meta = item.find(n("contentMeta"))
    nitf, paragraphs = _body(item.find(n("contentSet")), n)
    nitf = nitf or NitfContent()

    headline = (
        _headline(content_meta, n)
        or nitf.headline
        or text_of(item.find(n("itemMeta/title")))
        or nitf.subheadline
        or nitf.title
    )
    if headline is None:
        raise LayoutError(
            f"NewsML-G2 newsItem {guid or '(no guid)'} has no headline: no "
            "contentMeta/headline, NITF hl1 or itemMeta/title"
        )
    version_tags, headline = _headline_tags(headline)
    body_dateline, body, lead_byline = finish_lead(paragraphs, headline=headline)
    if not body:
        description = text_of(item.find(n("contentMeta/description")))
        body = nitf.abstract or ([description] if description else [])
    if not body:
        raise LayoutError(
            f"NewsML-G2 newsItem {guid or '(no guid)'} ({headline[:60]!r}) has no body text: "
            "its contentSet holds no NITF, XHTML or plain-text paragraphs"
        )

    provider = item.find(n("itemMeta/provider"))
    agency = _party_name(provider, n)
    published = (
        parse_datetime(text_of(item.find(n("itemMeta/versionCreated"))))
        or parse_datetime(text_of(item.find(n("itemMeta/firstCreated"))))
        or parse_datetime(text_of(item.find(n("contentMeta/contentCreated"))))
    )
    slug = text_of(item.find(n("contentMeta/slugline")))
    if guid:
        # The provider's code, not its display name, which a later version may leave out.
        sid = item_story_id(source=_party_code(provider) or agency, item_id=guid)
    else:
        day = utc_day(published, received_at)
        sid = story_id(agency=agency, local_date=day, slug=slug, headline=headline)
    pub_status, embargoed_until = _status(meta, n)
    version = int_of(attr(item, "version"))
    located_element = item.find(n("contentMeta/located"))
    located = (
        text_of(item.find(n("contentMeta/located/name")))
        or attr(located_element, "literal")
        or _city_code(attr(located_element, "qcode"))
    )
    creators = unique(_party_name(creator, n) for creator in item.findall(n("contentMeta/creator")))
    return Story(
        story_id=sid,
        headline=headline,
        body=body,
        version=version if version is not None else 1,
        source_agency=agency,
        language=(
            attr(item.find(n("contentMeta/language")), "tag") or language_of(item) or nitf.language
        ),
        slug=slug,
        byline=(
            clean_byline(text_of(item.find(n("contentMeta/by"))))
            or nitf.byline
            or lead_byline
            or (", ".join(creators) or None)
        ),
        dateline=_with_place(
            merge_dateline(
                dateline_from_text(text_of(item.find(n("contentMeta/dateline")))) or nitf.dateline,
                body_dateline,
            ),
            dateline_from_located(located),
        ),
        editorial_notes=unique(text_of(note) for note in item.findall(n("itemMeta/edNote"))),
        urgency=urgency_of(text_of(item.find(n("contentMeta/urgency")))),
        copyright=_copyright(item.find(n("rightsInfo")), n),
        published=published,
        source_item_id=guid,
        pub_status=pub_status,
        embargoed_until=embargoed_until,
        signals=unique(
            [
                *(_code(attr(s, "qcode")) for s in item.findall(n("itemMeta/signal"))),
                "correction" if "CORRECTED" in version_tags else None,
            ]
        ),
        version_tags=version_tags,
        genre=_genre(content_meta, n),
        source_subjects=_subjects(content_meta, n),
    )


# Reuters' version prefixes: "UPDATE 2-Primeira Liga Results", "CORRECTED-UPDATE 1-...".
_HEADLINE_TAG_RE = re.compile(r"^(?P<tag>UPDATE[ \t]+[0-9]{1,2}|RPT|REFILE|CORRECTED)[ \t]*-(?=\S)")


def _headline_tags(headline: str) -> tuple[list[str], str]:
    """Version tags off the front of a headline, and the headline without them."""
    tags: list[str] = []
    while (found := _HEADLINE_TAG_RE.match(headline)) is not None and len(tags) < 4:
        tags.append(found["tag"])
        headline = headline[found.end() :]
    return tags, headline


def _city_code(qcode: str | None) -> str | None:
    # "city:Philadelphia": a code whose scheme says it is a city and whose value is its name.
    scheme, code = split_qcode(qcode or "")
    if scheme is None or scheme.casefold() != "city" or not code:
        return None
    return code.replace("_", " ")


def _with_place(dateline: Dateline | None, located: Dateline | None) -> Dateline | None:
    """The dateline, with the cities of ``located`` when it names the agency but no place."""
    if dateline is None or located is None or dateline.cities:
        return dateline or located
    return Dateline(cities=located.cities, date_text=dateline.date_text, agency=dateline.agency)


def _status(meta: Element | None, n: Names) -> tuple[PubStatus, datetime | None]:
    if meta is None:
        return "usable", None
    status = pub_status_of(attr(meta.find(n("pubStatus")), "qcode")) or "usable"
    embargoed = meta.find(n("embargoed"))
    if embargoed is None:
        return status, None
    until = parse_datetime(text_of(embargoed))
    if until is not None:
        return status, until.utc
    # An embargoed element without a time: embargoed until further notice.
    return ("withheld" if status == "usable" else status), None


def _headline(content_meta: Element | None, n: Names) -> str | None:
    if content_meta is None:
        return None
    headlines = content_meta.findall(n("headline"))
    for element in headlines:
        role = attr(element, "role")
        if role is None or _code(role) in ("main", "headline"):
            text = text_of(element)
            if text:
                return text
    return next((text for text in (text_of(h) for h in headlines) if text), None)


def _code(qcode: str | None) -> str | None:
    return split_qcode(qcode)[1].casefold() if qcode else None


def _party_name(party: Element | None, n: Names) -> str | None:
    """A provider or creator: its name, else the code of its qcode, else its uri's host."""
    if party is None:
        return None
    return text_of(party.find(n("name"))) or attr(party, "literal") or _party_code(party)


def _party_code(party: Element | None) -> str | None:
    """The stable part of a party's identity: its qcode's code, else its uri's host."""
    qcode = attr(party, "qcode")
    if qcode:
        return split_qcode(qcode)[1].removeprefix("www.")
    uri = attr(party, "uri")
    if uri:
        host = urlsplit(uri).hostname if "://" in uri else None
        return (host or uri).removeprefix("www.")
    return None


def _genre(content_meta: Element | None, n: Names) -> str | None:
    if content_meta is None:
        return None
    for element in content_meta.findall(n("genre")):
        code = _code(attr(element, "qcode"))
        if code:
            return code
        name = text_of(element.find(n("name")))
        if name:
            return name.casefold()
    return None


def _subjects(content_meta: Element | None, n: Names) -> list[SourceSubject]:
    if content_meta is None:
        return []
    subjects: list[SourceSubject] = []
    for element in content_meta.findall(n("subject")):
        qcode = attr(element, "qcode")
        code = qcode or attr(element, "uri")
        if code is None:
            continue
        subjects.append(
            SourceSubject(
                code=code,
                scheme=split_qcode(qcode)[0] if qcode else None,
                name=text_of(element.find(n("name"))),
                relevance=percent_of(attr(element, "relevance")),
                confidence=percent_of(attr(element, "confidence")),
            )
        )
    return unique_subjects(subjects)


def _copyright(rights: Element | None, n: Names) -> Copyright | None:
    if rights is None:
        return None
    holder = _party_name(rights.find(n("copyrightHolder")), n)
    return copyright_of(holder, text_of(rights.find(n("copyrightNotice"))))


_XHTML_META = frozenset({"header", "footer", "nav", "time"})


def _body(content_set: Element | None, n: Names) -> tuple[NitfContent | None, list[str]]:
    """The NITF body if there is one (for its headline, byline ...), and the best paragraphs."""
    if content_set is None:
        return None, []
    nitf: NitfContent | None = None
    best: tuple[int, list[str]] | None = None
    for rendition in content_set:
        kind = local_name(rendition.tag)
        if kind == "inlineXML":
            candidates = []
            for element in rendition:
                name = local_name(element.tag)
                if name == "nitf":
                    content = read_nitf(element)
                    nitf = nitf or content
                    candidates.append((_RANK_NITF, content.paragraphs))
                elif name:
                    # dpa's XHTML puts slugline, time, genre and headline in <header>
                    # and the story in <section class="main">: the header is not text.
                    candidates.append((_RANK_MARKUP, paragraphs_of(element, drop=_XHTML_META)))
            if not list(rendition) and clean(rendition.text):
                candidates.append((_RANK_PLAIN, plain_paragraphs(rendition.text or "")))
        elif kind == "inlineData":
            content_type = (attr(rendition, "contenttype") or "text/plain").casefold()
            text = rendition.text or ""
            if "html" in content_type or "xml" in content_type:
                candidates = [(_RANK_MARKUP, html_to_paragraphs(text))]
            else:
                candidates = [(_RANK_PLAIN, plain_paragraphs(text))]
        else:
            continue
        for rank, paragraphs in candidates:
            if paragraphs and (best is None or rank < best[0]):
                best = (rank, paragraphs)
    return nitf, best[1] if best else []


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: see :func:`parse_newsml_g2`."""
    return parse_newsml_g2(data, wire_id=wire_id, received_at=received_at)


__all__ = ["G2_NAMESPACE", "SOURCE_FORMAT", "is_g2_namespace", "parse_newsml_g2"]
