"""Parser for Atom feeds that deliver one story per entry (entertainment and PR agencies).

Such feeds carry the story in elements of the sender's own namespace as often
as in Atom's ``<content>``; each entry becomes one article::

    feed/author/name, feed/title           agency (feed author, else the feed title)
    entry/title | ns:title | ns:headline   headline (Atom's first, then the sender's)
    ns:body | ns:story | ns:text ...       body: the sender's story element first,
      | content | summary                  then Atom content, then the summary;
                                           text, escaped HTML or XHTML
    ns:first_line | ns:abstract            the opening paragraph when the story element
                                           leaves it out (WENN sends it apart); the
                                           whole body when nothing else is there
    entry/id | ns:original_article_id      item id; the story id is keyed on it
    ns:published | published | updated    published_at
    entry/author/name | ns:byline          byline
    category@term                          keywords of the slug (first one)

An entry with neither headline nor any text is refused for the whole feed with
the entry's position, so a broken feed is never half-read in silence.
"""

from __future__ import annotations

from datetime import datetime
from xml.etree.ElementTree import Element

from schemas.article import Article
from streams.parse.errors import LayoutError, UnsupportedXmlError
from streams.parse.ids import item_story_id, story_id
from streams.parse.markup import html_to_paragraphs
from streams.parse.story import Moment, Story, finish_lead, to_articles, utc_day
from streams.parse.xml.xmlsafe import (
    clean,
    clean_byline,
    language_of,
    local_name,
    paragraphs_of,
    parse_datetime,
    parse_xml,
    plain_paragraphs,
    sniff_root,
    split_tag,
    text_of,
)

SOURCE_FORMAT = "atom"
ATOM_NS = "http://www.w3.org/2005/Atom"

# Local names of the sender's own elements, in order of preference.
_HEADLINE_NAMES = ("headline", "title")
_BODY_NAMES = ("body", "story", "story_text", "body_text", "full_text", "text", "article")
_LEAD_NAMES = ("first_line", "abstract", "teaser", "standfirst", "description")
_ID_NAMES = ("original_article_id", "article_id", "story_id", "guid", "id")
_PUBLISHED_NAMES = ("published", "first_published", "created", "updated")
_BYLINE_NAMES = ("byline", "author", "writer")
_MAX_DESCENDANTS = 2000
_MARKUP_HINTS = ("<p", "<br", "<div", "</")


def _atom(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _foreign(entry: Element, names: tuple[str, ...]) -> Element | None:
    """The first element outside Atom's namespace, at any depth, named one of ``names``."""
    found: dict[str, Element] = {}
    for count, element in enumerate(entry.iter()):
        if count > _MAX_DESCENDANTS:
            break
        namespace, local = split_tag(element.tag) if isinstance(element.tag, str) else ("", "")
        if namespace == ATOM_NS or element is entry:
            continue
        key = local.casefold()
        if key in names and key not in found and (clean(element.text) or len(element)):
            found[key] = element
    return next((found[name] for name in names if name in found), None)


def _text_paragraphs(element: Element | None) -> list[str]:
    """Paragraphs of an Atom text construct or a sender's story element."""
    if element is None:
        return []
    kind = (element.get("type") or "").casefold()
    if len(element) and (kind == "xhtml" or not (element.text or "").strip()):
        return paragraphs_of(element)
    text = element.text or ""
    if kind == "html" or any(hint in text for hint in _MARKUP_HINTS):
        return html_to_paragraphs(text)
    return plain_paragraphs(text)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _moment(entry: Element) -> Moment | None:
    for name in _PUBLISHED_NAMES:
        for element in (_foreign(entry, (name,)), entry.find(_atom(name))):
            found = parse_datetime(text_of(element))
            if found is not None:
                return found
    return None


def _entry_story(
    entry: Element, *, position: int, agency: str | None, received_at: datetime
) -> Story:
    headline = text_of(entry.find(_atom("title"))) or text_of(_foreign(entry, _HEADLINE_NAMES))
    lead = _text_paragraphs(_foreign(entry, _LEAD_NAMES))
    paragraphs = _text_paragraphs(_foreign(entry, _BODY_NAMES))
    if paragraphs and lead and not _norm(paragraphs[0]).startswith(_norm(lead[0])[:60]):
        # WENN-style entries keep the opening sentence apart ("first_line") from the rest.
        paragraphs = [*lead, *paragraphs]
    paragraphs = paragraphs or _text_paragraphs(entry.find(_atom("content")))
    paragraphs = paragraphs or _text_paragraphs(entry.find(_atom("summary")))
    paragraphs = paragraphs or lead
    if headline is None or not paragraphs:
        missing = "headline" if headline is None else "text"
        raise LayoutError(
            f"Atom feed entry {position} has no {missing}: expected <title> (or the sender's "
            "headline element) and a story element, <content> or <summary>"
        )
    dateline, body, lead_byline = finish_lead(paragraphs, headline=headline)
    if not body:
        raise LayoutError(f"Atom feed entry {position} ({headline[:60]!r}) has no body text")
    item_id = text_of(_foreign(entry, _ID_NAMES)) or text_of(entry.find(_atom("id")))
    published = _moment(entry)
    slug = next((clean(c.get("term")) for c in entry.findall(_atom("category"))), None)
    if item_id:
        sid = item_story_id(source=agency, item_id=item_id)
    else:
        sid = story_id(
            agency=agency, local_date=utc_day(published, received_at), slug=None, headline=headline
        )
    byline = clean_byline(text_of(entry.find(f"{_atom('author')}/{_atom('name')}")))
    byline = byline or clean_byline(text_of(_foreign(entry, _BYLINE_NAMES))) or lead_byline
    return Story(
        story_id=sid,
        headline=headline,
        body=body,
        source_agency=(dateline.agency if dateline else None) or agency,
        language=language_of(entry),
        slug=slug,
        byline=byline,
        dateline=dateline,
        published=published,
        source_item_id=item_id,
    )


def parse_atom(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Every entry of an Atom feed as an article (see the module docstring)."""
    document = parse_xml(data, format_name="Atom")
    root = document.root
    if root.tag != _atom("feed"):
        raise UnsupportedXmlError(
            f"not an Atom feed: the root element is <{local_name(root.tag)}>, Atom has <feed> "
            f"in the namespace {ATOM_NS}"
        )
    agency = text_of(root.find(f"{_atom('author')}/{_atom('name')}")) or text_of(
        root.find(_atom("title"))
    )
    entries = root.findall(_atom("entry"))
    if not entries:
        raise LayoutError("Atom feed has no <entry>: nothing to read")
    stories = [
        _entry_story(entry, position=position, agency=agency, received_at=received_at)
        for position, entry in enumerate(entries, 1)
    ]
    for story in stories:
        story.language = story.language or language_of(root)
    return to_articles(
        stories,
        source_format=SOURCE_FORMAT,
        wire_id=wire_id,
        received_at=received_at,
        encoding=document.encoding,
    )


__all__ = ["ATOM_NS", "SOURCE_FORMAT", "parse_atom"]


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: the root element is Atom's ``<feed>``."""
    root = sniff_root(head)
    return root is not None and root.local == "feed" and root.namespace == ATOM_NS


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: see :func:`parse_atom`."""
    return parse_atom(data, wire_id=wire_id, received_at=received_at)
