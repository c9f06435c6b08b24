"""Deterministic, human-readable ids for stories and their versions.

``story_id`` is the Kafka key from ``wires.parsed`` on, so it must come out
the same for every version of one story (URGENT, LEAD, 2nd LD ...). Those
versions share the agency, the local publication date and the slug, while
their headlines and texts change; the id is built from exactly those three.

``article_id`` adds a short hash of the wire id so that each version (and each
distinct wire of the same version) is addressable on its own.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date

# Long headlines make unwieldy keys; the first words identify a story well enough.
_MAX_KEY_CHARS = 80
_WIRE_HASH_CHARS = 10


def normalise_key(text: str, *, max_chars: int = _MAX_KEY_CHARS) -> str:
    """Lower-case ``text`` and turn every run of non-alphanumerics into one ``-``.

    ``"NK leader-military parade"`` -> ``"nk-leader-military-parade"``. Letters of
    any script are kept. The result is cut at a ``-`` boundary to ``max_chars``.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    parts: list[str] = []
    word: list[str] = []
    for char in folded:
        if char.isalnum():
            word.append(char)
        elif word:
            parts.append("".join(word))
            word = []
    if word:
        parts.append("".join(word))

    key = ""
    for part in parts:
        candidate = f"{key}-{part}" if key else part
        if len(candidate) > max_chars:
            # A single overlong word is still better than an empty key.
            return key or part[:max_chars]
        key = candidate
    return key


def story_id(*, agency: str | None, local_date: date, slug: str | None, headline: str) -> str:
    """Id shared by every version of one story: ``agency:YYYYMMDD:key``.

    ``local_date`` is the publication date in the source's own time zone (a
    story filed at 08:00 in Seoul belongs to that Seoul day, not the previous
    UTC day). ``key`` is the normalised slug, else the normalised headline,
    else (for a headline with no letters or digits at all) a hash of it.
    """
    agency_key = normalise_key(agency or "") or "unknown"
    key = normalise_key(slug or "") or normalise_key(headline)
    if not key:
        key = "h-" + _short_hash(headline)
    return f"{agency_key}:{local_date:%Y%m%d}:{key}"


def item_story_id(*, source: str | None, item_id: str) -> str:
    """Id shared by every version of an item that carries its own id: ``source:key``.

    For formats whose items name themselves across versions (a NewsML-G2 guid, a
    NewsML 1.2 provider, date and item id): ``("Reuters",
    "urn:newsml:example.com:20250304:US-FED")`` -> ``"reuters:example-com-20250304-us-fed"``.
    The ``urn:newsml:`` / ``tag:`` boilerplate is dropped; a key too long to
    read keeps its start plus a hash of the whole id, so it stays unique.
    """
    source_key = normalise_key(source or "") or "unknown"
    text = item_id.strip()
    for prefix in ("urn:newsml:", "tag:"):
        if text.casefold().startswith(prefix):
            text = text[len(prefix) :]
            break
    key = normalise_key(text, max_chars=10 * _MAX_KEY_CHARS)
    if len(key) > _MAX_KEY_CHARS:
        head = normalise_key(key, max_chars=_MAX_KEY_CHARS - _WIRE_HASH_CHARS - 3)
        key = f"{head}-h-{_short_hash(item_id)}"
    if not key:
        key = "h-" + _short_hash(item_id)
    return f"{source_key}:{key}"


def article_id(*, story_id: str, wire_id: str) -> str:
    """Id of one version of a story: the story id plus a short hash of the wire id."""
    return f"{story_id}:{_short_hash(wire_id)}"


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:_WIRE_HASH_CHARS]


__all__ = ["article_id", "item_story_id", "normalise_key", "story_id"]
