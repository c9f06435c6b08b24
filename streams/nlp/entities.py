"""Named entities of an article: a pure function of the model and the text.

NER sees the headline and the body only. The parser has already removed wire
markup (slug, ATTN notes, dateline, end marker, copyright), which is what keeps
"ATTN" or the dateline's "(Yonhap)" from turning into entities.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from schemas import Entity, Mention

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

PARAGRAPH_SEPARATOR = "\n\n"

Section = Literal["headline", "body"]


@dataclass(frozen=True)
class EntityInput:
    """The text NER sees for one article."""

    headline: str
    body: str  # paragraphs joined with PARAGRAPH_SEPARATOR
    language: str = "en"


def entity_input(*, headline: str, paragraphs: Sequence[str], language: str = "en") -> EntityInput:
    return EntityInput(
        headline=headline, body=PARAGRAPH_SEPARATOR.join(paragraphs), language=language
    )


def model_covers(nlp: Any, language: str) -> bool:
    """Whether the model was trained on the article's language (BCP-47 primary subtag)."""
    return bool(language.split("-")[0].lower() == str(nlp.lang).lower())


@dataclass(frozen=True)
class _Span:
    label: str
    text: str
    section: Section
    start: int
    end: int


def _spans(doc: Any, section: Section, labels: frozenset[str]) -> list[_Span]:
    out: list[_Span] = []
    for ent in doc.ents:
        if ent.label_ not in labels:
            continue
        tokens = list(ent)
        # "the United States" and "United States" are one entity; the article
        # is not part of the name, so drop it from the span.
        while len(tokens) > 1 and tokens[0].lower_ == "the":
            tokens = tokens[1:]
        start = tokens[0].idx
        end = tokens[-1].idx + len(tokens[-1].text)
        text = doc.text[start:end]
        if text.endswith(("'s", "’s")):
            text, end = text[:-2], end - 2
        if text.strip():
            out.append(_Span(ent.label_, text, section, start, end))
    return out


def _paragraph_of(offset: int, starts: Sequence[int]) -> int:
    index = 0
    for i, s in enumerate(starts):
        if s <= offset:
            index = i
        else:
            break
    return index


def _paragraph_starts(body: str) -> list[int]:
    starts = [0]
    pos = body.find(PARAGRAPH_SEPARATOR)
    while pos != -1:
        starts.append(pos + len(PARAGRAPH_SEPARATOR))
        pos = body.find(PARAGRAPH_SEPARATOR, pos + len(PARAGRAPH_SEPARATOR))
    return starts


def group_mentions(spans: Iterable[_Span], *, body: str) -> list[Entity]:
    """One Entity per (label, surface form), mentions in text order, headline first."""
    starts = _paragraph_starts(body)
    groups: dict[tuple[str, str], list[Mention]] = {}
    for span in spans:
        key = (span.label, " ".join(span.text.split()))
        groups.setdefault(key, []).append(
            Mention(
                text=span.text,
                section=span.section,
                paragraph=_paragraph_of(span.start, starts) if span.section == "body" else None,
                start=span.start,
                end=span.end,
            )
        )
    return [
        Entity(name=name, type=label, mentions=mentions)
        for (label, name), mentions in groups.items()
    ]


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
        spans = _spans(head_doc, "headline", labels) + _spans(body_doc, "body", labels)
        results.append(group_mentions(spans, body=item.body))
    return results
