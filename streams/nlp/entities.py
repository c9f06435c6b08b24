"""Named entities of an article: a pure function of the model and the text.

NER sees the headline and the body only. The parser has already removed wire
markup (slug, ATTN notes, dateline, end marker, copyright), which is what keeps
"ATTN" or the dateline's "(Yonhap)" from turning into entities; the clean-up
in :mod:`streams.nlp.canonical` drops what slips through.

The model's spans become canonical entities: mentions grouped into one
entity per person, organisation or place of the story, with one type, a
canonical name, Wikidata/GeoNames links from the shipped gazetteer,
coordinates for places, and relevance and confidence scores. Each step has
its module; this one runs the model and assembles the entities:

- :mod:`streams.nlp.mentions`: span repair and clean-up into mentions;
- :mod:`streams.nlp.cues`: what the words around a mention say of its type;
- :mod:`streams.nlp.grouping`: mentions into entities, types, short names;
- :mod:`streams.nlp.linking`: gazetteer links;
- :mod:`streams.nlp.relevance`: relevance and confidence.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from schemas import Entity, Mention
from streams.nlp import canonical
from streams.nlp.cues import common_words
from streams.nlp.gazetteer import GazetteerEntry
from streams.nlp.geo import resolve_place
from streams.nlp.grouping import entity_label, group, propagate
from streams.nlp.linking import PLACE_LABELS, link, story_countries
from streams.nlp.mentions import (
    PARAGRAPH_SEPARATOR,
    Item,
    Span,
    mention_items,
    paragraph_starts,
    spans_of,
)
from streams.nlp.ner import read_as_story
from streams.nlp.relevance import confidence, relevance

#: Labels worth subscribing to. Numeric and temporal labels (DATE, CARDINAL,
#: MONEY ...) are left out: they are not things an alert names.
NAMED_LABELS: frozenset[str] = frozenset(
    {
        "PERSON",
        "NORP",
        "FAC",
        "ORG",
        "GPE",
        "LOC",
        "PRODUCT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
    }
)


@dataclass(frozen=True)
class EntityInput:
    """The text NER sees for one article."""

    headline: str
    body: str  # paragraphs joined with PARAGRAPH_SEPARATOR
    language: str = "en"
    dateline: tuple[str, ...] = ()  # dateline cities as written ("BEIJING")


def entity_input(
    *,
    headline: str,
    paragraphs: Sequence[str],
    language: str = "en",
    dateline: Sequence[str] = (),
) -> EntityInput:
    return EntityInput(
        headline=headline,
        body=PARAGRAPH_SEPARATOR.join(paragraphs),
        language=language,
        dateline=tuple(dateline),
    )


def model_covers(nlp: Any, language: str) -> bool:
    """Whether the model was trained on the article's language (BCP-47 primary subtag)."""
    return bool(language.split("-")[0].lower() == str(nlp.lang).lower())


def _best_form(items: Sequence[Item]) -> str:
    """The fullest way the article writes the name: not an acronym, most words, most used."""
    counts = Counter(i.text for i in items)
    first: dict[str, int] = {}
    for i in items:
        first.setdefault(i.text, i.order)

    def score(text: str) -> tuple[bool, int, int, int]:
        words = canonical.name_key(canonical.strip_corporate_suffix(text)).split()
        return (not canonical.is_acronym(text), len(words), counts[text], -first[text])

    best = max(counts, key=score)
    stripped = canonical.strip_corporate_suffix(best)
    return stripped if canonical.name_key(stripped) in {i.key for i in items} else best


def _local_id(label: str, name: str) -> str:
    digest = hashlib.sha1(f"{label}:{canonical.name_key(name)}".encode()).hexdigest()
    return f"ws:{digest[:12]}"


def _mention(item: Item) -> Mention:
    return Mention(
        text=item.text,
        section=item.section,
        paragraph=item.paragraph,
        start=item.start,
        end=item.end,
    )


def _entity(
    members: Sequence[Item],
    *,
    label: str,
    entry: GazetteerEntry | None,
    body: str,
    lead_end: int,
    in_dateline: bool = False,
    dateline_name: str | None = None,
    subject: int = 0,
) -> Entity:
    mentions = [_mention(i) for i in sorted(members, key=lambda i: i.order)]
    if members:
        name = _best_form(members)
        if entry is not None and (label != "PERSON" or len(name.split()) == 1):
            name = entry.name
    else:
        name = entry.name if entry is not None else str(dateline_name)
    titles = [i.title for i in sorted(members, key=lambda i: i.order) if i.title]
    n = len(members)
    return Entity(
        name=name,
        type=label,
        mentions=mentions,
        in_dateline=in_dateline,
        relevance=relevance(
            mentions,
            body_length=len(body),
            lead_end=lead_end,
            in_dateline=in_dateline,
            subject=subject,
            label=label,
        ),
        confidence=confidence(
            label_share=(sum(i.model_label == label for i in members) / n) if n else 0.5,
            linked=entry is not None,
            multi_word_or_repeated=n > 1 or len(name.split()) > 1,
            ambiguous_share=(sum(i.ambiguous for i in members) / n) if n else 0.0,
        ),
        title=titles[0] if titles and label == "PERSON" else None,
        wikidata=entry.wikidata if entry else None,
        uri=entry.uri if entry else None,
        local_id=None if entry is not None and entry.wikidata else _local_id(label, name),
        geo=entry.geo if entry is not None and label in PLACE_LABELS else None,
    )


#: Types that can be the subject of a story for relevance: its actors.
SUBJECT_LABELS: frozenset[str] = frozenset({"PERSON", "ORG"})

_SENTENCE_END = re.compile(r"[.!?][\"'”’]?\s+(?=[A-Z\"“])")


def _subjects(entities: Sequence[tuple[Sequence[Item], str]], *, body: str) -> dict[int, int]:
    """Which entities (by index) open the headline or the lead sentence, as their actor.

    Wires put the story's subject first: "Lee offers deep apologies ...", "North Korean
    leader Kim Jong-un stood ...". The first person or organisation of the headline
    gets 2, of the lead sentence 1 (both: 3); see :func:`streams.nlp.relevance.relevance`.
    """
    first_break = _SENTENCE_END.search(body)
    lead_sentence_end = first_break.start() + 1 if first_break else len(body)
    out: dict[int, int] = {}
    for section, limit, weight in (("headline", None, 2), ("body", lead_sentence_end, 1)):
        firsts = [
            (min(i.order for i in members if i.section == section), index)
            for index, (members, label) in enumerate(entities)
            if label in SUBJECT_LABELS
            and any(i.section == section and (limit is None or i.start < limit) for i in members)
        ]
        if firsts:
            index = min(firsts)[1]
            out[index] = out.get(index, 0) + weight
    return out


def group_mentions(
    spans: Iterable[Span],
    *,
    body: str,
    headline: str = "",
    dateline: Sequence[str] = (),
    lexicon: frozenset[str] = frozenset(),
) -> list[Entity]:
    """Canonical entities of one article from the model's spans.

    Mentions are cleaned (see :mod:`streams.nlp.canonical`), grouped (same
    name, acronym and expansion, gazetteer aliases, short names to full
    names), typed consistently, linked to the gazetteer and scored. Dateline
    cities become place entities too (``in_dateline``; without mentions when
    the story does not name them). Sorted by relevance, then name.
    ``lexicon``: ordinary English words (:func:`streams.nlp.cues.common_words`).
    """
    spans = list(spans)
    items = mention_items(spans, headline=headline, body=body, lexicon=lexicon)
    groups = group(items)
    taken = [(s.section, s.start, s.end) for s in spans] + [
        (i.section, i.start, i.end) for i in items
    ]
    propagate(groups, headline=headline, body=body, taken=taken)
    starts = paragraph_starts(body)
    lead_end = starts[1] if len(starts) > 1 else len(body)
    clusters = groups.clusters()
    countries = story_countries(groups.items)
    built: list[tuple[list[Item], str, GazetteerEntry | None]] = []
    for members in clusters.values():
        label = entity_label(members)
        built.append((members, label, link(members, label, countries)))
    subjects = _subjects([(members, label) for members, label, _ in built], body=body)
    dateline_entries: dict[str, GazetteerEntry | None] = {}
    for written in dateline:
        # Datelines are written in capitals ("JEJU"): the city's name, not an acronym. A
        # city given with its country or state ("GROSSETO, Italy") is the city.
        city, _, region = written.partition(",")
        if not region.strip() or resolve_place(region.strip().title()) is None:
            city = written
        city = city.strip().title()
        dateline_entries.setdefault(city, resolve_place(city, countries=countries))
    entities: list[Entity] = []
    claimed: set[str] = set()
    for index, (members, label, entry) in enumerate(built):
        named_in_dateline = any(
            (entry is not None and d is not None and d.id == entry.id)
            or (canonical.name_key(city) in {i.key for i in members})
            for city, d in dateline_entries.items()
        )
        if named_in_dateline:
            claimed.update(
                city
                for city, d in dateline_entries.items()
                if (entry is not None and d is not None and d.id == entry.id)
                or canonical.name_key(city) in {i.key for i in members}
            )
        entities.append(
            _entity(
                members,
                label=label,
                entry=entry,
                body=body,
                lead_end=lead_end,
                in_dateline=named_in_dateline,
                subject=subjects.get(index, 0),
            )
        )
    for city, d_entry in dateline_entries.items():
        if city not in claimed:
            entities.append(
                _entity(
                    [],
                    label="GPE",
                    entry=d_entry,
                    body=body,
                    lead_end=lead_end,
                    in_dateline=True,
                    dateline_name=city,
                )
            )
    return sorted(entities, key=lambda e: (-e.relevance, e.name))


def extract_entities(
    nlp: Any,
    inputs: Sequence[EntityInput],
    *,
    labels: frozenset[str] = NAMED_LABELS,
    batch_size: int = 32,
) -> list[list[Entity]]:
    """Entities of each input, in order. One ``nlp.pipe`` call for the whole batch.

    An input in a language the model does not cover gets no entities (an
    English model tags Korean text with noise); see :func:`model_covers`.
    """
    covered = [item for item in inputs if model_covers(nlp, item.language)]
    lexicon = common_words(nlp)
    texts: list[str] = []
    for item in covered:
        texts.extend((item.headline, item.body))
    docs = iter(nlp.pipe(texts, batch_size=batch_size))
    results: list[list[Entity]] = []
    for item in inputs:
        if not model_covers(nlp, item.language):
            results.append([])
            continue
        head_doc, body_doc = next(docs), next(docs)
        read_as_story([head_doc, body_doc])
        spans = spans_of(head_doc, "headline", labels, lexicon=lexicon) + spans_of(
            body_doc, "body", labels, lexicon=lexicon
        )
        results.append(
            group_mentions(
                spans,
                body=item.body,
                headline=item.headline,
                dateline=item.dateline,
                lexicon=lexicon,
            )
        )
    return results
