"""How central an entity is to its story (0-100) and how sure we are of it (0-100).

Relevance follows how wire copy is written: the main actors are in the
headline and the lead and come back throughout the story. The score adds

- 2.5 for a headline mention, 1.5 for a lead mention (first body paragraph,
  or its first :data:`LEAD_CHARS` characters when a feed merged paragraphs),
- 1.2 x ln(1 + mentions),
- 1.0 x spread: the share of the body's fifths that mention it,
- 0.5 x earliness: 1 at the top of the body, 0 at its end,
- 1.0 for a dateline place,
- 1.0 for the story's subject: the first person or organisation of the headline
  (``subject`` 2) and of the lead sentence (``subject`` 1); 1.5 when both,

times :data:`DESCRIPTIVE_WEIGHT` for names that describe rather than act
(nationalities, products, works, laws: "South Korean", "KOSPI"), so a story's
people, organisations and places come first; and maps :data:`FULL_SCORE` to 100
(higher is capped). The scale is absolute,
so a story's minor entities score low even when nothing dominates it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from schemas.enriched import Mention

LEAD_CHARS = 400
#: Bonus by subject weight: headline subject (2), lead subject (1), both (3).
SUBJECT_BONUS: dict[int, float] = {1: 1.0, 2: 1.0, 3: 1.5}
FULL_SCORE = 9.0
#: Labels that describe rather than name an actor or a place, and their weight.
DESCRIPTIVE_LABELS: frozenset[str] = frozenset(
    {"NORP", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
DESCRIPTIVE_WEIGHT = 0.6
#: Places are where a story happens more often than what it is about: below its actors.
PLACE_LABELS: frozenset[str] = frozenset({"GPE", "LOC", "FAC"})
PLACE_WEIGHT = 0.85
_BUCKETS = 5


def relevance(
    mentions: Sequence[Mention],
    *,
    body_length: int,
    lead_end: int,
    in_dateline: bool = False,
    subject: int = 0,
    label: str = "",
) -> int:
    """0-100 relevance of an entity of type ``label`` from its mentions (see the module
    docstring)."""
    body = [m for m in mentions if m.section == "body"]
    score = 0.0
    if any(m.section == "headline" for m in mentions):
        score += 2.5
    if any(m.start < min(lead_end, LEAD_CHARS) for m in body):
        score += 1.5
    score += 1.2 * math.log1p(len(mentions))
    if body and body_length > 0:
        buckets = {min(_BUCKETS - 1, m.start * _BUCKETS // body_length) for m in body}
        score += len(buckets) / _BUCKETS
        score += 0.5 * (1 - min(m.start for m in body) / body_length)
    if in_dateline:
        score += 1.0
    score += SUBJECT_BONUS.get(subject, 0.0)
    if label in DESCRIPTIVE_LABELS:
        score *= DESCRIPTIVE_WEIGHT
    elif label in PLACE_LABELS:
        score *= PLACE_WEIGHT
    return max(0, min(100, round(100 * score / FULL_SCORE)))


def confidence(
    *, label_share: float, linked: bool, multi_word_or_repeated: bool, ambiguous_share: float
) -> int:
    """0-100 confidence in an entity's grouping and type.

    - ``label_share``: share of its mentions the model gave the final type
      (low when mentions were relabelled, e.g. a title split off an ORG span);
    - ``linked``: found in the gazetteer with that type (+20);
    - ``multi_word_or_repeated``: a full name or more than one mention (+5);
    - ``ambiguous_share``: share of mentions that were short names resolved
      among several full names ("Kim" with Kim Jong-un and Kim Yo-jong) (-20 x).
    """
    score = 35 + 40 * label_share
    if linked:
        score += 20
    if multi_word_or_repeated:
        score += 5
    score -= 20 * ambiguous_share
    return max(0, min(100, round(score)))
