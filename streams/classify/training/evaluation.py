"""Held-out figures printed at the end of training: strict and lenient top-1.

*Lenient* counts a story as correct when the first topic is any topic its section
accepts (a WORLD NEWS story tagged conflict or politics or disaster ...); *strict*
scores only stories of sections that map to exactly one topic, where there is a
single right answer. Both are reported, each named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from streams.classify import iptc
from streams.classify.training.corpus import Doc
from streams.classify.training.optimiser import Floats


@dataclass(frozen=True)
class Accuracy:
    lenient: float
    n: int
    strict: float
    n_strict: int


def accuracy(docs: Sequence[Doc], scores: Floats) -> Accuracy:
    """Top-1 accuracy, lenient over every story, strict over single-topic sections."""
    hits = [int(np.argmax(row)) in d.allowed for d, row in zip(docs, scores, strict=True)]
    single = [hit for d, hit in zip(docs, hits, strict=True) if len(d.allowed) == 1]
    return Accuracy(
        lenient=sum(hits) / len(hits) if hits else float("nan"),
        n=len(hits),
        strict=sum(single) / len(single) if single else float("nan"),
        n_strict=len(single),
    )


def lexicon_scores(docs: Sequence[Doc]) -> Floats:
    return np.asarray(
        [iptc.lexicon_scores(headline=d.headline, body=d.body) for d in docs], dtype=np.float32
    )
