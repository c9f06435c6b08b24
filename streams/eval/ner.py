"""NER evaluation against CoNLL files: reading, tag schemes, label mapping, span scoring.

Pure functions, no spaCy import: the CLI (`wirestream eval ner`) runs the models
and hands this module the spans they produce.

CoNLL-2003 files have one token per line with the NER tag in the last column,
blank lines between sentences and ``-DOCSTART-`` lines between documents. The
original release uses IOB1 (``B-`` only where two entities of one type touch);
most later copies use IOB2 (``B-`` at every entity start). :func:`tag_spans`
reads both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from streams.eval.scores import PrecisionRecall

#: The CoNLL-2003 entity types, in report order.
CONLL_TYPES: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")

#: The types of the headline figure: people, organisations and places are what
#: alerts are written about; MISC is a catch-all whose boundaries the two
#: annotation schemes draw differently.
MAIN_TYPES: tuple[str, ...] = ("PER", "ORG", "LOC")

#: OntoNotes (spaCy English) labels -> CoNLL-2003 types. FAC goes to LOC because
#: CoNLL annotates stadiums, airports, bridges and streets as locations. Numeric
#: and temporal labels (DATE, MONEY, CARDINAL ...) have no CoNLL type: unmapped.
ONTONOTES_TO_CONLL: Mapping[str, str] = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}

DOCSTART = "-DOCSTART-"


@dataclass(frozen=True)
class Span:
    """An entity as token offsets ``[start, end)`` in a sentence, with its type."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def spans(self) -> list[Span]:
        return tag_spans(self.tags)

    @property
    def text(self) -> str:
        """The tokens joined by single spaces: the text the models are given."""
        return " ".join(self.tokens)

    def char_spans(self) -> list[tuple[int, int, str]]:
        """Gold entities as character offsets into :attr:`text`."""
        starts: list[int] = []
        pos = 0
        for token in self.tokens:
            starts.append(pos)
            pos += len(token) + 1
        return [
            (starts[s.start], starts[s.end - 1] + len(self.tokens[s.end - 1]), s.label)
            for s in self.spans
        ]


@dataclass(frozen=True)
class Document:
    sentences: tuple[Sentence, ...] = field(default_factory=tuple)


class ConllFormatError(ValueError):
    """A line that is not ``token ... tag``."""


def _split_tag(tag: str) -> tuple[str, str]:
    if tag == "O":
        return "O", ""
    prefix, sep, label = tag.partition("-")
    if not sep or prefix not in {"B", "I", "E", "S"} or not label:
        raise ConllFormatError(f"not an IOB tag: {tag!r}")
    return prefix, label


def tag_spans(tags: Sequence[str]) -> list[Span]:
    """Entity spans of a tag sequence in IOB1 or IOB2.

    A span starts at ``B-X``, or at ``I-X`` not preceded by a tag of type X
    (that is the IOB1 rule, and it also accepts IOB2 and sloppy IOB2).
    """
    spans: list[Span] = []
    start: int | None = None
    current = ""
    for i, tag in enumerate(tags):
        prefix, label = _split_tag(tag)
        continues = prefix == "I" and label == current
        if start is not None and not continues:
            spans.append(Span(start, i, current))
            start, current = None, ""
        if prefix != "O" and not continues:
            start, current = i, label
    if start is not None:
        spans.append(Span(start, len(tags), current))
    return spans


def spans_to_iob2(spans: Iterable[Span], length: int) -> list[str]:
    tags = ["O"] * length
    for s in spans:
        tags[s.start] = f"B-{s.label}"
        for i in range(s.start + 1, s.end):
            tags[i] = f"I-{s.label}"
    return tags


def spans_to_iob1(spans: Iterable[Span], length: int) -> list[str]:
    """IOB1: every token ``I-``; ``B-`` only on an entity that touches one of its type."""
    tags = ["O"] * length
    previous: Span | None = None
    for s in sorted(spans, key=lambda s: s.start):
        for i in range(s.start, s.end):
            tags[i] = f"I-{s.label}"
        if previous is not None and previous.end == s.start and previous.label == s.label:
            tags[s.start] = f"B-{s.label}"
        previous = s
    return tags


def iob1_to_iob2(tags: Sequence[str]) -> list[str]:
    return spans_to_iob2(tag_spans(tags), len(tags))


def iob2_to_iob1(tags: Sequence[str]) -> list[str]:
    return spans_to_iob1(tag_spans(tags), len(tags))


def parse_conll(lines: Iterable[str]) -> list[Document]:
    """Documents of a CoNLL file's lines. A file without ``-DOCSTART-`` is one document."""
    documents: list[Document] = []
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []

    def end_sentence() -> None:
        if tokens:
            sentences.append(Sentence(tuple(tokens), tuple(tags)))
            tokens.clear()
            tags.clear()

    def end_document() -> None:
        end_sentence()
        if sentences:
            documents.append(Document(tuple(sentences)))
            sentences.clear()

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            end_sentence()
            continue
        columns = line.split()
        if columns[0] == DOCSTART:
            end_document()
            continue
        if len(columns) < 2:
            raise ConllFormatError(f"line {number}: expected 'token ... tag', got {line!r}")
        try:
            _split_tag(columns[-1])
        except ConllFormatError as exc:
            raise ConllFormatError(f"line {number}: {exc}") from None
        tokens.append(columns[0])
        tags.append(columns[-1])
    end_document()
    return documents


def read_conll(path: Path) -> list[Document]:
    with path.open(encoding="utf-8") as handle:
        return parse_conll(handle)


def sentences(documents: Iterable[Document]) -> Iterator[Sentence]:
    for document in documents:
        yield from document.sentences


def to_conll_label(label: str) -> str | None:
    """The CoNLL type of an OntoNotes label, or None for labels CoNLL does not annotate."""
    return ONTONOTES_TO_CONLL.get(label)


@dataclass(frozen=True)
class Counts(PrecisionRecall):
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


Labelled = tuple[int, int, str]


def score_spans(
    gold: Iterable[Sequence[Labelled]],
    predicted: Iterable[Sequence[Labelled]],
    *,
    types: Sequence[str] = CONLL_TYPES,
) -> dict[str, Counts]:
    """Exact-span counts per type over parallel sequences of (start, end, type) sets.

    A prediction counts only when start, end and type all match a gold entity.
    Spans of types outside ``types`` are ignored on both sides.
    """
    tp = dict.fromkeys(types, 0)
    fp = dict.fromkeys(types, 0)
    fn = dict.fromkeys(types, 0)
    for gold_spans, pred_spans in zip(gold, predicted, strict=True):
        g = {s for s in gold_spans if s[2] in tp}
        p = {s for s in pred_spans if s[2] in tp}
        for s in g & p:
            tp[s[2]] += 1
        for s in p - g:
            fp[s[2]] += 1
        for s in g - p:
            fn[s[2]] += 1
    return {t: Counts(tp[t], fp[t], fn[t]) for t in types}


def micro(counts: Mapping[str, Counts], types: Sequence[str] = MAIN_TYPES) -> Counts:
    total = Counts()
    for t in types:
        total = total + counts[t]
    return total
