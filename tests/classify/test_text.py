"""The tokeniser shared by the lexicon builder and the classifier."""

from __future__ import annotations

import pytest

from streams.classify.text import stem, terms


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("elections", "election"),
        ("policies", "policy"),
        ("matches", "match"),
        ("forecasts", "forecast"),
        ("trading", "trad"),
        ("trade", "trad"),
        ("stopped", "stop"),
        ("shelling", "shell"),
        ("crisis", "crisis"),
        ("virus", "virus"),
    ],
)
def test_inflections_share_a_key(word: str, key: str) -> None:
    assert stem(word) == key


@pytest.mark.parametrize(("a", "b"), [("care", "car"), ("wine", "win"), ("plane", "plan")])
def test_protected_words_keep_apart_from_lookalikes(a: str, b: str) -> None:
    assert stem(a) != stem(b)


def test_stop_words_are_dropped_and_bridged_by_bigrams() -> None:
    assert list(terms("The armed forces of Korea")) == [
        "arm",
        "forc",
        "arm forc",
        "korea",
        "forc korea",
    ]


def test_punctuation_ends_a_bigram() -> None:
    assert "peac war" not in list(terms("peace, war"))
    assert "peac war" in list(terms("peace war"))


def test_case_and_accents_are_folded() -> None:
    assert list(terms("CAFÉ")) == list(terms("cafe"))


def test_digits_and_single_letters_make_no_terms() -> None:
    assert list(terms("2 1 a b 90 km/h")) == ["km"]
