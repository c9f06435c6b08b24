"""Precision, recall and F1 from counts: one definition for every eval."""

from __future__ import annotations


def f1_from_counts(tp: int, fp: int, fn: int) -> float:
    """F1 = 2PR/(P+R), written on the counts so that P+R = 0 needs no special case."""
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


class PrecisionRecall:
    """Mixin for a record with true-positive, false-positive and false-negative counts."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return f1_from_counts(self.tp, self.fp, self.fn)
