"""Article text to the sparse vector the topic model reads: one definition for training and tagging.

Terms are the stemmed words and word pairs of :mod:`streams.classify.text`, the
same keys the lexicon baseline uses. Wire stories run to hundreds of words while
most training texts are a headline and a sentence, so the vector is made robust
to length:

* a term's weight grows with the logarithm of its count (``1 + ln tf``), so a
  word repeated all through a long story does not swamp the rest;
* the headline counts as :data:`HEADLINE_WEIGHT` body mentions, because it says
  what the story is about in any length of article;
* the vector is scaled to unit length over *all* of the article's terms, known
  to the model or not, so a long story full of names the model never saw gets
  a weaker (less confident) score rather than an inflated one from the few words
  it does know.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

from streams.classify.text import terms

HEADLINE_WEIGHT = 2.0


def term_counts(*, headline: str, body: str) -> dict[str, float]:
    """Term -> weighted count; a headline mention counts :data:`HEADLINE_WEIGHT` times."""
    counts: dict[str, float] = defaultdict(float)
    for term in terms(headline):
        counts[term] += HEADLINE_WEIGHT
    for term in terms(body):
        counts[term] += 1.0
    return dict(counts)


def sublinear(count: float) -> float:
    """``1 + ln(count)`` for counts of at least one; smaller (fractional) counts are kept."""
    return 1.0 + math.log(count) if count >= 1.0 else count


def featurise(
    counts: Mapping[str, float], vocabulary: Mapping[str, int]
) -> tuple[list[int], list[float]]:
    """Sorted feature indices and values: sublinear tf, unit length over all terms."""
    norm_sq = 0.0
    known: dict[int, float] = {}
    for term, count in counts.items():
        value = sublinear(count)
        norm_sq += value * value
        index = vocabulary.get(term)
        if index is not None:
            known[index] = known.get(index, 0.0) + value
    if not known or norm_sq <= 0.0:
        return [], []
    scale = 1.0 / math.sqrt(norm_sq)
    indices = sorted(known)
    return indices, [known[i] * scale for i in indices]
