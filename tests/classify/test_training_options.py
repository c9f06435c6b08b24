"""The training variants' corpus options: class balance and per-section caps."""

from __future__ import annotations

import pytest

from streams.classify.training.corpus import Doc, capped
from streams.classify.training.selftrain import balanced


def doc(label: int, weight: float = 1.0, source: str = "wikipedia", category: str = "War") -> Doc:
    return Doc("h", "b", label, weight, source, category, (label,))


def totals(docs: list[Doc], n: int = 3) -> list[float]:
    out = [0.0] * n
    for d in docs:
        if d.label >= 0:
            out[d.label] += d.weight
    return out


def test_full_balance_gives_every_topic_the_same_total_weight() -> None:
    docs = [doc(0)] * 6 + [doc(1)] * 2 + [doc(2, 0.5)]
    mean = (6 + 2 + 0.5) / 3
    assert totals(balanced(docs, n_classes=3, power=1.0)) == pytest.approx([mean] * 3)


def test_half_balance_moves_halfway_on_a_log_scale() -> None:
    docs = [doc(0)] * 8 + [doc(1)] * 2
    weights = totals(balanced(docs, n_classes=3, power=0.5))
    assert weights[0] / weights[1] == pytest.approx(2.0)  # was 4.0


def test_no_balance_and_unlabelled_docs_are_left_as_they_are() -> None:
    docs = [doc(0)] * 3 + [doc(-1)]
    assert balanced(docs, n_classes=3, power=0.0) == docs
    assert balanced(docs, n_classes=3, power=1.0)[-1] == doc(-1)


def test_a_capped_section_keeps_at_most_its_cap_and_others_stay_whole() -> None:
    war = [doc(1, category="War") for _ in range(10)]
    other = [doc(0, category="Politics") for _ in range(4)]
    kept = capped([*war, *other], {"wikipedia:War": 3}, seed=1)
    assert sum(d.category == "War" for d in kept) == 3
    assert sum(d.category == "Politics" for d in kept) == 4


def test_a_source_cap_covers_all_its_sections_and_the_choice_is_seeded() -> None:
    docs = [doc(i % 2, category=str(i)) for i in range(10)] + [doc(0, source="huffpost")]
    first = capped(docs, {"wikipedia": 4}, seed=7)
    assert len(first) == 5 and first[-1].source == "huffpost"
    assert first == capped(docs, {"wikipedia": 4}, seed=7)
