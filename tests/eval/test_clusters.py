"""Cluster evaluation on tiny hand-computed examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.eval.clusters import (
    Pair,
    PairScores,
    PairsInputError,
    Text,
    parse_pairs,
    read_pairs,
    score_pairs,
)

PAIRS = Path(__file__).resolve().parents[1] / "cluster" / "pairs.jsonl"


def test_precision_and_recall_by_hand() -> None:
    t = Text("h", "b")
    pairs = [Pair(t, t, True), Pair(t, t, True), Pair(t, t, False), Pair(t, t, False)]
    verdicts = iter([True, False, True, False])
    scores, judged = score_pairs(pairs, lambda a, b: next(verdicts))
    assert scores == PairScores(tp=1, fp=1, fn=1, tn=1)
    assert scores.precision == 0.5
    assert scores.recall == 0.5
    assert scores.f1 == 0.5
    assert [p for _, p in judged] == [True, False, True, False]


def test_no_positive_prediction_gives_zero_precision_not_an_error() -> None:
    t = Text("h", "b")
    scores, _ = score_pairs([Pair(t, t, True)], lambda a, b: False)
    assert (scores.precision, scores.recall, scores.f1) == (0.0, 0.0, 0.0)


def test_texts_may_be_strings_or_objects() -> None:
    [pair] = parse_pairs(
        ['{"a": "Headline\\nBody text", "b": {"title": "T", "text": "X"}, "same": false}']
    )
    assert pair.a == Text("Headline", "Body text")
    assert pair.b == Text("T", "X")
    assert pair.same is False


@pytest.mark.parametrize(
    "line", ['{"a": "x", "b": "y"}', '{"a": 1, "b": "y", "same": true}', "nope"]
)
def test_malformed_pairs_are_reported_with_their_line(line: str) -> None:
    with pytest.raises(PairsInputError, match="<input>:1"):
        parse_pairs([line])


def test_shipped_pairs_are_all_decided_right_by_the_index() -> None:
    scores, _ = score_pairs(read_pairs(PAIRS))
    assert scores.tp == 8 and scores.tn == 14
    assert scores.precision == scores.recall == 1.0
