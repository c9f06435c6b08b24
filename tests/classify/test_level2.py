"""The level-2 rule (model.level2_subjects) on a small model whose profiles we set by hand."""

from __future__ import annotations

import numpy as np

from schemas import TopicTag
from streams.classify.model import (
    LEVEL2_MIN_PARENT_RELEVANCE,
    Scores,
    TopicModel,
    level2_subjects,
)

# Two level-1 topics; "war" has three children, "vote" one. Terms 0-3 feed the profiles.
VOCABULARY = {"battle": 0, "bomb": 1, "treaty": 2, "ballot": 3, "the": 4}
PROFILES = np.array(
    [
        # armed conflict, act of terror, peace process, election
        [1.0, 0.0, 0.0, 0.0],  # battle
        [0.0, 1.0, 0.0, 0.0],  # bomb
        [0.0, 0.0, 1.0, 0.0],  # treaty
        [0.0, 0.0, 0.0, 1.0],  # ballot
    ],
    dtype=np.float32,
)


def make_model() -> TopicModel:
    return TopicModel(
        version="test",
        qcodes=("medtop:11000000", "medtop:16000000"),
        names=("politics", "conflict, war and peace"),
        vocabulary=VOCABULARY,
        weights=np.zeros((5, 2), dtype=np.float32),
        bias=np.zeros(2, dtype=np.float32),
        level2_qcodes=("medtop:20000056", "medtop:20000053", "medtop:20000073", "medtop:20000574"),
        level2_names=("armed conflict", "act of terror", "peace process", "election"),
        level2_parents=(1, 1, 1, 0),
        level2_rows=np.array([0, 1, 2, 3, -1], dtype=np.int32),
        level2_weights=PROFILES,
        meta={},
    )


def scores(**terms: float) -> Scores:
    indices = [VOCABULARY[t] for t in terms]
    return Scores(np.array([0.5, 0.5], dtype=np.float32), indices, list(terms.values()), [0.0, 0.0])


def parent(qcode: str = "medtop:16000000", relevance: int = 100, confidence: int = 90) -> TopicTag:
    return TopicTag(
        qcode=qcode, name="x", level=1, relevance=relevance, confidence=confidence, creator="t"
    )


def test_two_subjects_of_one_parent_are_both_tagged_when_confident() -> None:
    tags = level2_subjects(
        make_model(), scores(battle=0.25, bomb=0.2), [parent()], min_confidence=20
    )
    assert [t.name for t in tags] == ["armed conflict", "act of terror"]
    assert all(t.level == 2 for t in tags)
    # confidence: the parent's 90 times each child's share of the similarity (0.25 / 0.45 ...)
    assert [t.confidence for t in tags] == [50, 40]
    # relevance: the parent's, scaled by similarity / LEVEL2_FULL_SIMILARITY (0.3)
    assert [t.relevance for t in tags] == [83, 67]


def test_a_child_below_the_confidence_threshold_is_left_out() -> None:
    tags = level2_subjects(
        make_model(), scores(battle=0.25, bomb=0.2), [parent()], min_confidence=45
    )
    assert [t.name for t in tags] == ["armed conflict"]


def test_at_most_max_per_parent_children() -> None:
    tags = level2_subjects(
        make_model(),
        scores(battle=0.25, bomb=0.2, treaty=0.15),
        [parent()],
        min_confidence=1,
        max_per_parent=2,
    )
    assert [t.name for t in tags] == ["armed conflict", "act of terror"]


def test_no_child_under_a_parent_below_the_relevance_gate() -> None:
    weak = parent(relevance=LEVEL2_MIN_PARENT_RELEVANCE - 1)
    assert level2_subjects(make_model(), scores(battle=0.9), [weak], min_confidence=1) == []


def test_children_come_only_from_their_own_parent() -> None:
    tags = level2_subjects(
        make_model(), scores(battle=0.9, ballot=0.9), [parent()], min_confidence=1
    )
    assert [t.qcode for t in tags] == ["medtop:20000056"]


def test_no_evidence_for_any_child_gives_no_level2_tag() -> None:
    assert level2_subjects(make_model(), scores(the=1.0), [parent()], min_confidence=1) == []


def test_a_child_never_outranks_its_parent() -> None:
    tags = level2_subjects(
        make_model(), scores(battle=0.9), [parent(relevance=70)], min_confidence=1
    )
    assert tags and all(t.relevance <= 70 for t in tags)
    assert tags[0].relevance == 70  # similarity 0.9 is past the full-relevance point


def test_each_parent_gets_its_children_sorted_by_relevance() -> None:
    tags = level2_subjects(
        make_model(),
        scores(battle=0.2, ballot=0.9),
        [parent(), parent("medtop:11000000", relevance=80)],
        min_confidence=1,
    )
    assert [t.name for t in tags] == ["election", "armed conflict"]
