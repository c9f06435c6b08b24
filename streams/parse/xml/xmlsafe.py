"""Safe XML parsing, and the helpers the XML wire parsers (NITF, NewsML-G2, NewsML 1.2) share.

Wires arrive from outside, so XML is read with the protections a public
endpoint needs (via ``defusedxml`` on the standard expat parser):

- entity declarations are refused (billion laughs, quadratic blow-up, XXE);
- DTD declarations in an internal subset are refused; a ``<!DOCTYPE nitf
  SYSTEM "nitf-3-3.dtd">`` line naming an external DTD is accepted, because
  NITF and NewsML 1.2 senders put one on every wire, but it is never fetched;
- external references are never resolved and nothing touches the network;
- nesting deeper than :data:`MAX_DEPTH` elements is refused, so no tree walk
  can exhaust the stack.

HTML named entities (``&nbsp;`` ``&mdash;``) that NITF wires use without
declaring them are read as the characters they name instead of failing the
whole wire. Every failure is a :class:`~streams.parse.errors.ParseError`.

    doc = parse_xml(data, format_name="nitf")    # XmlDocument(root, encoding)
    sniff_root(head)                              # RootName(namespace, local) or None

What the JSON parsers need as well (the :class:`~streams.parse.story.Story`
builder, body finishing, timestamps) is in :mod:`streams.parse.story`.
"""

from __future__ import annotations

import codecs
import html.entities
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from schemas.article import Dateline, PubStatus, Urgency
from streams.parse.errors import (
    MalformedXmlError,
    UndecodableWireError,
    XmlSecurityError,
)
from streams.parse.markup import BLOCK_ELEMENTS, DROPPED_ELEMENTS, clean_inline
from streams.parse.story import PUB_STATUSES, Moment, iso_moment
from streams.parse.text import (
    decode_wire,
    is_indented,
    is_number,
    join_wrapped_lines,
    normalise_newlines,
    split_paragraphs,
)

XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"

#: Real news items nest a dozen or two levels; far beyond that is an attack or garbage.
MAX_DEPTH = 200

# expat's code for a reference to an entity nobody declared (XML_ERROR_UNDEFINED_ENTITY).
_UNDEFINED_ENTITY = 11
_TRUNCATION_REASONS = ("no element found", "unclosed token", "unclosed CDATA section")
_XML_BUILTIN_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_NAMED_REFERENCE_RE = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_DECLARED_ENCODING_RE = re.compile(
    rb"""^<\?xml[^>]{0,200}?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]{0,39})["']"""
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Browsers read a declared Latin-1 as Windows-1252 because senders mislabel it;
# so do we, which keeps their curly quotes from turning into control characters.
_LATIN1_NAMES = frozenset({"iso8859-1", "ascii"})
# Character sets, by Python codec name, that a sender may declare. Python also
# knows codecs that are no character set at all (base64, zlib, unicode_escape,
# utf-7 ...): a declaration naming one of those is refused.
_CHARSET_RE = re.compile(
    r"^(?:utf-8|utf-16(?:-[lb]e)?|utf-32(?:-[lb]e)?|ascii|iso8859-[0-9]{1,2}|cp[0-9]{3,5}"
    r"|koi8-[a-z]|mac-[a-z]+|euc_[a-z0-9]+|shift_jis[a-z0-9_]*|gb2312|gbk|gb18030|big5(?:hkscs)?"
    r"|iso2022_[a-z0-9_]+|johab|hz|tis-620)$"
)


# ----------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class XmlDocument:
    """A parsed wire: its root element and the text encoding it was read in."""

    root: Element
    encoding: str


def parse_xml(data: bytes, *, format_name: str) -> XmlDocument:
    """Parse a wire's bytes as XML, safely; ``format_name`` only words the errors.

    Raises :class:`XmlSecurityError` (W110) for entity or DTD declarations,
    external references and absurd nesting, :class:`MalformedXmlError` (W111)
    with line and column for XML that is not well-formed, and
    :class:`UndecodableWireError` (W102) for bytes that are not text.
    """
    text, encoding = decode_xml(data)
    try:
        root = _parse_text(text, format_name=format_name)
    except ET.ParseError as exc:
        if exc.code != _UNDEFINED_ENTITY:
            raise _malformed(exc, format_name=format_name) from None
        # Undeclared HTML entities are everyday wire sloppiness, not an attack;
        # retrying on demand keeps error positions exact for every other wire.
        try:
            root = _parse_text(_html_entities_as_references(text), format_name=format_name)
        except ET.ParseError as again:
            raise _malformed(again, format_name=format_name) from None
    return XmlDocument(root=root, encoding=encoding)


def decode_xml(data: bytes) -> tuple[str, str]:
    """The wire as text, and the name of the encoding it was decoded from.

    A byte order mark decides first, then the encoding the XML declaration
    names; UTF-8 (declared or not) goes through :func:`~streams.parse.text.decode_wire`,
    which also recovers CP949 and CP1252 wires mislabelled as UTF-8.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise UndecodableWireError(
                    f"wire starts with a {name.upper()} byte order mark but is not valid "
                    f"{name.upper()} (offset {exc.start}); re-send it as UTF-8"
                ) from None
    declared = _declared_encoding(data)
    if declared is None or declared.startswith(("utf-8", "utf-16", "utf-32")):
        # A UTF-16 declaration without a byte order mark is a mislabelled 8-bit wire.
        return _decode_utf8_or_legacy(data)
    if declared in _LATIN1_NAMES:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return data.decode("latin-1"), "iso8859-1"
    try:
        return data.decode(declared), declared
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise UndecodableWireError(
            f"wire declares encoding {declared!r} but byte 0x{bad} at offset {exc.start} "
            "is not valid in it; re-send it as UTF-8"
        ) from None


def _declared_encoding(data: bytes) -> str | None:
    match = _DECLARED_ENCODING_RE.match(data.removeprefix(codecs.BOM_UTF8))
    if match is None:
        return None
    label = match[1].decode("ascii")
    try:
        name = codecs.lookup(label).name
    except LookupError:
        name = ""
    if not _CHARSET_RE.match(name):
        raise UndecodableWireError(
            f"wire declares the XML encoding {label!r}, which is not a known character set; "
            "re-send it as UTF-8"
        )
    return name


def _decode_utf8_or_legacy(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = decode_wire(data)
    try:
        if data.decode("cp949") == text:
            return text, "cp949"
    except UnicodeDecodeError:
        pass
    return text, "cp1252"


class _DepthLimitedBuilder(ET.TreeBuilder):
    def __init__(self) -> None:
        super().__init__()
        self._depth = 0

    def start(self, tag: str, attrs: dict[str, str], /) -> Element:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise XmlSecurityError(
                f"XML nested deeper than {MAX_DEPTH} elements is refused: no news item needs "
                "that, and walking such a tree could exhaust the parser"
            )
        return super().start(tag, attrs)

    def end(self, tag: str, /) -> Element:
        self._depth -= 1
        return super().end(tag)


def _parse_text(text: str, *, format_name: str) -> Element:
    parser = DefusedXMLParser(
        target=_DepthLimitedBuilder(),
        forbid_dtd=False,
        forbid_entities=True,
        forbid_external=True,
    )
    expat = parser.parser

    def refuse_declaration(kind: str, name: str) -> None:
        raise XmlSecurityError(
            f"XML DTD declarations are refused: the {format_name} wire declares "
            f"<!{kind} {name}> at line {expat.CurrentLineNumber}; a DOCTYPE naming an "
            "external DTD is accepted (and never fetched), an internal DTD subset is not"
        )

    expat.ElementDeclHandler = lambda name, _model: refuse_declaration("ELEMENT", name)
    expat.AttlistDeclHandler = lambda element, attribute, *_rest: refuse_declaration(
        "ATTLIST", f"{element} {attribute}"
    )
    expat.NotationDeclHandler = lambda name, *_rest: refuse_declaration("NOTATION", name)
    # Named HTML entities resolve here in wires that carry a DOCTYPE (expat
    # passes their references on instead of failing them).
    parser.entity.update(_HTML_ENTITIES)
    try:
        parser.feed(text.removeprefix("\ufeff"))
        root: Element = parser.close()
    except EntitiesForbidden as exc:
        where = f" pointing to {exc.sysid!r}" if exc.sysid else ""
        raise XmlSecurityError(
            f"XML entity declarations are refused: the {format_name} wire declares entity "
            f"{exc.name!r}{where} at line {expat.CurrentLineNumber}; wires never need "
            "them, and they are how billion-laughs and external-entity (XXE) attacks work"
        ) from None
    except ExternalReferenceForbidden as exc:
        raise XmlSecurityError(
            f"XML external references are refused: the {format_name} wire refers to "
            f"{exc.sysid!r} at line {expat.CurrentLineNumber}; nothing is fetched"
        ) from None
    except DefusedXmlException as exc:
        raise XmlSecurityError(f"XML refused as unsafe: {exc}") from None
    return root


def _malformed(exc: ET.ParseError, *, format_name: str) -> MalformedXmlError:
    line, column = exc.position
    reason = str(exc).rsplit(": line ", 1)[0]
    hint = "; the wire looks truncated" if reason.startswith(_TRUNCATION_REASONS) else ""
    return MalformedXmlError(
        f"{format_name} wire is not well-formed XML: {reason} at line {line}, "
        f"column {column + 1}{hint}"
    )


def _build_html_entities() -> dict[str, str]:
    names: dict[str, str] = {}
    for name, value in html.entities.html5.items():
        if name.endswith(";") and name[:-1] not in _XML_BUILTIN_ENTITIES:
            names[name[:-1]] = value
    return names


_HTML_ENTITIES = _build_html_entities()


def _html_entities_as_references(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        value = _HTML_ENTITIES.get(match[1])
        if value is None:
            return match[0]
        # Numeric references, not the characters: '&LT;' must not become a bare '<'.
        return "".join(f"&#{ord(char)};" for char in value)

    return _NAMED_REFERENCE_RE.sub(replace, text)


# ----------------------------------------------------------------------------- sniffing


class RootName(NamedTuple):
    """The root element of a document: its namespace URI (None for none) and local name."""

    namespace: str | None
    local: str


_ROOT_NAME_RE = re.compile(r"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)(?=[\s/>]|$)")


def sniff_root(head: bytes) -> RootName | None:
    """The root element named at the start of ``head``, or None when it does not open as XML.

    Cheap and lenient: skips a byte order mark, the XML declaration, comments,
    processing instructions and a DOCTYPE, then reads the first start tag and
    the ``xmlns`` declaration for its prefix. JSON, plain text and anything that
    does not open with a tag give None.
    """
    text = _head_text(head)
    index = 0
    while True:
        while index < len(text) and text[index] in " \t\r\n":
            index += 1
        if text.startswith("<?", index):
            end = text.find("?>", index + 2)
            skip = end + 2
        elif text.startswith("<!--", index):
            end = text.find("-->", index + 4)
            skip = end + 3
        elif text.startswith("<!DOCTYPE", index):
            end, skip = _doctype_end(text, index)
        else:
            break
        if end < 0:
            return None
        index = skip
    match = _ROOT_NAME_RE.match(text, index)
    if match is None:
        return None
    prefix, _, local = match[1].rpartition(":")
    tag_end = text.find(">", match.end())
    attributes = text[match.end() : tag_end if tag_end >= 0 else len(text)]
    declaration = "xmlns:" + prefix if prefix else "xmlns"
    namespace = re.search(
        rf"\s{re.escape(declaration)}\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", attributes
    )
    uri = (namespace[1] if namespace[1] is not None else namespace[2]) if namespace else None
    return RootName(namespace=(uri.strip() or None) if uri else None, local=local)


def _head_text(head: bytes) -> str:
    for bom, name in _BOMS:
        if head.startswith(bom):
            return head.decode(name, errors="ignore").removeprefix("\ufeff")
    return head.decode("utf-8", errors="replace").removeprefix("\ufeff")


def _doctype_end(text: str, start: int) -> tuple[int, int]:
    close = text.find(">", start)
    bracket = text.find("[", start)
    if 0 <= bracket < close:
        subset_end = text.find("]", bracket)
        close = text.find(">", subset_end) if subset_end >= 0 else -1
    return close, close + 1


# ------------------------------------------------------------------- names and text


def split_tag(tag: str) -> tuple[str, str]:
    """``"{uri}local"`` -> ``("uri", "local")``; ``"local"`` -> ``("", "local")``."""
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        return uri, local
    return "", tag


def local_name(tag: object) -> str:
    """The local name of an element tag (comments and PIs have non-string tags: '')."""
    return split_tag(tag)[1] if isinstance(tag, str) else ""


class Names:
    """Element paths in one namespace: ``Names(uri)("itemMeta/pubStatus")``."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def __call__(self, path: str) -> str:
        if not self.namespace:
            return path
        return "/".join(
            part if part in (".", "..", "*", "") else f"{{{self.namespace}}}{part}"
            for part in path.split("/")
        )


def clean(text: str | None) -> str | None:
    """One line of clean text (NFC, no control characters, whitespace collapsed), or None."""
    if text is None:
        return None
    return clean_inline(text) or None


def text_of(element: Element | None) -> str | None:
    """All the text inside ``element`` on one clean line, or None when there is none."""
    if element is None:
        return None
    return clean("".join(element.itertext()))


def attr(element: Element | None, name: str) -> str | None:
    """A clean attribute value, or None when absent or blank."""
    if element is None:
        return None
    return clean(element.get(name))


def language_of(element: Element | None) -> str | None:
    """The ``xml:lang`` of ``element`` (a BCP-47 tag), or None."""
    return attr(element, XML_LANG)


_DROPPED = DROPPED_ELEMENTS | {"media", "media-reference", "media-object", "img", "nitf-table"}
_SPACED = frozenset({"td", "th"})


@dataclass
class _Paragraphs:
    drop: frozenset[str]
    current: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)

    def add(self, text: str | None) -> None:
        if text:
            self.current.append(text)

    def flush(self) -> None:
        paragraph = clean_inline("".join(self.current))
        self.current = []
        if paragraph:
            self.done.append(paragraph)

    def walk(self, element: Element) -> None:
        name = local_name(element.tag)
        if name and name not in self.drop:
            block = name in BLOCK_ELEMENTS
            if block:
                self.flush()
            self.add(element.text)
            for child in element:
                self.walk(child)
            if block:
                self.flush()
            elif name in _SPACED:
                self.add(" ")
        self.add(element.tail)


def paragraphs_of(container: Element | None, *, drop: Iterable[str] = ()) -> list[str]:
    """Paragraphs of plain text inside ``container`` (NITF ``body.content``, XHTML ``body``).

    The same reading as :func:`streams.parse.markup.html_to_paragraphs`, on an
    already parsed tree: block elements separate paragraphs, inline ones do not;
    the head, scripts, media objects and elements named in ``drop`` (local
    names) are left out. Namespaces do not matter.
    """
    if container is None:
        return []
    collector = _Paragraphs(drop=_DROPPED | frozenset(drop))
    collector.add(container.text)
    for child in container:
        collector.walk(child)
    collector.flush()
    return collector.done


def plain_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain-text body carried as element text (NewsML ``DataContent``,
    G2 ``inlineData``): blank lines separate them, or every line is one when there are none.

    Hard-wrapped copy that opens each paragraph with an indent (ANSA's plain-text
    bodies) is rejoined instead: there an unindented line continues the one above.
    """
    lines = normalise_newlines(text).split("\n")
    if _indent_wrapped(lines):
        return [p for p in (clean(par) for par in join_wrapped_lines(lines)) if p]
    return [p for p in (clean(line) for line in split_paragraphs(lines)) if p]


def _indent_wrapped(lines: list[str]) -> bool:
    filled = [line for line in lines if line.strip()]
    inner = filled[1:]
    if len(inner) < 2 or any(not line.strip() for line in _between(lines)):
        return False
    indented = [is_indented(line) for line in inner]
    return any(indented) and not all(indented)


def _between(lines: list[str]) -> list[str]:
    # The lines from the first filled one to the last: blank ones there separate paragraphs.
    first = next(i for i, line in enumerate(lines) if line.strip())
    last = max(i for i, line in enumerate(lines) if line.strip())
    return lines[first : last + 1]


# ------------------------------------------------------------------------- values


_DATETIME_RE = re.compile(
    r"""^(?P<y>[0-9]{4})-?(?P<mo>[0-9]{2})-?(?P<d>[0-9]{2})
    (?:[T ](?P<h>[0-9]{2}):?(?P<mi>[0-9]{2})(?::?(?P<s>[0-9]{2})(?:[.,](?P<f>[0-9]{1,9}))?)?)?
    (?P<tz>Z|[+-][0-9]{2}(?::?[0-9]{2})?)?$""",
    re.VERBOSE,
)


def parse_datetime(text: str | None) -> Moment | None:
    """Read an ISO 8601 timestamp, extended or basic, as wires write them; None if unreadable.

    ``2018-10-21T16:25:32-05:00``, ``20210516T080625Z``, ``20130516T040100+0000``,
    ``2024-03-01`` (midnight). A time without an offset is taken as UTC and
    its offset reported as unknown (None).
    """
    if not text:
        return None
    match = _DATETIME_RE.match(text.strip())
    if match is None:
        return None
    return iso_moment(match)


def urgency_of(value: str | None) -> Urgency | None:
    """IPTC urgency from a source value ``"1"``-``"9"``; None when absent or out of range."""
    text = clean(value)
    if text is None or not is_number(text) or not 1 <= int(text) <= 9:
        return None
    return Urgency(value=int(text), source_value=text)


def int_of(value: str | None) -> int | None:
    """A non-negative integer attribute (a version, a revision); None when not one."""
    text = clean(value)
    if text is None or not is_number(text) or len(text) > 9:
        return None
    return int(text)


def percent_of(value: str | None) -> int | None:
    """A 0-100 relevance or confidence; None when absent or out of range."""
    number = int_of(value)
    return number if number is not None and number <= 100 else None


def split_qcode(qcode: str) -> tuple[str | None, str]:
    """``"medtop:04000000"`` -> ``("medtop", "04000000")``; no scheme -> ``(None, qcode)``."""
    scheme, colon, code = qcode.partition(":")
    if not colon or not scheme or not code:
        return None, qcode
    return scheme, code


def pub_status_of(value: str | None) -> PubStatus | None:
    """``usable`` / ``withheld`` / ``canceled`` from a status word or ``stat:`` qcode."""
    if not value:
        return None
    return PUB_STATUSES.get(split_qcode(value.strip())[1].casefold())


# "By" and its French and Spanish/Portuguese counterparts; "von" is left alone,
# it also opens surnames.
_BY_RE = re.compile(r"^(?:by|par|por)(?:\s+|$)", re.IGNORECASE)


def clean_byline(text: str | None) -> str | None:
    """``"By Jane Doe,"`` -> ``"Jane Doe"``; None when nothing is left."""
    line = clean(text)
    if line is None:
        return None
    line = _BY_RE.sub("", line).strip(" ,;:-\u2013\u2014")
    return line or None


_DATE_WORDS = frozenset(
    {
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "january", "february", "march", "april", "june", "july", "august",
        "september", "october", "november", "december", "mon", "tue", "tues", "wed", "thu",
        "thur", "thurs", "fri", "sat", "sun", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "today", "yesterday", "tonight",
    }
)  # fmt: skip
_DATELINE_TRAILER = " \t-\u2010\u2011\u2012\u2013\u2014\u2015:,"
_AGENCY_FIRST_RE = re.compile(
    r"^\(?(?P<agency>[A-Z][A-Za-z]{1,10}(?:[ \t][A-Z]{2,10})?)\)?"
    r"[ \t]+[-\u2013\u2014][ \t]+(?=[^,]+,)"
)


def dateline_from_text(text: str | None) -> Dateline | None:
    """A dateline given as metadata: ``"MOSCOW, Monday (Reuters)"``, ``"ROUND ROCK, Texas"``.

    The cities are the first comma-separated part (``/`` separates several),
    the date is whatever follows from the first part that reads as a date,
    and a trailing ``(Agency)`` is the agency.
    """
    line = clean(text)
    if line is None:
        return None
    agency = None
    line = line.rstrip(_DATELINE_TRAILER)
    # ANSA names itself first: "(ANSA) - ROMA, 01 LUG", or bare, "ANSA - ROMA, 01 LUG".
    first = _AGENCY_FIRST_RE.match(line)
    if first is not None:
        agency, line = first["agency"], line[first.end() :]
    if line.endswith(")") and "(" in line:
        opening = line.rfind("(")
        agency = clean(line[opening + 1 : -1])
        line = line[:opening].rstrip(_DATELINE_TRAILER)
    parts = [part.strip() for part in line.split(",") if part.strip()]
    if not parts:
        return Dateline(cities=[], agency=agency) if agency else None
    if any(c.isdigit() for c in parts[0]):
        # Reuters fills <dateline> with a timestamp ("2014-07-16 15:53:10 GMT+00:00"):
        # a date, and no place at all.
        return Dateline(cities=[], date_text=line, agency=agency)
    cities = [city.strip() for city in parts[0].split("/") if city.strip()]
    date_at = next((i for i, part in enumerate(parts[1:], 1) if _reads_as_date(part)), None)
    date_text = ", ".join(parts[date_at:]) if date_at is not None else None
    return Dateline(cities=cities, date_text=date_text, agency=agency)


def merge_dateline(primary: Dateline | None, fallback: Dateline | None) -> Dateline | None:
    """``primary`` (from metadata) with the date and agency it lacks taken from ``fallback``.

    Metadata datelines often give only the place ("BUSAN") while the body's
    dateline names the agency too.
    """
    if primary is None or fallback is None:
        return primary or fallback
    return Dateline(
        cities=primary.cities or fallback.cities,
        date_text=primary.date_text or fallback.date_text,
        agency=primary.agency or fallback.agency,
    )


def _reads_as_date(part: str) -> bool:
    first = part.split()[0].strip(".").casefold() if part.split() else ""
    return any(c.isdigit() for c in part) or first in _DATE_WORDS


def unique(values: Iterable[str | None]) -> list[str]:
    """Non-empty values, each once, in order."""
    seen: set[str] = set()
    kept: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.add(value)
            kept.append(value)
    return kept


__all__ = [
    "MAX_DEPTH",
    "XML_LANG",
    "Names",
    "RootName",
    "XmlDocument",
    "attr",
    "clean",
    "clean_byline",
    "dateline_from_text",
    "decode_xml",
    "int_of",
    "language_of",
    "local_name",
    "merge_dateline",
    "paragraphs_of",
    "parse_datetime",
    "parse_xml",
    "percent_of",
    "plain_paragraphs",
    "pub_status_of",
    "sniff_root",
    "split_qcode",
    "split_tag",
    "text_of",
    "unique",
    "urgency_of",
]
