"""What the JSON wire formats (ninjs, AP Media API) share: safe loading, sniffing,
tolerant field access, and the field readings both formats need.

JSON arrives from outside, so loading is strict about syntax (orjson: UTF-8
only, no NaN, no trailing commas) and about shape (an object at the root, no
absurd nesting, a bounded number of values); every failure is a
:class:`~streams.parse.errors.ParseError` with a code of its own.

Fields are read tolerantly: a value of the wrong JSON type is treated as
absent, never as an error, except for the two fields a newsroom acts on
blindly (the embargo time and the publication status), which are refused
when they cannot be read rather than guessed.

What the XML parsers need as well (the :class:`~streams.parse.story.Story`
builder, body finishing, timestamps) is in :mod:`streams.parse.story`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal, NamedTuple
from urllib.parse import urlsplit

import orjson

from schemas.article import PubStatus, SourceSubject, Urgency
from streams.parse.errors import (
    InvalidFieldError,
    JsonLimitError,
    MalformedJsonError,
    UndecodableWireError,
    UnsupportedJsonError,
)
from streams.parse.ids import item_story_id
from streams.parse.markup import clean_inline, html_to_paragraphs, strip_tags
from streams.parse.story import NORMAL_URGENCY, PUB_STATUSES, Moment, iso_moment
from streams.parse.text import (
    DEFAULT_MAX_BYTES,
    check_size,
    is_number,
    normalise_text,
    split_paragraphs,
)

JsonObject = dict[str, Any]

#: Real items nest about a dozen levels (feed > item > associations > item >
#: renditions ...); far beyond that is garbage or an attack on the tree walkers.
MAX_DEPTH = 64
#: A feed page of 100 fully described items holds some tens of thousands of values.
MAX_VALUES = 500_000

#: What ``Article.source_encoding`` records for JSON wires: :func:`load_object` reads UTF-8 only.
JSON_ENCODING = "utf-8"

_BOM = b"\xef\xbb\xbf"


# ----------------------------------------------------------------------- loading


def load_object(
    data: bytes,
    *,
    format_name: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    max_values: int = MAX_VALUES,
) -> JsonObject:
    """Parse a JSON wire whose root must be an object.

    Raises :class:`WireTooLargeError` (W105), :class:`UndecodableWireError`
    (W102, not UTF-8), :class:`MalformedJsonError` (W120, with the position),
    :class:`UnsupportedJsonError` (W121, root not an object) or
    :class:`JsonLimitError` (W122, nesting or size beyond the limits).
    """
    check_size(data, max_bytes=max_bytes)
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise _load_error(data, exc, format_name=format_name, max_depth=max_depth) from None
    if not isinstance(value, dict):
        hint = "; send each item as a wire of its own" if isinstance(value, list) else ""
        raise UnsupportedJsonError(
            f"{format_name} wire is JSON, but its root is {_json_type(value)}, not an object "
            f"(a news item or an API response){hint}"
        )
    _check_shape(value, format_name=format_name, max_depth=max_depth, max_values=max_values)
    return value


def _load_error(
    data: bytes, exc: orjson.JSONDecodeError, *, format_name: str, max_depth: int
) -> Exception:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as bad:
        byte = data[bad.start : bad.start + 1].hex()
        return UndecodableWireError(
            f"{format_name} wire is not valid UTF-8 (byte 0x{byte} at offset {bad.start}); "
            "JSON must be UTF-8"
        )
    if "depth" in exc.msg or "recursion" in exc.msg:
        return JsonLimitError(
            f"{format_name} wire nests JSON deeper than {max_depth} levels; no news item does"
        )
    if not data.strip():
        return MalformedJsonError(f"{format_name} wire is not JSON: it is empty", position=0)
    return MalformedJsonError(
        f"{format_name} wire is not valid JSON: {exc.msg} at line {exc.lineno}, "
        f"column {exc.colno} (offset {exc.pos})",
        position=exc.pos,
    )


def _check_shape(root: JsonObject, *, format_name: str, max_depth: int, max_values: int) -> None:
    # Iterative, so that the check itself cannot exhaust the stack.
    stack: list[tuple[object, int]] = [(root, 1)]
    values = 0
    while stack:
        value, depth = stack.pop()
        values += 1
        if values > max_values:
            raise JsonLimitError(
                f"{format_name} wire holds more than {max_values:,} JSON values; "
                "split the feed into smaller pages"
            )
        if depth > max_depth:
            raise JsonLimitError(
                f"{format_name} wire nests JSON deeper than {max_depth} levels; no news item does"
            )
        if isinstance(value, dict):
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value)


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"


# ---------------------------------------------------------------------- sniffing

JsonKind = Literal["ninjs", "ap-media"]

_AP_MARKERS_RE = re.compile(
    r'"(?:altids"\s*:\s*\{[^{}]{0,400}?"(?:itemid|etag)"'
    r'|api_version"|api_mode"|org_name"|editorialtypes"|headline_extended"|bylines"'
    r'|datelinelocation"|itemid")\s*:'
)
# AP responses wrap items in "data"; "item" alone is an item metadata file.
_AP_ITEM_FILE_RE = re.compile(r'^\{\s*"item"\s*:\s*\{')
_AP_DATA_RE = re.compile(r'"data"\s*:\s*\{')
_AP_DATA_ITEMS_RE = re.compile(r'"(?:item"\s*:\s*\{|items"\s*:\s*\[)')
_NINJS_STANDARD_RE = re.compile(
    r'"(?:\$schema|\$standard|standard|schema)"\s*:\s*(?:\{[^{}]{0,400}?)?"[^"]{0,200}ninjs',
    re.IGNORECASE,
)


def json_object_head(text: str) -> str | None:
    """``text`` from its first non-blank character when that opens a JSON object, else None.

    Requires ``{`` then a key or ``}``, so prose that happens to start with a
    brace is not taken for JSON.
    """
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith("{"):
        return None
    after = stripped[1:].lstrip(" \t\r\n")
    return stripped if after[:1] in ('"', "}") else None


def _json_array_of_objects(text: str) -> bool:
    stripped = text.lstrip("\ufeff \t\r\n")
    return stripped.startswith("[") and json_object_head(stripped[1:]) is not None


def sniff_kind(text: str) -> JsonKind | None:
    """Which JSON wire format the start of a wire is: ``ninjs``, ``ap-media`` or None.

    AP Media API JSON is recognised by what only AP writes (``altids`` with an
    ``itemid``, the response envelope, ``editorialtypes``, ``bylines`` ...), unless
    the object declares the ninjs standard. Every other JSON object, and an
    array of objects, is ninjs: the ninjs parser then either reads it or says
    why it cannot, which beats a text parser reading braces as a story.
    """
    head = json_object_head(text)
    if head is None:
        return "ninjs" if _json_array_of_objects(text) else None
    if _NINJS_STANDARD_RE.search(head):
        return "ninjs"
    if _AP_ITEM_FILE_RE.match(head) or _AP_MARKERS_RE.search(head):
        return "ap-media"
    if _AP_DATA_RE.search(head) and _AP_DATA_ITEMS_RE.search(head):
        return "ap-media"
    return "ninjs"


# ----------------------------------------------------------------- field access


def text_at(obj: Mapping[str, Any], *keys: str) -> str | None:
    """The first of ``keys`` holding a non-blank string (numbers are read as text), cleaned
    to one line; None when none does."""
    for key in keys:
        value = obj.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            value = str(value)
        if isinstance(value, str):
            cleaned = clean_inline(value)
            if cleaned:
                return cleaned
    return None


def raw_text_at(obj: Mapping[str, Any], *keys: str) -> str | None:
    """The first of ``keys`` holding a non-blank string, as given (for bodies)."""
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def object_at(obj: Mapping[str, Any], *keys: str) -> JsonObject | None:
    """The first of ``keys`` holding an object."""
    for key in keys:
        value = obj.get(key)
        if isinstance(value, dict):
            return value
    return None


def objects_at(obj: Mapping[str, Any], *keys: str) -> list[JsonObject]:
    """The objects in the first of ``keys`` holding a list (or a single object) of them."""
    for key in keys:
        value = obj.get(key)
        if isinstance(value, dict):
            return [value]
        if isinstance(value, list):
            return [item for item in value if isinstance(item, dict)]
    return []


def texts_at(obj: Mapping[str, Any], *keys: str) -> list[str]:
    """The strings in the first of ``keys`` holding a list of them (or one string)."""
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            cleaned = (clean_inline(v) for v in value if isinstance(v, str))
            return unique(cleaned)
    return []


def unique(values: Iterable[str | None]) -> list[str]:
    """Non-empty values in order, each once (compared case-insensitively)."""
    seen: set[str] = set()
    kept: list[str] = []
    for value in values:
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            kept.append(value)
    return kept


def int_value(value: object) -> int | None:
    """A whole number from a JSON number or numeric string; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if is_number(text) and len(text) <= 15:
            return int(text)
    return None


# ------------------------------------------------------------- field readings


_DATETIME_RE = re.compile(
    r"^(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:[Tt ](?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:[.,](?P<f>[0-9]{1,9}))?)?)?"
    r"(?P<tz>[Zz]|[+-][0-9]{2}:?[0-9]{2})?$"
)


def parse_datetime(value: object) -> Moment | None:
    """An RFC 3339 / ISO 8601 date-time as JSON news formats write it; None if unreadable.

    ``2023-10-08T02:34:03+02:00``, ``2013-07-09T10:37:00Z``, ``2019-11-15T13:39:59.123Z``,
    ``2024-03-01`` (midnight). Without an offset the time is taken as UTC and
    the offset reported as unknown.
    """
    if not isinstance(value, str):
        return None
    match = _DATETIME_RE.match(value.strip())
    if match is None:
        return None
    return iso_moment(match)


def first_moment(obj: Mapping[str, Any], *keys: str) -> Moment | None:
    """The first of ``keys`` holding a readable date-time."""
    for key in keys:
        moment = parse_datetime(obj.get(key))
        if moment is not None:
            return moment
    return None


def embargo_of(obj: Mapping[str, Any], *keys: str, what: str) -> datetime | None:
    """The embargo time (UTC) from the first of ``keys`` present; None when there is none.

    A value that is present but unreadable raises :class:`InvalidFieldError`:
    publishing too early is the one mistake an embargo exists to prevent.
    """
    for key in keys:
        value = obj.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        moment = parse_datetime(value)
        if moment is None:
            raise InvalidFieldError(
                f"{what} has {key}={_show(value)}, which is not a date-time; "
                "refusing the item rather than risk breaking the embargo"
            )
        return moment.utc
    return None


def pub_status_of(
    value: object, *, what: str, extra: Mapping[str, PubStatus] | None = None
) -> PubStatus:
    """``usable`` / ``withheld`` / ``canceled`` (also a ``stat:`` qcode); usable when absent.

    An unknown status raises :class:`InvalidFieldError`: treating a status we
    do not understand as "usable" could publish a killed story.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return "usable"
    if isinstance(value, str):
        word = value.strip().rsplit(":", 1)[-1].casefold()
        status = PUB_STATUSES.get(word) or (extra or {}).get(word)
        if status is not None:
            return status
    raise InvalidFieldError(
        f"{what} has pubstatus={_show(value)}; expected usable, withheld or canceled"
    )


def urgency_of(value: object) -> Urgency:
    """IPTC urgency 1-9 with the source's value kept; normal (5) when absent or unusable."""
    if value is None or isinstance(value, bool | dict | list):
        return Urgency(value=NORMAL_URGENCY, source_value=None)
    number = int_value(value)
    source = str(value).strip()[:40] or None
    if number is not None and 1 <= number <= 9:
        return Urgency(value=number, source_value=source)
    return Urgency(value=NORMAL_URGENCY, source_value=source)


def percent_of(value: object) -> int | None:
    """A 0-100 relevance or confidence; a 0-1 fraction is scaled; None otherwise."""
    number = int_value(value)
    if number is not None:
        return number if 0 <= number <= 100 else None
    if isinstance(value, float) and 0.0 < value < 1.0:
        return round(value * 100)
    return None


_BY_RE = re.compile(r"^(?:by|par|por|von)\s+", re.IGNORECASE)


def clean_byline(text: str | None) -> str | None:
    """``"By Jane Doe,"`` -> ``"Jane Doe"``; None when nothing is left."""
    if not text:
        return None
    line = _BY_RE.sub("", clean_inline(text)).strip(" ,;:-\u2013\u2014")
    return line or None


def signals_of(item: Mapping[str, Any], derived: Iterable[str | None]) -> list[str]:
    """The signals ``derived`` from an item's fields, then those it sends itself, each once.

    ninjs defines no ``signals`` field, but providers that extend it (AP) send one.
    """
    given = [signal.casefold() for signal in texts_at(item, "signals")]
    return unique([*derived, *given])


# ------------------------------------------------------------------- subjects

# Vocabularies known by the URI their concepts start with, and the scheme
# alias (the qcode prefix) the other parsers use for them.
_VOCABULARIES: tuple[tuple[str, str], ...] = (
    ("cv.iptc.org/newscodes/mediatopic/", "medtop"),
    ("cv.iptc.org/newscodes/subjectcode/", "subj"),
    ("cv.iptc.org/newscodes/genre/", "genre"),
    ("cv.iptc.org/newscodes/scene/", "scene"),
    ("cv.iptc.org/newscodes/productgenre/", "prodgenre"),
    ("cv.ap.org/id/", "ap-subject"),
    ("cv.ap.org/c/", "ap-category"),
)


def _vocabulary(uri: str) -> tuple[str, str] | None:
    """``http://cv.iptc.org/newscodes/mediatopic/15000000`` -> ``("medtop", "15000000")``."""
    rest = uri.strip().split("://", 1)[-1]
    for prefix, alias in _VOCABULARIES:
        if rest.casefold().startswith(prefix):
            code = rest[len(prefix) :].strip("/")
            return (alias, code) if code and "/" not in code else None
    return None


def subject_of(
    *,
    code: str | None = None,
    scheme: str | None = None,
    uri: str | None = None,
    literal: str | None = None,
    name: str | None = None,
    relevance: object = None,
    confidence: object = None,
) -> SourceSubject | None:
    """A source subject from the ways JSON formats identify a concept.

    ``uri`` (ninjs 2/3), ``scheme`` + ``code`` (ninjs 1, AP), ``literal``, or only
    a ``name``. Known vocabularies become qcodes (``medtop:15000000``,
    ``subj:15054000``, ``ap-category:s``); an unknown concept URI is kept whole;
    a subject with nothing but a name keeps the name as its code.
    """
    qcode: tuple[str | None, str] | None = None
    if uri:
        known = _vocabulary(uri)
        qcode = (known[0], f"{known[0]}:{known[1]}") if known else (None, uri)
    elif code:
        known = _vocabulary(scheme + code) if scheme and "/" in scheme else None
        if known is not None:
            qcode = (known[0], f"{known[0]}:{known[1]}")
        elif scheme and "/" not in scheme and ":" not in scheme:
            qcode = (scheme, code if code.startswith(f"{scheme}:") else f"{scheme}:{code}")
        elif scheme:
            qcode = (scheme, code)
        else:
            prefix, colon, rest = code.partition(":")
            is_qcode = colon and rest and prefix.isalnum() and "/" not in code
            qcode = (prefix, code) if is_qcode else (None, code)
    elif literal:
        qcode = (None, literal)
    elif name:
        qcode = (None, name)
    if qcode is None:
        return None
    return SourceSubject(
        code=qcode[1][:300],
        scheme=qcode[0][:300] if qcode[0] else None,
        name=name,
        relevance=percent_of(relevance),
        confidence=percent_of(confidence),
    )


# ---------------------------------------------------------------------- bodies

BodyKind = Literal["text", "html", "nitf"]


class BodyPart(NamedTuple):
    kind: BodyKind
    value: str


_MARKUP_RE = re.compile(
    r"<(?:p|br|div|span|b|i|em|strong|a|ul|ol|li|h[1-6]|body|html|section)\b", re.IGNORECASE
)
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def body_kind(content_type: str | None, value: str) -> BodyKind | None:
    """How to read a body of this media type (ninjs ``contenttype``); None: not text.

    ninjs leaves an untyped body to the provider, so one without a type is
    read as HTML when it carries tags, as plain text otherwise.
    """
    media = (content_type or "").split(";", 1)[0].strip().casefold()
    if not media:
        return "html" if _MARKUP_RE.search(value) else "text"
    if media == "text/plain":
        return "text"
    if "nitf" in media:
        return "nitf"
    if media in ("text/html", "application/xhtml+xml", "application/xml", "text/xml"):
        return "html"
    return None


def inline_text(value: str, *, markup: bool = False) -> str:
    """One line of text from a headline-like value; markup and entities are read when
    ``markup`` is set or the value visibly carries them."""
    if markup or _MARKUP_RE.search(value) or _ENTITY_RE.search(value):
        return strip_tags(value)
    return clean_inline(value)


def paragraphs_of(part: BodyPart) -> list[str]:
    """Clean paragraphs from a plain-text, HTML or NITF body."""
    if part.kind == "text":
        return split_paragraphs(normalise_text(part.value).split("\n"))
    if part.kind == "nitf":
        return html_to_paragraphs(_nitf_body_content(part.value))
    return html_to_paragraphs(part.value)


def _nitf_body_content(document: str) -> str:
    # The text of a NITF document is in body.content; its head (title, docdata)
    # and body.head (hedline, byline) would otherwise read as paragraphs.
    lowered = document.casefold()
    start = lowered.find("<body.content")
    if start < 0:
        return document
    end = lowered.find("</body.content", start)
    return document[start:] if end < 0 else document[start:end]


def best_body(parts: Iterable[BodyPart]) -> list[str]:
    """The paragraphs of the best body among a source's renditions.

    Plain text is preferred, as it needs no interpretation; but when a markup
    rendition has more paragraphs than the plain one, the plain text has lost
    the paragraph breaks (or part of the story) and the markup is used.
    """
    plain: list[str] = []
    markup: list[str] = []
    for part in parts:
        paragraphs = paragraphs_of(part)
        if part.kind == "text":
            plain = plain or paragraphs
        else:
            markup = markup or paragraphs
    if plain and len(markup) <= len(plain):
        return plain
    return markup or plain


def renditions_at(item: Mapping[str, Any], name: str) -> list[BodyPart]:
    """The renditions of a text field in the flat ninjs 1.x style (AP's too):
    ``<name>_text``, then ``<name>_html`` and ``<name>_xhtml``."""
    parts: list[BodyPart] = []
    text = raw_text_at(item, f"{name}_text")
    if text is not None:
        parts.append(BodyPart("text", text))
    for key in (f"{name}_html", f"{name}_xhtml"):
        markup = raw_text_at(item, key)
        if markup is not None:
            parts.append(BodyPart("html", markup))
    return parts


# -------------------------------------------------------------------------- ids

# Second-level labels of two-part public suffixes ("co.uk", "com.au", "co.kr").
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "ac", "or", "ne", "go", "edu"})


def provider_of(uri: str) -> str | None:
    """The provider a URI names: ``https://api.ap.org/...`` -> ``ap``,
    ``urn:newsml:dpa.com:2019...`` -> ``dpa``, ``http://tt.se/...`` -> ``tt``."""
    text = uri.strip()
    lowered = text.casefold()
    if lowered.startswith("urn:newsml:"):
        host = text[len("urn:newsml:") :].split(":", 1)[0]
    elif lowered.startswith("tag:"):
        host = text[len("tag:") :].split(",", 1)[0].split(":", 1)[0]
    elif "://" in text:
        try:
            host = urlsplit(text).hostname or ""
        except ValueError:
            return None
    else:
        return None
    labels = [label for label in host.casefold().split(".") if label]
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
        labels = labels[:-1]
    if len(labels) < 2:
        return None
    label = labels[-2]
    return label if any(c.isalnum() for c in label) else None


def uri_key(uri: str) -> str:
    """The part of an item URI that names the item: scheme, host and query removed.

    AP puts per-version tokens in the query (``?qt=...&et=...``); without them
    every version of an item has the same key.
    """
    text = uri.strip()
    lowered = text.casefold()
    if lowered.startswith("urn:newsml:"):
        parts = text[len("urn:newsml:") :].split(":", 1)
        return parts[1] if len(parts) == 2 and parts[1] else text
    if lowered.startswith("tag:"):
        rest = text[len("tag:") :]
        return rest.split(":", 1)[1] if ":" in rest else rest
    if "://" in text:
        try:
            split = urlsplit(text)
        except ValueError:
            return text
        path = split.path.strip("/")
        return path or split.netloc or text
    return text.removeprefix("urn:").removeprefix("URN:")


def item_id_story(*, provider: str | None, item_uri: str) -> str:
    """Story id ``provider:key`` from an id every version of an item shares."""
    key = uri_key(item_uri)
    return item_story_id(source=provider, item_id=key or item_uri)


# ------------------------------------------------------------- language, messages


def language_of(value: str | None) -> str | None:
    """A BCP-47 tag as given (``nb-NO``, ``en``), or None when it does not look like one."""
    if not value or len(value) > 35:
        return None
    tag = value.strip().replace("_", "-")
    parts = tag.split("-")
    if not parts[0].isascii() or not parts[0].isalpha() or not 2 <= len(parts[0]) <= 8:
        return None
    if not all(part.isascii() and part.isalnum() and part for part in parts[1:]):
        return None
    return unicodedata.normalize("NFC", tag)


def _show(value: object, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else repr(value.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def keys_preview(obj: Mapping[str, Any], limit: int = 8) -> str:
    """The first keys of an object, for error messages."""
    keys = [repr(k) for k in list(obj)[:limit]]
    more = ", …" if len(obj) > limit else ""
    return ", ".join(keys) + more if keys else "none"


__all__ = [
    "JSON_ENCODING",
    "MAX_DEPTH",
    "MAX_VALUES",
    "BodyPart",
    "JsonKind",
    "JsonObject",
    "best_body",
    "body_kind",
    "clean_byline",
    "embargo_of",
    "first_moment",
    "inline_text",
    "int_value",
    "item_id_story",
    "json_object_head",
    "keys_preview",
    "language_of",
    "load_object",
    "object_at",
    "objects_at",
    "paragraphs_of",
    "parse_datetime",
    "percent_of",
    "provider_of",
    "pub_status_of",
    "raw_text_at",
    "renditions_at",
    "signals_of",
    "sniff_kind",
    "subject_of",
    "text_at",
    "texts_at",
    "unique",
    "urgency_of",
    "uri_key",
]
