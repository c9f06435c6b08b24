"""Names read as one story: a surname is the person, a short name the company.

Wire copy names a person or a company in full once ("Siraj Mia", "Lonrho Plc") and by a
short form after that ("Mia said", "Lonrho shares fell"). A model that sees a sentence at
a time types the short form from its own few words, so it misses it or calls it a place,
a club or a person. Read as one story, the short form is the entity the story named:

- :func:`surname_persons`: the last word of a person named with two words or more;
- :func:`company_short_names`: a company's name without its legal form.

:func:`read_as_story` applies both, companies last (a legal form is the stronger
evidence). The entity stage calls it on an article's headline and body, and
``wirestream eval ner`` on the sentences of one CoNLL document; the story's own grouping
(``streams.nlp.grouping``) then joins the short form to the full name. Both rules were
chosen on the held-out tenth of eng.train (``bench/ner_dev_tenth.py``): for persons, the
last word only (the first word as well did worse: a first name alone is more often
someone else's); retyping only of names the model gave another *named* type, so dates and
numbers keep theirs ("May" of "Theresa May" and "in May").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from streams.nlp.canonical import CORPORATE_SUFFIXES
from streams.nlp.geo import country_code

#: Labels a short form may carry and be retyped from: the named ones. Dates, times and
#: numbers keep their label ("May" is a month before it is Theresa May).
RETYPABLE: frozenset[str] = frozenset(
    {"ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
    | {"PERSON"}
)

PERSON = "PERSON"
ORG = "ORG"


def _is_name_word(token: Token) -> bool:
    text = token.text
    # "Mia", "McDonald", "O'Neill": capitalised, not a word in capitals (headlines,
    # acronyms), not a function word.
    return (
        len(text) > 1
        and text[0].isupper()
        and not text.isupper()
        and text[0].isalpha()
        and text.lower() not in STOP_WORDS
    )


def surnames(docs: Sequence[Doc]) -> frozenset[tuple[str, ...]]:
    """Last words of the people ``docs`` name with two words or more."""
    found: set[tuple[str, ...]] = set()
    for doc in docs:
        for ent in doc.ents:
            if (
                ent.label_ == PERSON
                and len(ent) >= 2
                and _is_name_word(ent[-1])
                # "Events South Australia" taken for a person must not make every
                # "Australia" one: a country is never read as a surname.
                and country_code(ent[-1].text) is None
            ):
                found.add((ent[-1].text,))
    return frozenset(found)


def short_company_names(docs: Sequence[Doc]) -> frozenset[tuple[str, ...]]:
    """Names of the companies ``docs`` write with a legal form, without it ("Lonrho")."""
    found: set[tuple[str, ...]] = set()
    for doc in docs:
        for ent in doc.ents:
            if ent.label_ != ORG:
                continue
            words = [t.text for t in ent]
            while words and words[-1].strip(".,").casefold() in CORPORATE_SUFFIXES:
                words.pop()
            if words and len(words) < len(ent) and words[0][:1].isupper():
                found.add(tuple(words))
    return frozenset(found)


def _in_capitals(doc: Doc) -> bool:
    """Whether ``doc`` is written in capitals (a wire headline): most of its letters are."""
    letters = [c for c in doc.text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _tag(docs: Sequence[Doc], forms: Iterable[tuple[str, ...]], label: str) -> int:
    """Tag each occurrence of ``forms`` as ``label``; how many were added or retyped.

    An occurrence outside every entity is added; one that is exactly an entity of a
    :data:`RETYPABLE` label is retyped; one that overlaps a different entity (inside a
    longer name, or across two) is left alone.
    """
    forms = list(forms)
    changed = 0
    for doc in docs:
        capitals = _in_capitals(doc)
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for form in forms:
            # A headline in capitals writes the name in capitals too ("BATISTUTA").
            written = tuple(w.upper() for w in form) if capitals else form
            by_first.setdefault(written[0], []).append(written)
        ents = list(doc.ents)
        covering = {i: ent for ent in ents for i in range(ent.start, ent.end)}
        words = [t.text for t in doc]
        edited = False
        for i, word in enumerate(words):
            for form in by_first.get(word, ()):
                end = i + len(form)
                if tuple(words[i:end]) != form:
                    continue
                held = {covering.get(j) for j in range(i, end)}
                if held == {None}:
                    span = Span(doc, i, end, label=label)
                    ents.append(span)
                    covering.update(dict.fromkeys(range(i, end), span))
                elif len(held) == 1:
                    ent = next(iter(held))
                    if ent is None or (ent.start, ent.end) != (i, end):
                        continue
                    if ent.label_ == label or ent.label_ not in RETYPABLE:
                        continue
                    span = Span(doc, i, end, label=label)
                    ents[ents.index(ent)] = span
                    covering.update(dict.fromkeys(range(i, end), span))
                else:
                    continue
                edited = True
                changed += 1
        if edited:
            doc.ents = sorted(ents, key=lambda e: e.start)
    return changed


def surname_persons(docs: Sequence[Doc]) -> int:
    """Tag the lone surnames in ``docs`` (one story) as persons; how many were tagged."""
    return _tag(docs, surnames(docs), PERSON)


def company_short_names(docs: Sequence[Doc]) -> int:
    """Tag the companies' names without legal form in ``docs`` (one story) as organisations."""
    return _tag(docs, short_company_names(docs), ORG)


def read_as_story(docs: Sequence[Doc]) -> int:
    """Both rules on ``docs``, the sentences or sections of one story; how many were tagged."""
    return surname_persons(docs) + company_short_names(docs)
