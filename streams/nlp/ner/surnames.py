"""A surname alone is the person the story named in full.

Wire copy names a person in full once ("Siraj Mia", "Stefan Edberg") and by surname
after that ("Mia said", "Edberg beat Korda"). A model that sees a sentence at a time
types a lone surname from its own few words, so it misses it or calls it a place or a
club. Read as one story, the surname is the person: :func:`surname_persons` tags each
lone occurrence of a surname of a person the story names in full as that person.

The entity stage calls it on an article's headline and body, and ``wirestream eval ner``
on the sentences of one CoNLL document; the story's own grouping (``streams.nlp.grouping``)
then joins the surname to the full name. Chosen on the held-out tenth of eng.train
(``bench/ner_dev_tenth.py``): the last word only, since a first name alone is rarer in
copy and more often someone else's ("Paul" of two Pauls); retyping of one-word names
the model gave another named type; dates and numbers are never retyped ("May" of
"Theresa May" and "in May").
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

#: Labels a lone surname may carry and be retyped from: the named ones. Dates, times and
#: numbers keep their label ("May" is a month before it is Theresa May).
RETYPABLE: frozenset[str] = frozenset(
    {"ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)

PERSON = "PERSON"


def _is_surname(token: Token) -> bool:
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


def surnames(docs: Sequence[Doc]) -> frozenset[str]:
    """Last words of the people ``docs`` name with two words or more."""
    found: set[str] = set()
    for doc in docs:
        for ent in doc.ents:
            if ent.label_ == PERSON and len(ent) >= 2 and _is_surname(ent[-1]):
                found.add(ent[-1].text)
    return frozenset(found)


def surname_persons(docs: Sequence[Doc]) -> int:
    """Tag the lone surnames in ``docs`` (one story) as persons; how many were tagged.

    A surname's occurrence outside every entity becomes a one-word PERSON; one that is a
    one-word entity of a named type (:data:`RETYPABLE`) is retyped PERSON. An occurrence
    inside a longer entity ("Mia Farrow Foundation") is left alone.
    """
    names = surnames(docs)
    if not names:
        return 0
    changed = 0
    for doc in docs:
        ents = list(doc.ents)
        covering = {i: ent for ent in ents for i in range(ent.start, ent.end)}
        edited = False
        for token in doc:
            if token.text not in names:
                continue
            ent = covering.get(token.i)
            if ent is None:
                ents.append(Span(doc, token.i, token.i + 1, label=PERSON))
            elif len(ent) == 1 and ent.label_ in RETYPABLE:
                ents[ents.index(ent)] = Span(doc, ent.start, ent.end, label=PERSON)
            else:
                continue
            edited = True
            changed += 1
        if edited:
            doc.ents = sorted(ents, key=lambda e: e.start)
    return changed
