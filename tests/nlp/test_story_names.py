"""Names read as one story (``streams.nlp.ner.story``): a surname is the person, a short
name the company."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from streams.nlp.ner import company_short_names, read_as_story, surname_persons
from streams.nlp.ner.story import short_company_names, surnames


@pytest.fixture(scope="module")
def blank() -> Language:
    return spacy.blank("en")


def doc(nlp: Language, text: str, ents: Sequence[tuple[str, str]] = ()) -> Doc:
    """``text`` with each (words, label) of ``ents`` as an entity at its first occurrence."""
    d = nlp(text)
    spans = []
    words = [t.text for t in d]
    for name, label in ents:
        parts = [t.text for t in nlp(name)]
        start = next(i for i in range(len(words)) if words[i : i + len(parts)] == parts)
        spans.append(Span(d, start, start + len(parts), label=label))
    d.ents = spans
    return d


def ents(d: Doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in d.ents]


def test_a_missed_surname_after_the_full_name_in_another_sentence_is_that_person(
    blank: Language,
) -> None:
    first = doc(blank, "Siraj Mia was charged in London .", [("Siraj Mia", "PERSON")])
    second = doc(blank, "Mia , a father of five , denies it .")
    assert surname_persons([first, second]) == 1
    assert ents(second) == [("Mia", "PERSON")]


def test_a_surname_the_model_called_a_place_or_a_club_is_retyped_person(
    blank: Language,
) -> None:
    story = [
        doc(blank, "Stefan Edberg beat Petr Korda .", [("Stefan Edberg", "PERSON")]),
        doc(blank, "Edberg served well against Korda .", [("Edberg", "GPE"), ("Korda", "ORG")]),
    ]
    surname_persons(story)
    assert ents(story[1]) == [("Edberg", "PERSON"), ("Korda", "ORG")]


def test_dates_numbers_and_longer_names_holding_the_surname_are_left_alone(
    blank: Language,
) -> None:
    story = [
        doc(blank, "Theresa May spoke .", [("Theresa May", "PERSON")]),
        doc(blank, "Talks resume in May at May House .", [("May", "DATE"), ("May House", "FAC")]),
    ]
    assert surname_persons(story) == 0
    assert ents(story[1]) == [("May", "DATE"), ("May House", "FAC")]


def test_only_the_last_word_of_a_full_name_in_ordinary_capitals_is_a_surname(
    blank: Language,
) -> None:
    d = doc(
        blank,
        "Paul Smith met Madonna and JOHN DOE .",
        [("Paul Smith", "PERSON"), ("Madonna", "PERSON"), ("JOHN DOE", "PERSON")],
    )
    # A one-word person and a name in capitals (a headline) give none.
    assert surnames([d]) == frozenset({("Smith",)})


def test_a_story_without_full_names_is_unchanged(blank: Language) -> None:
    d = doc(blank, "Mia said Korda would play .", [("Korda", "GPE")])
    assert surname_persons([d]) == 0
    assert ents(d) == [("Korda", "GPE")]


def test_a_company_named_with_its_legal_form_is_that_company_without_it(blank: Language) -> None:
    story = [
        doc(blank, "Lonrho Plc sold its stake .", [("Lonrho Plc", "ORG")]),
        doc(blank, "Lonrho shares fell and Lonrho said so .", [("Lonrho", "PERSON")]),
    ]
    assert company_short_names(story) == 2
    assert ents(story[1]) == [("Lonrho", "ORG"), ("Lonrho", "ORG")]


def test_a_short_company_name_of_several_words_is_matched_whole(blank: Language) -> None:
    story = [
        doc(blank, "Arch Petroleum Inc. said on Monday .", [("Arch Petroleum Inc.", "ORG")]),
        doc(blank, "Arch Petroleum owns Arch Alberta .", [("Arch Alberta", "GPE")]),
    ]
    assert short_company_names(story) == frozenset({("Arch", "Petroleum")})
    company_short_names(story)
    # The short name is added; a longer name that begins like it is not touched.
    assert ents(story[1]) == [("Arch Petroleum", "ORG"), ("Arch Alberta", "GPE")]


def test_an_organisation_without_legal_form_gives_no_short_name(blank: Language) -> None:
    d = doc(blank, "Foreign Ministry officials met .", [("Foreign Ministry", "ORG")])
    assert short_company_names([d]) == frozenset()


def test_reading_as_a_story_lets_a_legal_form_win_over_a_surname(blank: Language) -> None:
    story = [
        doc(
            blank,
            "Chief Mark Gencor praised Gencor Ltd .",
            [("Mark Gencor", "PERSON"), ("Gencor Ltd", "ORG")],
        ),
        doc(blank, "Gencor rose .", [("Gencor", "GPE")]),
    ]
    read_as_story(story)
    assert ents(story[1]) == [("Gencor", "ORG")]


def test_a_headline_in_capitals_names_the_person_in_capitals(blank: Language) -> None:
    story = [
        doc(blank, "SOCCER - FIORENTINA WIN WITH BATISTUTA DOUBLE ."),
        doc(blank, "Gabriel Batistuta scored twice .", [("Gabriel Batistuta", "PERSON")]),
        doc(blank, "Batistuta and BATISTUTA fans cheered ."),
    ]
    surname_persons(story)
    assert ents(story[0]) == [("BATISTUTA", "PERSON")]
    # In ordinary text only the name as written counts.
    assert ents(story[2]) == [("Batistuta", "PERSON")]
