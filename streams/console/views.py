"""What the console's JSON endpoints answer, as pure functions of records.

No Kafka, no HTTP: :mod:`streams.console.web` reads the request, calls these
and sends the result. Every string here goes to the page as data, and the page
puts it in the document with ``textContent`` only, so nothing is escaped here.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from schemas import DeadLetter, EnrichedArticle, Entity, RawWire
from streams.alerts import Query, QueryError, Vocabulary, document, parse, version_kind
from streams.dlq import attempts, is_binary, original_wire, show_bytes

#: Body paragraphs are joined with this before entity offsets are counted.
PARAGRAPH_SEPARATOR = "\n\n"
#: Version tags that say how urgent a take is, not which version it is.
_URGENCY_TAGS = frozenset({"urgent", "flash", "bulletin", "alert"})
#: Most bytes of a raw wire or a dead letter's original shown in the page.
MAX_SHOWN_BYTES = 64 * 1024


def badge(record: EnrichedArticle) -> str:
    """The version badge: 'first', the wire's own tag (LEAD, ROUNDUP), 'correction' or 'update'."""
    kind = version_kind(record)
    if kind == "correction":
        return "correction"
    tags = [t for t in record.article.version_tags if t.casefold() not in _URGENCY_TAGS]
    if tags:
        return tags[0].upper()
    return kind


def dateline_text(record: EnrichedArticle) -> str | None:
    line = record.article.dateline
    if line is None:
        return None
    parts = [", ".join(line.cities)] if line.cities else []
    if line.date_text:
        parts.append(line.date_text)
    text = ", ".join(parts)
    if line.agency:
        text = f"{text} ({line.agency})" if text else line.agency
    return text or None


def story_summary(record: EnrichedArticle) -> dict[str, Any]:
    """One row of the live wire view."""
    article = record.article
    return {
        "article_id": article.article_id,
        "story_id": article.story_id,
        "cluster_id": record.cluster_id or article.story_id,
        "wire_id": article.wire_id,
        "headline": article.headline,
        "source": article.source_agency,
        "urgency": article.urgency.value if article.urgency else None,
        "dateline": dateline_text(record),
        "version": article.version,
        "badge": badge(record),
        "kind": version_kind(record),
        "language": article.language,
        "topics": [{"qcode": t.qcode, "name": t.name} for t in record.topics],
        "received_at": article.received_at.isoformat(),
        "released_at": record.enriched_at.isoformat(),
    }


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    entity: int


def _paragraph_marks(entities: Sequence[Entity], paragraphs: Sequence[str]) -> list[list[_Mark]]:
    """Entity mentions per body paragraph, offsets local to the paragraph, no overlaps."""
    starts: list[int] = []
    at = 0
    for text in paragraphs:
        starts.append(at)
        at += len(text) + len(PARAGRAPH_SEPARATOR)
    marks: list[list[_Mark]] = [[] for _ in paragraphs]
    for index, entity in enumerate(entities):
        for mention in entity.mentions:
            if mention.section != "body":
                continue
            p = mention.paragraph
            if p is None:
                # Offsets count in the joined body; the paragraph is where they fall.
                p = bisect_right(starts, mention.start) - 1
            if not 0 <= p < len(paragraphs):
                continue
            start, end = mention.start - starts[p], mention.end - starts[p]
            # A mention that does not sit where it says (a record from an older
            # pipeline) is left unmarked rather than marking the wrong words.
            if 0 <= start < end <= len(paragraphs[p]) and paragraphs[p][start:end] == mention.text:
                marks[p].append(_Mark(start, end, index))
    out: list[list[_Mark]] = []
    for found in marks:
        kept: list[_Mark] = []
        for mark in sorted(found, key=lambda m: (m.start, -(m.end - m.start))):
            if not kept or mark.start >= kept[-1].end:
                kept.append(mark)
        out.append(kept)
    return out


def segments(text: str, marks: Sequence[_Mark]) -> list[dict[str, Any]]:
    """``text`` cut into plain runs and entity runs (``{"text", "entity"}``)."""
    out: list[dict[str, Any]] = []
    at = 0
    for mark in marks:
        if mark.start > at:
            out.append({"text": text[at : mark.start]})
        out.append({"text": text[mark.start : mark.end], "entity": mark.entity})
        at = mark.end
    if at < len(text):
        out.append({"text": text[at:]})
    return out


def _coordinate(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def entity_view(entity: Entity) -> dict[str, Any]:
    geo = entity.geo
    return {
        "name": entity.name,
        "type": entity.type,
        "kind": entity.kind,
        "wikidata": entity.wikidata,
        "wikidata_url": f"https://www.wikidata.org/wiki/{entity.wikidata}"
        if entity.wikidata
        else None,
        "relevance": entity.relevance,
        "mentions": entity.mention_count,
        "geo": {
            "lat": _coordinate(geo.lat),
            "lon": _coordinate(geo.lon),
            "country": geo.country_code,
            "feature": geo.feature,
        }
        if geo is not None
        else None,
    }


def raw_view(raw: bytes | None) -> dict[str, Any] | None:
    """The wire as it arrived: text, or a hex dump when it is binary."""
    if raw is None:
        return None
    shown = raw[:MAX_SHOWN_BYTES]
    return {
        "binary": is_binary(shown),
        "text": show_bytes(shown),
        "bytes": len(raw),
        "truncated": len(raw) > MAX_SHOWN_BYTES,
    }


def story_detail(
    record: EnrichedArticle, *, raw: RawWire | None, cluster: Iterable[EnrichedArticle] = ()
) -> dict[str, Any]:
    """The story view: body with entity runs, entities, places, keywords, raw wire beside."""
    article = record.article
    marks = _paragraph_marks(record.entities, article.body)
    return {
        **story_summary(record),
        "byline": article.byline,
        "slug": article.slug,
        "paragraphs": [segments(p, m) for p, m in zip(article.body, marks, strict=True)],
        "entities": [entity_view(e) for e in record.entities],
        "entities_skipped": record.entities_skipped,
        "keywords": [{"text": k.text, "score": k.score} for k in record.keywords],
        "editorial_notes": list(article.editorial_notes),
        "parsed": record.model_dump(mode="json", exclude={"entities"}),
        "raw": raw_view(raw.content if raw is not None else None),
        "raw_meta": {"filename": raw.filename, "source": raw.source, "format": raw.format_hint}
        if raw is not None
        else None,
        "cluster": [
            story_summary(other)
            for other in cluster
            if other.article.article_id != article.article_id
        ],
    }


def query_check(text: str, vocabulary: Vocabulary) -> dict[str, Any]:
    """``{"ok": true}`` or the error with its 1-based column, for the query box."""
    if not text.strip():
        return {"ok": False, "error": "the query is empty", "column": 1}
    try:
        parse(text, vocabulary)
    except QueryError as exc:
        return {"ok": False, "error": exc.reason, "column": exc.column, "code": exc.code}
    return {"ok": True}


def query_test(
    query: Query,
    stories: Iterable[EnrichedArticle],
    vocabulary: Vocabulary,
    *,
    now: datetime,
    window: timedelta = timedelta(hours=24),
    limit: int = 100,
) -> dict[str, Any]:
    """Which stories released within ``window`` before ``now`` the query matches, and why."""
    since = now - window
    checked = 0
    matched: list[dict[str, Any]] = []
    for record in stories:
        if record.enriched_at < since:
            continue
        checked += 1
        reason = query.reason(document(record, vocabulary))
        if reason and len(matched) < limit:
            matched.append({**story_summary(record), "reason": reason})
    return {"checked": checked, "matched": matched, "since": since.isoformat()}


def letter_view(dead_letter_id: str, letter: DeadLetter) -> dict[str, Any]:
    """One dead letter: where it failed and why, and its original bytes as text or hex."""
    wire = original_wire(letter)
    # A wire's original is a JSON envelope; what a person wants is the wire inside.
    content = wire.content if wire is not None else letter.original
    return {
        "id": dead_letter_id,
        "failed_at": letter.failed_at.isoformat(),
        "stage": letter.stage,
        "code": letter.error_code,
        "error_type": letter.error_type,
        "reason": letter.message,
        "attempts": attempts(letter),
        "source": f"{letter.source_topic}[{letter.source_partition}]@{letter.source_offset}",
        "filename": wire.filename if wire is not None else None,
        "original": raw_view(content),
    }


def letter_counts(letters: Iterable[DeadLetter]) -> list[dict[str, Any]]:
    """Dead letters counted by stage and code, most first."""
    counts: dict[tuple[str, str], int] = {}
    for letter in letters:
        key = (letter.stage, letter.error_code)
        counts[key] = counts.get(key, 0) + 1
    return [
        {"stage": stage, "code": code, "count": n}
        for (stage, code), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
