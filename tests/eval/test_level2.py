"""Level-2 scoring and the threshold choice (streams.eval.level2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.classify.errors import MappingError
from streams.classify.mapping import load_level2_mapping
from streams.eval.level2 import Candidate, Level2Item, choose_threshold, score

WAR = "medtop:20000056"
TERROR = "medtop:20000053"
PEACE = "medtop:20000073"

ITEMS = [
    Level2Item(frozenset({WAR}), (Candidate(WAR, 60), Candidate(PEACE, 15))),
    Level2Item(frozenset({WAR, TERROR}), (Candidate(PEACE, 30),)),
    Level2Item(frozenset({TERROR}), (Candidate(TERROR, 25),)),
    Level2Item(frozenset({WAR}), ()),
]


def test_score_counts_every_emitted_tag_and_the_first_one() -> None:
    s = score(ITEMS, 10)
    assert (s.n, s.tagged, s.tags, s.correct_tags, s.first_correct) == (4, 3, 4, 2, 2)
    assert s.precision == 0.5
    assert s.coverage == 0.75
    assert s.first_precision == pytest.approx(2 / 3)


def test_a_higher_threshold_drops_the_weak_candidates() -> None:
    s = score(ITEMS, 20)
    assert (s.tagged, s.tags, s.correct_tags) == (3, 3, 2)


def test_the_smallest_threshold_reaching_the_target_is_chosen() -> None:
    assert choose_threshold(ITEMS, target=0.6, min_tags=1).threshold == 16
    assert choose_threshold(ITEMS, target=1.0, min_tags=1).threshold == 31


def test_a_threshold_leaving_too_few_tags_is_not_chosen() -> None:
    # 31 and above reach precision 1.0 with one tag only; at least three tags: 16 (2 of 3)
    assert choose_threshold(ITEMS, target=1.0, min_tags=3).threshold == 16


def test_without_a_threshold_reaching_the_target_the_best_precision_is_chosen() -> None:
    items = [Level2Item(frozenset({WAR}), (Candidate(PEACE, 50), Candidate(WAR, 40)))]
    chosen = choose_threshold(items, target=0.9, min_tags=1)
    assert chosen.precision == 0.5 and chosen.threshold == 1


def test_level2_mapping_keeps_the_order_and_refuses_unknown_codes(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(f'[categories]\n"War" = ["{WAR}", "{TERROR}"]\n', encoding="utf-8")
    assert load_level2_mapping(path) == {"War": (WAR, TERROR)}
    with pytest.raises(MappingError):
        load_level2_mapping(path, known=frozenset({WAR}))
