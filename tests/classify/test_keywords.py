"""Key phrases: what they pick, how they are scored, and that they are stable."""

from __future__ import annotations

import pytest

from schemas.enriched import Keyword
from streams.classify.keywords import candidates, keywords
from tests.classify.stories import STORIES

STRIKE = (
    "Dockworkers at Busan port walk out over pay",
    [
        "About 2,300 dockworkers at Busan port went on strike on Wednesday after wage talks "
        "with terminal operators collapsed, halting container loading.",
        "The dockworkers' union is demanding a 9 percent pay rise, while the terminal "
        "operators have offered 4 percent. Container ships were diverted to Gwangyang.",
        "The oceans ministry set up an emergency task force to limit disruption at Busan port.",
    ],
)


def _texts(items: list[Keyword]) -> list[str]:
    return [k.text for k in items]


def test_the_story_subject_comes_first_and_repeated_phrases_rank_high() -> None:
    found = _texts(keywords(headline=STRIKE[0], paragraphs=STRIKE[1]))
    assert found[0] == "Busan port"
    assert {"dockworkers", "terminal operators"} <= set(found[:4])


def test_scores_are_relative_to_the_best_and_sorted() -> None:
    found = keywords(headline=STRIKE[0], paragraphs=STRIKE[1])
    assert found[0].score == 1.0
    scores = [k.score for k in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)


def test_a_phrase_inside_a_chosen_phrase_is_not_repeated() -> None:
    found = [k.text.casefold() for k in keywords(headline=STRIKE[0], paragraphs=STRIKE[1])]
    for i, phrase in enumerate(found):
        for other in found[:i]:
            assert f" {phrase} " not in f" {other} "
            assert f" {other} " not in f" {phrase} "


def test_function_words_and_wire_furniture_are_never_keywords() -> None:
    found = {
        k.text.casefold()
        for _, headline, body in STORIES
        for k in keywords(headline=headline, paragraphs=body.split("\n\n"))
    }
    assert not found & {"the", "said", "on", "and", "yonhap", "officials", "percent"}


@pytest.mark.parametrize("top_k", [0, 1, 3])
def test_top_k_caps_the_list(top_k: int) -> None:
    assert len(keywords(headline=STRIKE[0], paragraphs=STRIKE[1], top_k=top_k)) == top_k


def test_same_input_gives_same_keywords() -> None:
    first = keywords(headline=STRIKE[0], paragraphs=STRIKE[1])
    assert first == keywords(headline=STRIKE[0], paragraphs=list(STRIKE[1]))


def test_empty_text_has_no_keywords() -> None:
    assert keywords(headline="", paragraphs=[]) == []
    assert keywords(headline="The", paragraphs=["and of the", "1234"]) == []


def test_candidates_break_at_punctuation_and_function_words() -> None:
    runs = candidates("Military parade in Beijing, watched by world leaders.")
    assert ["Military", "parade"] in runs
    assert ["Beijing"] in runs
    assert ["world", "leaders"] not in runs  # "world" is a stop word of the topic lexicon
    assert ["leaders"] in runs


def test_a_possessive_ends_its_phrase() -> None:
    assert candidates("China's Xi Jinping met them.")[:2] == [["China"], ["Xi", "Jinping"]]
