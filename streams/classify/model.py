"""The shipped IPTC Media Topics model: level-1 and level-2 subjects of an article.

``data/topic_model.npz`` is written by :mod:`streams.classify.training` (see there
for data and method). Loading needs numpy only; scoring an article is one pass
over its terms, a gather of their weight rows and a softmax, so it costs well
under a millisecond beyond tokenising.

Scores, per level-1 topic:

* the model's probability, multiplied by the lexicon baseline's evidence as a
  prior (:func:`lexicon_log_prior`) and renormalised. That product is the
  topic's **confidence** (0-100): how likely the topic is, as a share of all
  17 (calibrated on short texts; long stories score lower, not higher). A model
  that stores a news prior (:data:`NEWS_PRIOR_KEY`) also multiplies each topic's
  probability by its share of news to the power of the prior's weight, before
  renormalising;
* **relevance** (0-100) is a topic's probability relative to the best one, on
  a square-root scale (:data:`RELEVANCE_EXPONENT`): the main topic always gets
  100. The model is a softmax trained on one label per story, so it piles its
  mass on one topic and leaves the second subject of a two-subject story (a
  military parade: conflict *and* politics) with a small share; the square root
  lifts that share into view (a tenth of the main topic's probability gives
  relevance 32) while a passing mention (a hundredth) stays at 10, under the
  default cut of 20.

Level-2 topics (:func:`level2_subjects`) are added under a level-1 tag whose
relevance is at least :data:`LEVEL2_MIN_PARENT_RELEVANCE` when the article's term
vector is close enough (cosine :data:`LEVEL2_MIN_SIMILARITY`) to that child's
profile, built from IPTC's names and definitions of the child and its descendants,
and the child's confidence reaches :data:`LEVEL2_MIN_CONFIDENCE`; up to
:data:`LEVEL2_MAX_PER_PARENT` children per parent (multi-label).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from schemas import TopicTag
from streams.classify.errors import ModelError
from streams.classify.features import featurise, term_counts
from streams.classify.iptc import lexicon_scores

MODEL_FILE = "topic_model.npz"
# Bump when the npz layout changes; the loader refuses other formats.
FORMAT = 1
CREATOR = "wirestream.classify.iptc-model"
_RETRAIN_HINT = "retrain it with `wirestream train topics` (see its --help)"

# Weight of the lexicon prior against the model's log-probabilities.
BLEND = 1.0
# Weight of the learnt class biases. They encode how common each topic was in
# the (HuffPost-heavy) training data - politics and entertainment up, weather
# and conflict down - which says nothing about a wire service's mix; dropping
# them (a uniform prior) was clearly better on wire copy and our own stories,
# and cost little on HuffPost itself.
CLASS_PRIOR_WEIGHT = 0.0
# A news prior (``meta["news_prior"]``: ``{"weight": w, "shares": {qcode: share}}``) adds
# ``w * log(share)`` to each topic's log-probability: the learnt biases say how common each
# topic was in (lifestyle-heavy) training data and are dropped (CLASS_PRIOR_WEIGHT); this
# says how common it is in news. Estimated and weighted on a dev set by
# ``bench/topic_prior.py``; absent: no prior (a uniform one).
NEWS_PRIOR_KEY = "news_prior"
# Pseudo-evidence added to every topic's lexicon score, so that thin evidence
# gives an almost flat prior and only substantial evidence tilts it.
LEXICON_SMOOTHING = 6.0
RELEVANCE_EXPONENT = 0.5
# A topic after the first is tagged only with this confidence, or with lexicon
# evidence of at least this share of the strongest topic's.
SECONDARY_MIN_CONFIDENCE = 10
SECONDARY_LEXICON_SHARE = 0.5
# Fewer distinct known terms than this, and no lexicon evidence either, is no
# evidence at all ("-- (AP) --", "Hello"): no tags rather than a guess.
MIN_KNOWN_TERMS = 2
LEVEL2_MIN_PARENT_RELEVANCE = 50
# Chosen with LEVEL2_MIN_CONFIDENCE on the HuffPost held-out level-2 sections (of 0.01, 0.03,
# 0.06 and 0.12; the threshold then decides, and the share of similarity is the better signal).
LEVEL2_MIN_SIMILARITY = 0.03
# A similarity at which a level-2 topic counts as fully relevant.
LEVEL2_FULL_SIMILARITY = 0.3
# A level-2 topic is tagged when its confidence (parent's confidence x its share of
# the siblings' similarity) is at least this: chosen on the HuffPost held-out split's
# level-2 sections, reported on Wikipedia's (bench/topic_level2.py; README, Topics).
LEVEL2_MIN_CONFIDENCE = 33
LEVEL2_MAX_PER_PARENT = 2

Floats = npt.NDArray[np.float32]


def news_log_prior(model: TopicModel) -> Floats | None:
    """``weight * log(share)`` per topic (qcode order) from the model's news prior; None if none."""
    spec = model.meta.get(NEWS_PRIOR_KEY)
    if not spec:
        return None
    shares = spec["shares"]
    values = np.asarray([float(shares[q]) for q in model.qcodes], dtype=np.float64)
    out: Floats = (float(spec["weight"]) * np.log(values / values.sum())).astype(np.float32)
    return out


def lexicon_log_prior(scores: list[float]) -> list[float]:
    """Log of the lexicon's smoothed distribution over topics (from raw lexicon scores)."""
    smoothed = [max(0.0, s) + LEXICON_SMOOTHING for s in scores]
    total = sum(smoothed)
    return [math.log(s / total) for s in smoothed]


@dataclass(frozen=True)
class TopicModel:
    version: str
    qcodes: tuple[str, ...]
    names: tuple[str, ...]
    vocabulary: dict[str, int]
    weights: Floats  # (n_terms, n_topics)
    bias: Floats
    level2_qcodes: tuple[str, ...]
    level2_names: tuple[str, ...]
    level2_parents: tuple[int, ...]  # index of the level-1 parent
    level2_rows: npt.NDArray[np.int32]  # term -> row of level2_weights, or -1
    level2_weights: Floats  # (n_rows, n_level2)
    meta: dict[str, Any]

    @property
    def creator(self) -> str:
        return f"{CREATOR}/{self.version}"


@dataclass(frozen=True)
class Scores:
    """Everything the tagger computes for one article (for tags, evals and benches)."""

    probabilities: Floats  # blended, sums to 1 (or all zero: no evidence at all)
    indices: list[int]
    values: list[float]
    lexicon: list[float]  # the lexicon baseline's raw evidence per topic

    @property
    def has_evidence(self) -> bool:
        return bool(self.indices) or float(self.probabilities.sum()) > 0.0


def _strings(array: npt.NDArray[Any]) -> list[str]:
    return bytes(array.astype(np.uint8)).decode("utf-8").split("\n")


def _read(archive: Any) -> TopicModel:
    try:
        meta = json.loads(bytes(archive["meta"]).decode("utf-8"))
    except (KeyError, ValueError) as exc:
        raise ModelError(
            f"topic model {MODEL_FILE} has no readable metadata; {_RETRAIN_HINT}"
        ) from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelError(f"topic model {MODEL_FILE} is not of format {FORMAT}; {_RETRAIN_HINT}")
    try:
        vocabulary_list = _strings(archive["vocabulary"])
        weights = np.asarray(archive["weights"], dtype=np.float32)
        bias = np.asarray(archive["bias"], dtype=np.float32)
        level2_rows = np.asarray(archive["level2_rows"], dtype=np.int32)
        level2_weights = np.asarray(archive["level2_weights"], dtype=np.float32)
        qcodes = tuple(meta["qcodes"])
        level1 = {q: i for i, q in enumerate(qcodes)}
        parents = tuple(level1[q] for q in meta["level2_parents"])
        model = TopicModel(
            version=str(meta["version"]),
            qcodes=qcodes,
            names=tuple(meta["names"]),
            vocabulary={term: i for i, term in enumerate(vocabulary_list)},
            weights=weights,
            bias=bias,
            level2_qcodes=tuple(meta["level2_qcodes"]),
            level2_names=tuple(meta["level2_names"]),
            level2_parents=parents,
            level2_rows=level2_rows,
            level2_weights=level2_weights,
            meta=meta,
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise ModelError(f"topic model {MODEL_FILE} is malformed ({exc}); {_RETRAIN_HINT}") from exc
    n_terms, n_topics = weights.shape
    prior = meta.get(NEWS_PRIOR_KEY)
    if prior is not None and not (
        isinstance(prior, dict)
        and isinstance(prior.get("shares"), dict)
        and set(prior["shares"]) == set(qcodes)
        and all(float(v) > 0.0 for v in prior["shares"].values())
        and isinstance(prior.get("weight"), int | float)
    ):
        raise ModelError(f"topic model {MODEL_FILE} has a malformed news prior; {_RETRAIN_HINT}")
    if (
        n_terms != len(vocabulary_list)
        or n_topics != len(qcodes)
        or bias.shape != (n_topics,)
        or level2_rows.shape != (n_terms,)
        or level2_weights.shape[1:] != (len(model.level2_qcodes),)
        or len(model.names) != n_topics
    ):
        raise ModelError(f"topic model {MODEL_FILE} has inconsistent shapes; {_RETRAIN_HINT}")
    return model


@cache
def load_model() -> TopicModel:
    """The packaged model, read once per process."""
    try:
        path = resources.files("streams.classify").joinpath("data", MODEL_FILE)
        with path.open("rb") as handle, np.load(handle, allow_pickle=False) as archive:
            return _read(archive)
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"cannot read topic model {MODEL_FILE} from streams.classify/data ({exc}); "
            f"{_RETRAIN_HINT}"
        ) from exc


def read_model(path: Path) -> TopicModel:
    """A model file other than the packaged one (a candidate being compared, in benches)."""
    try:
        with path.open("rb") as handle, np.load(handle, allow_pickle=False) as archive:
            return _read(archive)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read topic model {path} ({exc}); {_RETRAIN_HINT}") from exc


def model_version() -> str:
    return load_model().version


def score(*, headline: str, body: str, model: TopicModel | None = None) -> Scores:
    """Blended probabilities of the 17 level-1 topics (qcode order) for one article.

    ``model`` defaults to the packaged one (:func:`load_model`).
    """
    model = model or load_model()
    indices, values = featurise(term_counts(headline=headline, body=body), model.vocabulary)
    lexicon = lexicon_scores(headline=headline, body=body)
    if len(indices) < MIN_KNOWN_TERMS and not any(s > 0 for s in lexicon):
        return Scores(np.zeros(len(model.qcodes), dtype=np.float32), [], [], lexicon)
    logits = CLASS_PRIOR_WEIGHT * model.bias
    if indices:
        logits += np.asarray(values, dtype=np.float32) @ model.weights[indices]
    logits -= logits.max()
    log_probs = logits - np.log(np.exp(logits).sum())
    blend = float(model.meta.get("blend", BLEND))
    combined = log_probs + blend * np.asarray(lexicon_log_prior(lexicon), dtype=np.float32)
    prior = news_log_prior(model)
    if prior is not None:
        combined += prior
    combined -= combined.max()
    probabilities = np.exp(combined)
    probabilities /= probabilities.sum()
    return Scores(probabilities.astype(np.float32), indices, values, lexicon)


def _level2_similarities(model: TopicModel, scores: Scores) -> Floats:
    rows = model.level2_rows[scores.indices] if scores.indices else np.empty(0, dtype=np.int32)
    known = rows >= 0
    if not known.any():
        return np.zeros(len(model.level2_qcodes), dtype=np.float32)
    values = np.asarray(scores.values, dtype=np.float32)[known]
    similarities: Floats = values @ model.level2_weights[rows[known]]
    return similarities


def classify(
    *,
    headline: str,
    body: str,
    top_k: int = 3,
    min_relevance: int = 20,
    level2: bool = True,
    level2_min_confidence: int = LEVEL2_MIN_CONFIDENCE,
    model: TopicModel | None = None,
) -> list[TopicTag]:
    """IPTC Media Topics of an article: level-1 tags first, then any level-2 ones.

    At most ``top_k`` level-1 tags with relevance at least ``min_relevance``
    (and above zero), ordered by relevance then qcode; then, when ``level2``,
    the level-2 tags of :func:`level2_subjects` (confidence at least
    ``level2_min_confidence``), most relevant first.
    An empty list when the text has no word the model or the lexicon knows.
    The result depends only on the arguments and the model (by default the packaged one).
    """
    if top_k <= 0:
        return []
    model = model or load_model()
    scores = score(headline=headline, body=body, model=model)
    if not scores.has_evidence:
        return []
    probabilities = scores.probabilities
    best = float(probabilities.max())
    ranked = sorted(
        (
            (math.floor(100.0 * (float(p) / best) ** RELEVANCE_EXPONENT + 0.5), model.qcodes[i], i)
            for i, p in enumerate(probabilities)
        ),
        key=lambda item: (-item[0], item[1]),
    )
    creator = model.creator
    strongest_lexicon = max(scores.lexicon)
    tags: list[TopicTag] = []
    for rank, (relevance, qcode, i) in enumerate(ranked[:top_k]):
        confidence = math.floor(100.0 * float(probabilities[i]) + 0.5)
        if relevance <= 0 or relevance < min_relevance:
            continue
        # A second subject needs evidence of its own: the model's belief, or
        # a lexicon score near the main topic's (the words are really there).
        if rank > 0 and not (
            confidence >= SECONDARY_MIN_CONFIDENCE
            or scores.lexicon[i] >= SECONDARY_LEXICON_SHARE * strongest_lexicon > 0
        ):
            continue
        tags.append(
            TopicTag(
                qcode=qcode,
                name=model.names[i],
                level=1,
                relevance=relevance,
                confidence=confidence,
                creator=creator,
            )
        )
    if not level2:
        return tags
    return [*tags, *level2_subjects(model, scores, tags, min_confidence=level2_min_confidence)]


def level2_subjects(
    model: TopicModel,
    scores: Scores,
    parents: Sequence[TopicTag],
    *,
    min_confidence: int = LEVEL2_MIN_CONFIDENCE,
    max_per_parent: int = LEVEL2_MAX_PER_PARENT,
) -> list[TopicTag]:
    """Level-2 subjects under the level-1 tags ``parents``, where the evidence is confident.

    Under each parent with relevance at least :data:`LEVEL2_MIN_PARENT_RELEVANCE`, a
    child is a candidate when the article's cosine similarity to its IPTC profile is
    at least :data:`LEVEL2_MIN_SIMILARITY`. Its **confidence** estimates how likely
    the child is: the parent's confidence times the child's share of its siblings'
    similarity; it is tagged when that is at least ``min_confidence`` (the threshold
    chosen by ``bench/topic_level2.py``), at most ``max_per_parent`` children each
    (several subjects of one parent, multi-label). Its **relevance** is the parent's,
    scaled by how close the match is (full at :data:`LEVEL2_FULL_SIMILARITY`), so a
    child never outranks its parent. Most relevant first, then by qcode.
    """
    similarities = _level2_similarities(model, scores)
    children: list[TopicTag] = []
    for tag in parents:
        if tag.level != 1 or tag.relevance < LEVEL2_MIN_PARENT_RELEVANCE:
            continue
        parent = model.qcodes.index(tag.qcode)
        siblings = [
            (float(similarities[j]), model.level2_qcodes[j], j)
            for j, p in enumerate(model.level2_parents)
            if p == parent
        ]
        total = sum(s for s, _, _ in siblings if s > 0.0)
        candidates = sorted(
            (item for item in siblings if item[0] >= LEVEL2_MIN_SIMILARITY),
            key=lambda item: (-item[0], item[1]),
        )
        for similarity, qcode, j in candidates[:max_per_parent]:
            confidence = math.floor((tag.confidence or 0) * similarity / total + 0.5)
            if confidence < max(1, min_confidence):
                continue
            strength = min(1.0, similarity / LEVEL2_FULL_SIMILARITY)
            children.append(
                TopicTag(
                    qcode=qcode,
                    name=model.level2_names[j],
                    level=2,
                    relevance=max(1, math.floor(tag.relevance * strength + 0.5)),
                    confidence=confidence,
                    creator=model.creator,
                )
            )
    children.sort(key=lambda t: (-t.relevance, t.qcode))
    return children
