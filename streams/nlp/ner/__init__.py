"""Wirestream's NER: the spaCy model's OntoNotes entities, re-drawn by a CoNLL-trained model.

The spaCy English model (OntoNotes) knows fine types that alert services filter on (GPE
vs LOC vs FAC, NORP, EVENT, LAW ...) but finds newswire names poorly: organisations
especially. The shipped ``conll`` weights (trained on CoNLL-2003 newswire, see
``python -m streams.nlp.train``) find names well but only know PER/ORG/LOC/MISC.
The pipeline runs both and :func:`merge_spans` keeps the CoNLL model's spans with the
finest type the two agree on:

- a CoNLL span takes the OntoNotes label of the overlapping OntoNotes entity whose
  coarse type (:data:`COARSE`) is the same, preferring identical boundaries, then the
  largest overlap;
- with no such entity it takes :data:`DEFAULT_FINE` of its type (LOC -> GPE, because
  most places in news copy are countries and cities); a MISC span becomes EVENT when a
  word of it names a competition or occasion (:data:`EVENT_WORDS`) or holds a digit
  ("Euro 96"), NORP otherwise (nationalities are most of the rest);
- a CoNLL PER that OntoNotes calls GPE or LOC on the same tokens is that place, and a
  CoNLL ORG it calls FAC that facility (:data:`OVERRIDES`);
- a person's name does not stop inside a hyphenated word: "Woo Won" + "-shik" is
  extended to "Woo Won-shik" (the CoNLL model rarely saw Korean given names);
- OntoNotes entities without a CoNLL type (DATE, MONEY, CARDINAL ...) are kept where they
  overlap no CoNLL span; named OntoNotes entities the CoNLL model did not confirm are dropped.

Components (registered on import): ``wirestream_stash_ontonotes`` moves the OntoNotes
entities to ``doc.spans["ontonotes"]`` and leaves the entity annotation *missing* so the
next NER is unconstrained; ``wirestream_merge_entities`` writes the merged ``doc.ents``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from streams.eval.ner import ONTONOTES_TO_CONLL

#: Folder of the shipped weights (one subfolder per model).
NER_DIR = Path(__file__).resolve().parent

#: Where the OntoNotes model's own entities are kept on the Doc.
ONTONOTES_KEY = "ontonotes"

STASH = "wirestream_stash_ontonotes"
CONLL_NER = "conll_ner"
MERGE = "wirestream_merge_entities"

#: OntoNotes label -> CoNLL type; the same table the evaluation maps with.
COARSE: Mapping[str, str] = ONTONOTES_TO_CONLL

#: The OntoNotes label a CoNLL span gets when no OntoNotes entity agrees with it.
DEFAULT_FINE: Mapping[str, str] = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "NORP"}

#: Words that make an unconfirmed MISC name an EVENT ("U.S. Open", "Asian Games").
EVENT_WORDS: frozenset[str] = frozenset(
    {
        "championship",
        "championships",
        "conference",
        "cup",
        "day",
        "festival",
        "forum",
        "games",
        "grand",
        "league",
        "marathon",
        "olympic",
        "olympics",
        "open",
        "prix",
        "rally",
        "slam",
        "summit",
        "tour",
        "tournament",
        "trophy",
        "war",
        "wimbledon",
        "world",
    }
)

#: OntoNotes labels that win over the CoNLL model's type on identical boundaries. The CoNLL
#: model has seen few non-European places ("Busan") and facilities ("Jeju International
#: Airport"); on the held-out tenth of eng.train OntoNotes was right more often than the
#: CoNLL model in the PER/place disagreement, as often in ORG/FAC, and clearly less often
#: in every other one (e.g. sports clubs named after their city: ORG, not GPE).
OVERRIDES: Mapping[str, frozenset[str]] = {
    "PER": frozenset({"GPE", "LOC"}),
    "ORG": frozenset({"FAC"}),
}

TokenSpan = tuple[int, int, str]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def shipped_path(name: str) -> Path:
    """Folder of the shipped weights called ``name`` (a plain folder name, no paths)."""
    if not _NAME.match(name):
        raise ValueError(f"not a shipped NER name: {name!r}")
    return NER_DIR / name


def _overlap(a: TokenSpan, b: TokenSpan) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def misc_label(words: Sequence[str]) -> str:
    """OntoNotes label of a MISC name no OntoNotes entity confirmed: EVENT or NORP."""
    if any(w.casefold() in EVENT_WORDS or any(c.isdigit() for c in w) for w in words):
        return "EVENT"
    return "NORP"


def _extend_hyphenated(
    start: int, end: int, *, words: Sequence[str], spaces: Sequence[bool], limit: int
) -> int:
    """End of a PER span moved past "-xxx" pieces written without spaces ("Won" "-" "shik")."""
    while (
        end + 1 < limit
        and not spaces[end - 1]
        and words[end] == "-"
        and not spaces[end]
        and words[end + 1][:1].islower()
    ):
        end += 2
    return end


def merge_spans(
    conll: Sequence[TokenSpan],
    ontonotes: Sequence[TokenSpan],
    *,
    words: Sequence[str] = (),
    spaces: Sequence[bool] = (),
) -> list[TokenSpan]:
    """Entities ``(start, end, label)`` with CoNLL boundaries and OntoNotes labels.

    ``conll`` labels are PER/ORG/LOC/MISC; ``ontonotes`` labels are spaCy's English ones;
    ``words`` are the Doc's token texts and ``spaces`` whether each is followed by
    whitespace (for hyphenated names and the label of an unconfirmed MISC name).
    Every returned label is an OntoNotes label whose CoNLL type is the CoNLL span's type
    (the CoNLL model's decision is refined, not changed), except on exactly the tokens
    OntoNotes gives a label of :data:`OVERRIDES`. Sorted by start.
    """
    merged: list[TokenSpan] = []
    ordered = sorted(conll)
    for i, span in enumerate(ordered):
        start, end, coarse = span
        same = [o[2] for o in ontonotes if o[0] == start and o[1] == end]
        if same and same[0] in OVERRIDES.get(coarse, ()):
            merged.append((start, end, same[0]))
            continue
        agreeing = [o for o in ontonotes if COARSE.get(o[2]) == coarse and _overlap(span, o)]
        if agreeing:
            best = max(agreeing, key=lambda o: (o[0] == start and o[1] == end, _overlap(span, o)))
            label = best[2]
        elif coarse == "MISC":
            label = misc_label(words[start:end])
        else:
            label = DEFAULT_FINE.get(coarse, coarse)
        if coarse == "PER" and spaces:
            limit = ordered[i + 1][0] if i + 1 < len(ordered) else len(words)
            end = _extend_hyphenated(start, end, words=words, spaces=spaces, limit=limit)
        merged.append((start, end, label))
    for other in ontonotes:
        if other[2] not in COARSE and not any(_overlap(other, c) for c in merged):
            merged.append(other)
    return sorted(merged)


@Language.component(STASH)
def stash_ontonotes(doc: Doc) -> Doc:
    doc.spans[ONTONOTES_KEY] = list(doc.ents)
    # "missing", not "outside": the NER that follows treats preset O as a constraint.
    doc.set_ents([], default="missing")
    return doc


@Language.component(MERGE)
def merge_entities(doc: Doc) -> Doc:
    conll = [(e.start, e.end, e.label_) for e in doc.ents]
    ontonotes = [(s.start, s.end, s.label_) for s in doc.spans.get(ONTONOTES_KEY, [])]
    doc.set_ents(
        [
            Span(doc, s, e, label=label)
            for s, e, label in merge_spans(
                conll,
                ontonotes,
                words=[t.text for t in doc],
                spaces=[bool(t.whitespace_) for t in doc],
            )
        ],
        default="outside",
    )
    return doc


def add_to(nlp: Any, name: str) -> str:
    """Add the shipped NER ``name`` after ``nlp``'s own NER; returns its ``name-version``."""
    import spacy

    path = shipped_path(name)
    source = spacy.load(path)
    nlp.add_pipe(STASH, after="ner")
    nlp.add_pipe("ner", name=CONLL_NER, source=source, after=STASH)
    nlp.add_pipe(MERGE, after=CONLL_NER)
    return f"{source.meta.get('name', name)}-{source.meta.get('version', '0')}"
