"""Level-2 topic evaluation: how often the level-2 subjects a tagger gives are right.

Pure functions; ``bench/topic_level2.py`` reads the files and runs the tagger.

A labelled item carries the level-2 concepts its section accepts (a mapping written
for the purpose, see ``bench/*_iptc_level2.toml``) and the level-2 candidates the
tagger produced, each with its confidence. At a threshold ``t`` the tagger emits
the candidates with confidence at least ``t``; then:

* **coverage**: share of items with at least one level-2 tag;
* **precision**: share of emitted level-2 tags that the item's section accepts
  (every tag counts: a story about a wedding tagged "family" and "ceremony" scores
  two hits; a second, unlisted subject scores a miss, so this is a lower bound);
* **first-tag precision**: share of tagged items whose most relevant level-2 tag is
  accepted.

:func:`choose_threshold` picks the smallest threshold whose precision reaches a
target on one set, so that the figures can be reported on another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: the precision the level-2 threshold is chosen to reach on the choosing set
TARGET_PRECISION = 0.8
#: a threshold must leave at least this many level-2 tags on the choosing set
MIN_TAGS = 50


@dataclass(frozen=True)
class Candidate:
    """One level-2 subject the tagger proposed: qcode and confidence (0-100), in its order."""

    qcode: str
    confidence: int


@dataclass(frozen=True)
class Level2Item:
    accepted: frozenset[str]
    #: the tagger's level-2 candidates, most relevant first
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Level2Score:
    threshold: int
    n: int
    tagged: int
    tags: int
    correct_tags: int
    first_correct: int

    @property
    def coverage(self) -> float:
        return self.tagged / self.n if self.n else 0.0

    @property
    def precision(self) -> float:
        return self.correct_tags / self.tags if self.tags else 0.0

    @property
    def first_precision(self) -> float:
        return self.first_correct / self.tagged if self.tagged else 0.0


def score(items: Sequence[Level2Item], threshold: int) -> Level2Score:
    """The figures when only candidates with confidence >= ``threshold`` are emitted."""
    tagged = tags = correct = first = 0
    for item in items:
        emitted = [c for c in item.candidates if c.confidence >= threshold]
        if not emitted:
            continue
        tagged += 1
        tags += len(emitted)
        correct += sum(c.qcode in item.accepted for c in emitted)
        first += emitted[0].qcode in item.accepted
    return Level2Score(threshold, len(items), tagged, tags, correct, first)


def choose_threshold(
    items: Sequence[Level2Item],
    *,
    target: float = TARGET_PRECISION,
    thresholds: Sequence[int] = tuple(range(1, 101)),
    min_tags: int = MIN_TAGS,
) -> Level2Score:
    """The smallest threshold whose precision on ``items`` reaches ``target``.

    Only thresholds that leave at least ``min_tags`` tags count (a precision of 5 of
    6 says little). When none reaches the target, the one with the best precision
    (the smallest of equals); with none that tags enough, the same among all.
    """
    scores = [score(items, t) for t in sorted(thresholds)]
    counted = [s for s in scores if s.tags >= max(1, min_tags)]
    for s in counted:
        if s.precision >= target:
            return s
    tagging = counted or [s for s in scores if s.tags] or scores
    return max(tagging, key=lambda s: (s.precision, -s.threshold))
