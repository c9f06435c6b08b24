"""Routing mixed-section stories and self-training on unlabelled wire copy.

Training is in passes: the first learns from single-topic sections and IPTC
texts only; it then routes each story of a mixed section (WORLD NEWS, Health and
environment ...) to the most likely of the topics its section allows (blended with
the lexicon); the second pass learns from everything; then, given wire stories,
they are pseudo-labelled by that model and a last pass learns from everything and them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from streams.classify import iptc
from streams.classify.model import BLEND, lexicon_log_prior
from streams.classify.training import corpus
from streams.classify.training.corpus import Doc, build_vocabulary, lead, long_docs
from streams.classify.training.optimiser import Floats, softmax, train_pass, vectorise

# A mixed-category story is routed only when its best allowed topic has this
# share of the allowed topics' probability.
ROUTE_MIN_SHARE = 0.5
# Pseudo-labelled wire stories (CoNLL-2003 eng.train): a story is trained on
# with the topic the model gives it when that topic's blended probability is
# at least PSEUDO_MIN_CONFIDENCE, with weight PSEUDO_WEIGHT, shared by at most
# PSEUDO_MAX_PER_TOPIC stories' worth per topic (a wire service's mix is mostly
# sport results and markets); labelling and retraining repeat PSEUDO_ROUNDS times.
PSEUDO_MIN_CONFIDENCE = 0.5
PSEUDO_WEIGHT = 1.0
PSEUDO_MAX_PER_TOPIC = 40.0
PSEUDO_ROUNDS = 1


def blended_log_probs(
    docs: Sequence[Doc],
    vocabulary: Mapping[str, int],
    weights: Floats,
    bias: Floats | None,
) -> Floats:
    """Log of the model's probabilities times the lexicon prior (what the tagger ranks by).

    ``bias=None`` leaves the class priors out, as routing does: a story's own
    words should decide it, not how common each topic was in training.
    """
    logits = vectorise(docs, vocabulary).dot(weights)
    if bias is not None:
        logits += bias
    prior = np.asarray(
        [lexicon_log_prior(iptc.lexicon_scores(headline=d.headline, body=d.body)) for d in docs],
        dtype=np.float32,
    ).reshape(len(docs), weights.shape[1])
    combined = np.log(softmax(logits)) + BLEND * prior
    result: Floats = combined - np.log(np.exp(combined).sum(axis=1, keepdims=True))
    return result


def route(docs: Sequence[Doc], log_probs: Floats) -> list[Doc]:
    """Give each mixed-category story the likeliest topic its category allows.

    Stories where no allowed topic has at least ROUTE_MIN_SHARE of the allowed
    topics' probability are left out: a wrong label teaches more than no label.
    """
    out: list[Doc] = []
    for d, row in zip(docs, log_probs, strict=True):
        if d.label >= 0:
            out.append(d)
            continue
        probs = {t: math.exp(float(row[t])) for t in d.allowed}
        best = max(d.allowed, key=lambda t: (probs[t], -t))
        if probs[best] < ROUTE_MIN_SHARE * sum(probs.values()):
            continue
        out.append(Doc(d.headline, d.body, best, d.weight, d.source, d.category, d.allowed))
    return out


def pseudo_label(docs: Sequence[Doc], log_probs: Floats, *, min_confidence: float) -> list[Doc]:
    """Unlabelled stories the model is confident about, labelled with its top topic.

    Confidence is the blended probability the tagger reports; below
    ``min_confidence`` a story is left out rather than risk teaching a wrong label.
    A topic with more than PSEUDO_MAX_PER_TOPIC such stories has their weights
    scaled down to that many: wire services' mix (sport results, markets) is not
    the mix of topics a story is likely to have.
    """
    chosen: list[tuple[Doc, int]] = []
    for d, row in zip(docs, log_probs, strict=True):
        best = int(np.argmax(row))
        if math.exp(float(row[best])) >= min_confidence:
            chosen.append((d, best))
    per_topic = Counter(best for _, best in chosen)
    return [
        Doc(
            d.headline,
            d.body,
            best,
            PSEUDO_WEIGHT * min(1.0, PSEUDO_MAX_PER_TOPIC / per_topic[best]),
            d.source,
            d.category,
            d.allowed,
        )
        for d, best in chosen
    ]


@dataclass
class Trained:
    vocabulary: list[str]
    weights: Floats
    bias: Floats
    routed: list[Doc]
    pseudo: list[Doc] = field(default_factory=list)
    #: the last round's blended log-probabilities of every unlabelled wire story
    wire_log_probs: Floats | None = None


def balanced(docs: Sequence[Doc], *, n_classes: int, power: float) -> list[Doc]:
    """``docs`` reweighted towards equal total weight per topic (``power`` 1: equal; 0: as given).

    Each labelled doc's weight is multiplied by ``(mean / its topic's total) ** power``,
    the mean over topics that have any docs; unlabelled docs (label -1) are unchanged.
    """
    if power == 0.0:
        return list(docs)
    totals = [0.0] * n_classes
    for d in docs:
        if d.label >= 0:
            totals[d.label] += d.weight
    present = [t for t in totals if t > 0]
    if not present:
        return list(docs)
    mean = sum(present) / len(present)
    return [
        replace(d, weight=d.weight * (mean / totals[d.label]) ** power) if d.label >= 0 else d
        for d in docs
    ]


def train_model(
    train: Sequence[Doc],
    iptc_docs: Sequence[Doc],
    *,
    n_classes: int,
    seed: int,
    wires: Sequence[Doc] = (),
    balance: float = 0.0,
) -> Trained:
    """Single-topic data first; then everything, mixed stories routed and wires pseudo-labelled.

    ``wires`` are unlabelled stories (CoNLL-2003's Reuters documents): each round
    labels the confident ones (but never those of :func:`.corpus.wire_holdout`) with the
    current model and retrains on all data. ``balance`` (0-1) evens out the topics'
    total weight among the labelled texts of every pass (:func:`balanced`).
    """
    base = [*train, *iptc_docs]
    held_out = corpus.wire_holdout(len(wires))
    # Only the openly licensed texts make the vocabulary: the wire stories (Reuters,
    # research terms) add weight to terms the model has anyway, so no string of the
    # shipped model comes from them alone.
    vocabulary_list = build_vocabulary(base)
    vocabulary = {term: i for i, term in enumerate(vocabulary_list)}
    direct = balanced([d for d in base if d.label >= 0], n_classes=n_classes, power=balance)
    first = [*direct, *long_docs(direct, n_topics=n_classes, seed=seed)]
    weights, bias = train_pass(first, vocabulary, n_classes)
    mixed = [d for d in train if d.label < 0]
    routed = route(mixed, blended_log_probs(mixed, vocabulary, weights, None))
    full = balanced(
        [*(d for d in base if d.label >= 0), *routed], n_classes=n_classes, power=balance
    )
    weights, bias = train_pass(
        [*full, *long_docs(full, n_topics=n_classes, seed=seed + 1)], vocabulary, n_classes
    )
    pseudo: list[Doc] = []
    wire_log_probs: Floats | None = None
    for round_ in range(PSEUDO_ROUNDS if wires else 0):
        wire_log_probs = blended_log_probs(wires, vocabulary, weights, None)
        trainable = [i for i in range(len(wires)) if i not in held_out]
        pseudo = pseudo_label(
            [wires[i] for i in trainable],
            wire_log_probs[trainable],
            min_confidence=PSEUDO_MIN_CONFIDENCE,
        )
        leads = [replace(lead(d), weight=d.weight * corpus.LEAD_WEIGHT) for d in pseudo]
        weights, bias = train_pass(
            [
                *full,
                *pseudo,
                *leads,
                *long_docs(full, n_topics=n_classes, seed=seed + 2 + round_),
            ],
            vocabulary,
            n_classes,
        )
    return Trained(vocabulary_list, weights, bias, routed, pseudo, wire_log_probs)
