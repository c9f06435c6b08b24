"""Train the IPTC Media Topics model that :mod:`streams.classify.model` ships and loads.

    python -m streams.classify.train [--huffpost PATH] [--iptc PATH] [--mapping PATH]
        [--conll PATH | --no-conll] [--seed N] [--test-fraction F] [--heldout-out PATH]
        [--pseudo-labels-out PATH] [--validate] [--out PATH]

Training data (see ``data/ATTRIBUTION.md``):

* the HuffPost News Category Dataset (CC BY 4.0): headline + short description,
  its categories mapped onto IPTC level 1 by ``data/huffpost_iptc.toml``. A
  seeded share (``--test-fraction``) is held out *before anything else is
  done* and never trained on; ``--heldout-out`` writes it to a path of your
  choice (outside the repository) for ``wirestream eval topics``;
* IPTC Media Topics (CC BY 4.0): every active concept's English name and
  definition is a short training text for its level-1 ancestor, which gives
  the topics HuffPost has no category for (conflict, disaster, labour,
  weather) their vocabulary. The computer industry, consumer electronics and
  video games teach science and technology (:data:`build.TECH_AS_SCIENCE`).
  The legacy Subject Codes' names and the 2019 export's concepts that are no
  longer active add shorter texts at lower weight (``iptc-extra``);
* CoNLL-2003 ``eng.train`` (Reuters newswire 1996-97, research terms: used for
  training, never copied): 946 stories without topic labels. Self-training
  gives the confident ones (:data:`PSEUDO_MIN_CONFIDENCE`) the model's own
  label, as whole stories and as their leads, so the model learns wire style
  (markets, results, diplomacy) from wire copy. A seeded sample of 120
  (:func:`wire_holdout`) is never trained on: ``bench/conll_topics_sample.tsv``
  labels it by hand to measure the pseudo-labels and the model. The vocabulary
  comes from the openly licensed texts only;
* the lexicon baseline (:mod:`streams.classify.iptc`, IPTC text plus our cue
  words) routes stories of mixed categories (WORLD NEWS, U.S. NEWS ...), is
  blended into the pseudo-labels' and the final scores as a prior.

Model: multinomial logistic regression over the stemmed word and word-pair
terms of :mod:`streams.classify.features` (sublinear tf, unit length), fitted
with full-batch Adam and L2 regularisation in plain numpy. Classes are
weighted towards balance (by the summed weight of their texts) so that
HuffPost's many politics stories do not make politics the answer to everything.
Because wire stories are much longer than the training texts, pseudo-articles
made by concatenating several training texts of one topic are added, so the
model also sees long, diluted inputs.

Training is in passes: the first learns from single-topic categories and IPTC
texts only; it then routes each story of a mixed category to the most likely
of the topics that category allows (blended with the lexicon); the second pass
learns from everything; then (unless ``--no-conll``) the wire stories are
pseudo-labelled by that model and a last pass learns from everything and them.

The output (``data/topic_model.npz``) also carries the level-2 topic profiles
(from IPTC names and definitions) and the background word frequencies that
:mod:`streams.classify.keywords` scores key phrases against. The result is a
pure function of the inputs and the seed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from streams.classify import build, iptc
from streams.classify.errors import ClassifyError
from streams.classify.features import featurise, term_counts
from streams.classify.keywords import background_words
from streams.classify.mapping import load_mapping
from streams.classify.model import BLEND, CLASS_PRIOR_WEIGHT, FORMAT, MODEL_FILE, lexicon_log_prior
from streams.eval.ner import ConllFormatError, read_conll

_REPO_ROOT = Path(__file__).resolve().parents[2]
_SHARED = _REPO_ROOT.parent / "shared" / "data"
DEFAULT_HUFFPOST = _SHARED / "huffpost" / "News_Category_Dataset_v3.first10000.jsonl"
DEFAULT_IPTC = build.DEFAULT_SOURCE
DEFAULT_SUBJECT_CODES = DEFAULT_IPTC.parent / "subjectcodes.json"
DEFAULT_IPTC_2019 = DEFAULT_IPTC.parent / "mediatopic-2019-cptall-x-all.json"
DEFAULT_CONLL = _SHARED / "conll2003" / "eng.train"
DEFAULT_MAPPING = _REPO_ROOT / "streams" / "classify" / "data" / "huffpost_iptc.toml"
DEFAULT_OUT = _REPO_ROOT / "streams" / "classify" / "data" / MODEL_FILE

Floats = npt.NDArray[np.float32]

# Hyperparameters, chosen on a validation split of the training part (--validate).
SEED = 20250903
TEST_FRACTION = 0.2
VALIDATION_FRACTION = 0.15
MIN_DF = 2
L2 = 3e-5
ITERATIONS = 400
LEARNING_RATE = 0.05
# Class weight = (median class size / class size) ** this, capped; a class's size
# is the summed weight of its texts.
BALANCE_EXPONENT = 0.6
MAX_CLASS_WEIGHT = 8.0
IPTC_WEIGHT = 1.0
# Legacy Subject Code names and 2019 Media Topics no longer active: shorter, older texts.
EXTRA_IPTC_WEIGHT = 0.5
# ... and no topic gets more than this many texts' worth of them.
EXTRA_MAX_PER_TOPIC = 100.0
# Subject Codes of the computer industry teach science and technology, as the
# Media Topics in build.TECH_AS_SCIENCE do.
SUBJECT_TECH_AS_SCIENCE: tuple[str, ...] = ("04003",)
# Pseudo-articles: per topic, this many, each made of LONG_MIN..LONG_MAX texts.
LONG_PER_TOPIC = 150
LONG_MIN, LONG_MAX = 4, 14
LONG_WEIGHT = 1.0
# A mixed-category story is routed only when its best allowed topic has this
# share of the allowed topics' probability.
ROUTE_MIN_SHARE = 0.5
# Level-2 profiles: a level-2 concept's own name and definition count this
# much more than those of its descendants.
LEVEL2_OWN_WEIGHT = 3.0
# Pseudo-labelled wire stories (CoNLL-2003 eng.train): a story is trained on
# with the topic the model gives it when that topic's blended probability is
# at least PSEUDO_MIN_CONFIDENCE, with weight PSEUDO_WEIGHT, shared by at most
# PSEUDO_MAX_PER_TOPIC stories' worth per topic (a wire service's mix is mostly
# sport results and markets); labelling and retraining repeat PSEUDO_ROUNDS times.
PSEUDO_MIN_CONFIDENCE = 0.5
PSEUDO_WEIGHT = 1.0
PSEUDO_MAX_PER_TOPIC = 40.0
PSEUDO_ROUNDS = 1
# Each pseudo-labelled story is also trained on as its headline and first
# LEAD_SENTENCES sentences (the short form news feeds and digests carry), this much.
LEAD_SENTENCES = 2
LEAD_WEIGHT = 1.0
# A seeded sample of the wire stories is never trained on: we labelled it by hand
# (bench/conll_topics_sample.tsv) to measure the pseudo-labels and the model on
# wire copy. random.Random(WIRE_HOLDOUT_SEED).sample(range(n), WIRE_HOLDOUT).
WIRE_HOLDOUT_SEED = 1996
WIRE_HOLDOUT = 120
# Background word frequencies kept for keyword scoring.
BACKGROUND_WORDS = 30000


@dataclass(frozen=True)
class Doc:
    headline: str
    body: str
    # Index into the level-1 topics, or -1 while a mixed-category story awaits routing.
    label: int
    weight: float = 1.0
    source: str = "huffpost"
    category: str = ""
    allowed: tuple[int, ...] = ()


@dataclass
class Corpus:
    qcodes: list[str]
    names: list[str]
    train: list[Doc] = field(default_factory=list)
    test: list[Doc] = field(default_factory=list)
    iptc_docs: list[Doc] = field(default_factory=list)


def load_huffpost(path: Path) -> list[dict[str, str]]:
    """The HuffPost records: headline, short_description, category."""
    records: list[dict[str, str]] = []
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except ValueError as exc:
                    raise ClassifyError(f"{path}:{number}: not JSON: {exc}") from exc
                records.append(
                    {
                        "headline": str(item.get("headline") or ""),
                        "short_description": str(item.get("short_description") or ""),
                        "category": str(item.get("category") or ""),
                    }
                )
    except OSError as exc:
        raise ClassifyError(f"cannot read HuffPost data {path}: {exc}") from exc
    return records


_DATELINE_DATE = re.compile(r"\b\d{4}-\d\d-\d\d\b")
# Bylines and datelines sit in the first few lines of a CoNLL document.
_HEADER_LINES = 3


def _strip_header(paragraphs: Sequence[str]) -> list[str]:
    """Drop the byline ("Peter Blackburn") and dateline ("BRUSSELS 1996-08-22").

    They are not what a story is about, and a model that learns them learns where
    Reuters kept its business desks ("LONDON", "HONG KONG") rather than topics.
    """
    out = list(paragraphs)
    for i, paragraph in enumerate(paragraphs[:_HEADER_LINES]):
        if _DATELINE_DATE.search(paragraph) and len(paragraph.split()) <= 8:
            return [p for j, p in enumerate(out) if j > i or (j < i and len(p.split()) >= 5)]
    return out


def lead(d: Doc, *, sentences: int | None = None) -> Doc:
    """The headline and first sentences of a story: what a news digest or feed carries.

    ``sentences`` defaults to LEAD_SENTENCES; lines under five words (table rows,
    bylines) do not count.
    """
    count = LEAD_SENTENCES if sentences is None else sentences
    kept = [p for p in d.body.split("\n\n") if len(p.split()) >= 5][:count]
    return Doc(d.headline, "\n\n".join(kept), d.label, d.weight, "lead", d.category, d.allowed)


def load_conll(path: Path, *, n_topics: int) -> list[Doc]:
    """The documents of a CoNLL-2003 file as unlabelled stories: first sentence = headline.

    The byline and dateline are left out (see :func:`_strip_header`).

    Every topic is allowed (the file has no topic labels); ``category`` names the
    document by its 0-based position in the file, as bench/conll_topics_sample.tsv does.
    """
    try:
        documents = read_conll(path)
    except (OSError, UnicodeDecodeError, ConllFormatError) as exc:
        raise ClassifyError(f"cannot read CoNLL data {path}: {exc}") from exc
    out: list[Doc] = []
    for number, document in enumerate(documents):
        sentences = [sentence.text for sentence in document.sentences]
        out.append(
            Doc(
                headline=sentences[0],
                body="\n\n".join(_strip_header(sentences[1:])),
                label=-1,
                source="conll",
                category=f"{path.name}#{number}",
                allowed=tuple(range(n_topics)),
            )
        )
    return out


def wire_holdout(n: int) -> set[int]:
    """Positions of the wire stories kept out of training (the hand-labelled sample)."""
    return set(random.Random(WIRE_HOLDOUT_SEED).sample(range(n), min(n, WIRE_HOLDOUT)))


def split(n: int, *, seed: int, fraction: float) -> tuple[list[int], list[int]]:
    """Seeded (train, held-out) index lists; the held-out list is sorted."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    cut = round(n * fraction)
    return sorted(order[cut:]), sorted(order[:cut])


def iptc_tree(
    records: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, list[str]], dict[str, tuple[str, str]]]:
    """Active qcode -> path from level 1, and qcode -> (name, definition)."""
    paths = build._active_paths(records)
    texts: dict[str, tuple[str, str]] = {}
    for qcode in paths:
        record = records[qcode]
        name = str(record["Name (en-GB)"]).strip()
        definition = record["Definition (en-GB)"]
        texts[qcode] = (name, str(definition).strip() if build._present(definition) else "")
    return paths, texts


def make_corpus(
    records: Sequence[Mapping[str, str]],
    mapping: Mapping[str, tuple[str, ...]],
    iptc_records: Mapping[str, Mapping[str, Any]],
    *,
    seed: int,
    test_fraction: float,
    extra_iptc: Sequence[tuple[str, str, str]] = (),
) -> Corpus:
    names_by_qcode = iptc.topic_names()
    qcodes = list(names_by_qcode)
    index = {q: i for i, q in enumerate(qcodes)}
    corpus = Corpus(qcodes=qcodes, names=list(names_by_qcode.values()))
    train_ids, test_ids = split(len(records), seed=seed, fraction=test_fraction)
    unknown: Counter[str] = Counter()

    def doc(record: Mapping[str, str]) -> Doc | None:
        allowed = mapping.get(record["category"])
        if allowed is None:
            unknown[record["category"]] += 1
            return None
        ids = tuple(index[q] for q in allowed)
        return Doc(
            headline=record["headline"],
            body=record["short_description"],
            label=ids[0] if len(ids) == 1 else -1,
            category=record["category"],
            allowed=ids,
        )

    corpus.train = [d for i in train_ids if (d := doc(records[i])) is not None]
    corpus.test = [d for i in test_ids if (d := doc(records[i])) is not None]
    if unknown:
        print(f"note: categories not in the mapping, left out: {dict(unknown)}", file=sys.stderr)

    paths, texts = iptc_tree(iptc_records)
    for qcode, path in sorted(paths.items()):
        name, definition = texts[qcode]
        topic = build.taught_topic(path)
        corpus.iptc_docs.append(
            Doc(
                headline=name,
                body=definition,
                label=index[topic],
                weight=IPTC_WEIGHT if len(path) <= 2 else IPTC_WEIGHT * 0.5,
                source="iptc",
                category=topic,
                allowed=(index[topic],),
            )
        )
    extra_per_topic = Counter(topic for _, _, topic in extra_iptc)
    for headline, body, topic in extra_iptc:
        corpus.iptc_docs.append(
            Doc(
                headline=headline,
                body=body,
                label=index[topic],
                weight=EXTRA_IPTC_WEIGHT * min(1.0, EXTRA_MAX_PER_TOPIC / extra_per_topic[topic]),
                source="iptc-extra",
                category=topic,
                allowed=(index[topic],),
            )
        )
    return corpus


def subject_code_texts(path: Path) -> list[tuple[str, str, str]]:
    """(name, "", level-1 qcode) of every legacy IPTC Subject Code but the deprecated ones.

    Subject Codes share the 17 top-level topics (and numbers) with Media Topics,
    and name many things Media Topics do not (sports disciplines, industries).
    """
    try:
        codes = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ClassifyError(f"cannot read IPTC Subject Codes {path}: {exc}") from exc
    out: list[tuple[str, str, str]] = []
    for code, name in sorted(codes.items()):
        if not (isinstance(name, str) and len(code) == 8 and code.isdigit()):
            continue
        if "deprecated" in name.casefold():
            continue
        topic = f"medtop:{code[:2]}000000"
        if code.startswith(SUBJECT_TECH_AS_SCIENCE):
            topic = build.SCIENCE
        out.append((name, "", topic))
    return out


def media_topics_2019_texts(path: Path, active: Iterable[str]) -> list[tuple[str, str, str]]:
    """(label, definition, level-1 qcode) of the 2019 concepts not active in the release used.

    Mostly concepts IPTC retired or merged since ("defendant", "maritime incident"): their
    words still say which topic a story is about. The level-1 topic is found by
    following ``broader`` links in the 2019 export.
    """
    try:
        concepts = json.loads(path.read_text(encoding="utf-8"))["conceptSet"]
        by_qcode = {c["qcode"]: c for c in concepts}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ClassifyError(f"cannot read the IPTC 2019 export {path}: {exc}") from exc
    skip = set(active)
    out: list[tuple[str, str, str]] = []
    for qcode, concept in sorted(by_qcode.items()):
        if qcode in skip:
            continue
        chain = [qcode]
        while len(chain) < 8:
            broader = by_qcode[chain[-1]].get("broader") or []
            if not broader:
                break
            parent = "medtop:" + str(broader[0]).rstrip("/").rsplit("/", 1)[-1]
            if parent not in by_qcode:
                break
            chain.append(parent)
        top = chain[-1]
        if by_qcode[top].get("broader") or not re.fullmatch(r"medtop:\d\d000000", top):
            continue
        label = str(concept.get("prefLabel", {}).get("en-GB") or "").strip()
        definition = str(concept.get("definition", {}).get("en-GB") or "").strip()
        if label:
            out.append((label, definition, build.taught_topic(list(reversed(chain)))))
    return out


def long_docs(docs: Sequence[Doc], *, n_topics: int, seed: int) -> list[Doc]:
    """Pseudo-articles: several texts of one topic joined, as long as a short wire story."""
    rng = random.Random(seed)
    by_topic: dict[int, list[Doc]] = defaultdict(list)
    for d in docs:
        # Wire stories are long already; pseudo-articles stand in for them.
        if d.label >= 0 and d.source != "conll":
            by_topic[d.label].append(d)
    out: list[Doc] = []
    for topic in range(n_topics):
        pool = by_topic.get(topic, [])
        if len(pool) < LONG_MIN:
            continue
        for _ in range(LONG_PER_TOPIC):
            parts = rng.sample(pool, min(len(pool), rng.randint(LONG_MIN, LONG_MAX)))
            body = "\n\n".join(f"{p.headline}. {p.body}" for p in parts[1:])
            out.append(
                Doc(
                    headline=parts[0].headline,
                    body=f"{parts[0].body}\n\n{body}",
                    label=topic,
                    weight=LONG_WEIGHT,
                    source="long",
                    allowed=(topic,),
                )
            )
    return out


def build_vocabulary(docs: Iterable[Doc]) -> list[str]:
    """Terms found in at least MIN_DF training texts, sorted."""
    df: Counter[str] = Counter()
    for d in docs:
        df.update(term_counts(headline=d.headline, body=d.body).keys())
    return sorted(term for term, n in df.items() if n >= MIN_DF)


@dataclass
class Sparse:
    """Rows of feature (index, value) pairs, CSR style, for the fitting loop."""

    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int64]
    data: Floats
    n_features: int

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def dot(self, weights: Floats) -> Floats:
        """X @ W for dense W of shape (n_features, k)."""
        products = weights[self.indices] * self.data[:, None]
        out = np.zeros((self.n_rows, weights.shape[1]), dtype=np.float32)
        nonempty = self.indptr[:-1] < self.indptr[1:]
        out[nonempty] = np.add.reduceat(products, self.indptr[:-1][nonempty], axis=0)
        return out

    def rows(self) -> npt.NDArray[np.int64]:
        return np.repeat(np.arange(self.n_rows), np.diff(self.indptr))


def vectorise(docs: Sequence[Doc], vocabulary: Mapping[str, int]) -> Sparse:
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for d in docs:
        idx, val = featurise(term_counts(headline=d.headline, body=d.body), vocabulary)
        indices.extend(idx)
        data.extend(val)
        indptr.append(len(indices))
    return Sparse(
        np.asarray(indptr, dtype=np.int64),
        np.asarray(indices, dtype=np.int64),
        np.asarray(data, dtype=np.float32),
        len(vocabulary),
    )


def softmax(logits: Floats) -> Floats:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    result: Floats = exp / exp.sum(axis=1, keepdims=True)
    return result


def fit(
    x: Sparse,
    labels: npt.NDArray[np.int64],
    sample_weights: Floats,
    *,
    n_classes: int,
    iterations: int | None = None,
    l2: float | None = None,
    learning_rate: float | None = None,
) -> tuple[Floats, Floats]:
    """Weighted multinomial logistic regression; returns (weights, bias).

    Options left at None take the module's ITERATIONS, L2 and LEARNING_RATE.
    """
    iterations = ITERATIONS if iterations is None else iterations
    l2 = L2 if l2 is None else l2
    learning_rate = LEARNING_RATE if learning_rate is None else learning_rate
    weights = np.zeros((x.n_features, n_classes), dtype=np.float32)
    bias = np.zeros(n_classes, dtype=np.float32)
    onehot = np.zeros((x.n_rows, n_classes), dtype=np.float32)
    onehot[np.arange(x.n_rows), labels] = 1.0
    scale = (sample_weights / float(sample_weights.sum())).astype(np.float32)[:, None]
    # The gradient sums over each feature's entries: visit them grouped by feature.
    order = np.argsort(x.indices, kind="stable")
    rows_by_feature = x.rows()[order]
    data_by_feature = x.data[order][:, None]
    features = x.indices[order]
    starts = np.flatnonzero(np.r_[True, features[1:] != features[:-1]])
    present = features[starts]
    moments = [
        np.zeros_like(weights),
        np.zeros_like(weights),
        np.zeros_like(bias),
        np.zeros_like(bias),
    ]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, iterations + 1):
        residual = (softmax(x.dot(weights) + bias) - onehot) * scale
        grad_w = l2 * weights
        grad_w[present] += np.add.reduceat(
            residual[rows_by_feature] * data_by_feature, starts, axis=0
        )
        grad_b = residual.sum(axis=0)
        for param, grad, m, v in (
            (weights, grad_w, moments[0], moments[1]),
            (bias, grad_b, moments[2], moments[3]),
        ):
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            step_size = learning_rate * math.sqrt(1 - beta2**step) / (1 - beta1**step)
            param -= (step_size * m / (np.sqrt(v) + eps)).astype(np.float32)
    return weights, bias


def class_weights(items: Sequence[tuple[int, float]], n_classes: int) -> list[float]:
    """Per-class factor from (label, sample weight) pairs: rarer topics count more.

    A topic's size is the sum of its texts' weights, so texts that are down-weighted
    (deep IPTC definitions, capped pseudo-labels) also count less towards it.
    """
    mass: dict[int, float] = defaultdict(float)
    for label, weight in items:
        mass[label] += weight
    sizes = sorted(mass.values())
    median = sizes[len(sizes) // 2]
    return [
        min(MAX_CLASS_WEIGHT, (median / mass[c]) ** BALANCE_EXPONENT) if mass.get(c) else 0.0
        for c in range(n_classes)
    ]


def train_pass(
    docs: Sequence[Doc], vocabulary: Mapping[str, int], n_classes: int
) -> tuple[Floats, Floats]:
    labelled = [d for d in docs if d.label >= 0]
    x = vectorise(labelled, vocabulary)
    labels = np.asarray([d.label for d in labelled], dtype=np.int64)
    # Legacy and retired IPTC names are supplementary: they do not make their topic
    # look common (585 of the Subject Codes are sports).
    per_class = class_weights(
        [(d.label, d.weight) for d in labelled if d.source != "iptc-extra"]
        or [(d.label, d.weight) for d in labelled],
        n_classes,
    )
    weights = np.asarray([d.weight * per_class[d.label] for d in labelled], dtype=np.float32)
    return fit(x, labels, weights, n_classes=n_classes)


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


def train_model(
    train: Sequence[Doc],
    iptc_docs: Sequence[Doc],
    *,
    n_classes: int,
    seed: int,
    wires: Sequence[Doc] = (),
) -> Trained:
    """Single-topic data first; then everything, mixed stories routed and wires pseudo-labelled.

    ``wires`` are unlabelled stories (CoNLL-2003's Reuters documents): each round
    labels the confident ones (but never those of :func:`wire_holdout`) with the
    current model and retrains on all data.
    """
    base = [*train, *iptc_docs]
    held_out = wire_holdout(len(wires))
    # Only the openly licensed texts make the vocabulary: the wire stories (Reuters,
    # research terms) add weight to terms the model has anyway, so no string of the
    # shipped model comes from them alone.
    vocabulary_list = build_vocabulary(base)
    vocabulary = {term: i for i, term in enumerate(vocabulary_list)}
    direct = [d for d in base if d.label >= 0]
    first = [*direct, *long_docs(direct, n_topics=n_classes, seed=seed)]
    weights, bias = train_pass(first, vocabulary, n_classes)
    mixed = [d for d in train if d.label < 0]
    routed = route(mixed, blended_log_probs(mixed, vocabulary, weights, None))
    full = [*direct, *routed]
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
        leads = [replace(lead(d), weight=d.weight * LEAD_WEIGHT) for d in pseudo]
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


def accuracy(docs: Sequence[Doc], scores: Floats) -> float:
    if not docs:
        return float("nan")
    hits = sum(int(int(np.argmax(row)) in d.allowed) for d, row in zip(docs, scores, strict=True))
    return hits / len(docs)


def lexicon_top1(docs: Sequence[Doc]) -> Floats:
    return np.asarray(
        [iptc.lexicon_scores(headline=d.headline, body=d.body) for d in docs], dtype=np.float32
    )


def level2_profiles(
    iptc_records: Mapping[str, Mapping[str, Any]], vocabulary: Mapping[str, int]
) -> tuple[list[str], list[str], list[str], Floats]:
    """Level-2 qcodes, names, parents and unit-length tf-idf profiles (n_level2 x n_vocab)."""
    paths, texts = iptc_tree(iptc_records)
    level2 = sorted(q for q, path in paths.items() if len(path) == 2)
    counts: list[dict[str, float]] = []
    for qcode in level2:
        profile: dict[str, float] = defaultdict(float)
        for other, path in paths.items():
            if len(path) < 2 or path[1] != qcode:
                continue
            weight = LEVEL2_OWN_WEIGHT if other == qcode else 1.0
            name, definition = texts[other]
            for term, count in term_counts(headline=name, body=definition).items():
                profile[term] += weight * min(count, 2.0)
        counts.append(profile)
    df: Counter[str] = Counter()
    for profile in counts:
        df.update(profile.keys())
    matrix = np.zeros((len(level2), len(vocabulary)), dtype=np.float32)
    for row, profile in enumerate(counts):
        for term, value in profile.items():
            column = vocabulary.get(term)
            if column is None:
                continue
            idf = math.log((len(level2) + 1) / df[term])
            matrix[row, column] = math.log1p(value) * idf
        norm = float(np.linalg.norm(matrix[row]))
        if norm > 0:
            matrix[row] /= norm
    names = [texts[q][0] for q in level2]
    parents = [paths[q][0] for q in level2]
    return level2, names, parents, matrix


def _pack_strings(items: Sequence[str]) -> npt.NDArray[np.uint8]:
    return np.frombuffer("\n".join(items).encode("utf-8"), dtype=np.uint8)


def save_model(
    path: Path,
    *,
    meta: dict[str, Any],
    vocabulary: Sequence[str],
    weights: Floats,
    bias: Floats,
    level2: Floats,
    background: Sequence[tuple[str, int]],
) -> str:
    """Write the npz; returns the model version (release date + content digest)."""
    # Level-2 profiles are sparse: keep only vocabulary rows some profile uses.
    used = np.flatnonzero(np.abs(level2).sum(axis=0) > 0)
    rows = np.full(len(vocabulary), -1, dtype=np.int32)
    rows[used] = np.arange(len(used), dtype=np.int32)
    arrays: dict[str, npt.NDArray[Any]] = {
        "vocabulary": _pack_strings(vocabulary),
        "weights": weights.astype(np.float16),
        "bias": bias.astype(np.float32),
        "level2_rows": rows,
        "level2_weights": level2[:, used].T.astype(np.float16),
        "background_words": _pack_strings([w for w, _ in background]),
        "background_counts": np.asarray([n for _, n in background], dtype=np.uint32),
    }
    digest = hashlib.sha256()
    for name in sorted(arrays):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(arrays[name]).tobytes())
    digest.update(json.dumps(meta, sort_keys=True).encode())
    version = f"{meta['trained_on']}.{digest.hexdigest()[:8]}"
    meta = {**meta, "version": version}
    arrays["meta"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        np.savez_compressed(handle, allow_pickle=False, **arrays)
    return version


def write_heldout(path: Path, docs: Sequence[Doc]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for d in docs:
            line = {"headline": d.headline, "short_description": d.body, "category": d.category}
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def write_pseudo_labels(
    path: Path, wires: Sequence[Doc], trained: Trained, qcodes: Sequence[str]
) -> None:
    """Each wire story's top topic and confidence (no text), for bench/topic_pseudo_labels.py."""
    assert trained.wire_log_probs is not None
    kept = {d.category for d in trained.pseudo}
    with path.open("w", encoding="utf-8") as handle:
        handle.write("# document\ttop topic\tconfidence\tkept\n")
        for d, row in zip(wires, trained.wire_log_probs, strict=True):
            best = int(np.argmax(row))
            number = d.category.rsplit("#", 1)[-1]
            confidence = math.exp(float(row[best]))
            flag = int(d.category in kept)
            handle.write(f"{number}\t{qcodes[best]}\t{confidence:.4f}\t{flag}\n")


def run(args: argparse.Namespace) -> int:
    if args.conll is not None and args.conll.name != DEFAULT_CONLL.name:
        # eng.testa/testb are the NER evaluation's held-out sets: never train on them.
        raise ClassifyError(
            f"--conll {args.conll}: only CoNLL-2003 {DEFAULT_CONLL.name} may be trained on"
        )
    mapping = load_mapping(args.mapping)
    iptc_records = build.load_source(args.iptc)
    extra = [
        *subject_code_texts(args.iptc.parent / DEFAULT_SUBJECT_CODES.name),
        *media_topics_2019_texts(
            args.iptc.parent / DEFAULT_IPTC_2019.name, iptc_tree(iptc_records)[0]
        ),
    ]
    corpus = make_corpus(
        load_huffpost(args.huffpost),
        mapping,
        iptc_records,
        seed=args.seed,
        test_fraction=args.test_fraction,
        extra_iptc=extra,
    )
    if args.heldout_out is not None:
        write_heldout(args.heldout_out, corpus.test)
        print(f"wrote the held-out split ({len(corpus.test)} stories) to {args.heldout_out}")
    train, evaluate = corpus.train, corpus.test
    if args.validate:
        train_ids, val_ids = split(len(train), seed=args.seed + 1, fraction=VALIDATION_FRACTION)
        train, evaluate = [train[i] for i in train_ids], [train[i] for i in val_ids]
    n_classes = len(corpus.qcodes)
    wires = [] if args.conll is None else load_conll(args.conll, n_topics=n_classes)
    trained = train_model(train, corpus.iptc_docs, n_classes=n_classes, seed=args.seed, wires=wires)
    vocabulary_list = trained.vocabulary
    vocabulary = {term: i for i, term in enumerate(vocabulary_list)}
    weights, bias = trained.weights, trained.bias
    print(
        f"{len(train)} HuffPost + {len(corpus.iptc_docs)} IPTC texts, {len(vocabulary)} terms; "
        f"{len(trained.routed)} of {sum(d.label < 0 for d in train)} mixed-category stories routed"
    )
    routing = Counter((d.category, corpus.names[d.label]) for d in trained.routed)
    for (category, name), n in sorted(routing.items()):
        print(f"  {category:<15} -> {name:<45} {n:>5}")
    if wires:
        by_topic = Counter(corpus.names[d.label] for d in trained.pseudo)
        print(
            f"{len(trained.pseudo)} of {len(wires)} wire stories ({args.conll}) pseudo-labelled: "
            + ", ".join(f"{name} {n}" for name, n in by_topic.most_common())
        )
    if args.pseudo_labels_out is not None and trained.wire_log_probs is not None:
        write_pseudo_labels(args.pseudo_labels_out, wires, trained, corpus.qcodes)
        print(f"wrote the wire stories' pseudo-labels to {args.pseudo_labels_out}")

    what = "validation" if args.validate else "held-out test"
    model_acc = accuracy(
        evaluate, blended_log_probs(evaluate, vocabulary, weights, CLASS_PRIOR_WEIGHT * bias)
    )
    lexicon_acc = accuracy(evaluate, lexicon_top1(evaluate))
    print(
        f"{what} top-1 accuracy on {len(evaluate)} stories: model {model_acc:.3f}, "
        f"lexicon baseline {lexicon_acc:.3f}"
    )
    if args.validate:
        return 0

    level2, level2_names, level2_parents, level2_matrix = level2_profiles(iptc_records, vocabulary)
    background = background_words(
        ((d.headline, d.body) for d in (*corpus.train, *corpus.iptc_docs)),
        limit=BACKGROUND_WORDS,
    )
    meta = {
        "format": FORMAT,
        "trained_on": build.release_from_name(args.iptc),
        "qcodes": corpus.qcodes,
        "names": corpus.names,
        "level2_qcodes": level2,
        "level2_names": level2_names,
        "level2_parents": level2_parents,
        "background_documents": len(corpus.train) + len(corpus.iptc_docs),
        "training": {
            "huffpost_stories": len(corpus.train),
            "wire_stories": len(wires),
            "wire_source": args.conll.name if args.conll is not None else None,
            "wire_pseudo_labelled": len(trained.pseudo),
            "iptc_texts": len(corpus.iptc_docs),
            "seed": args.seed,
            "test_fraction": args.test_fraction,
            "heldout_top1_accuracy": round(model_acc, 4),
        },
    }
    version = save_model(
        args.out,
        meta=meta,
        vocabulary=vocabulary_list,
        weights=weights,
        bias=bias,
        level2=level2_matrix,
        background=background,
    )
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1e6:.2f} MB, version {version})")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m streams.classify.train",
        description="Train the IPTC Media Topics model shipped in streams/classify/data.",
    )
    parser.add_argument(
        "--huffpost", type=Path, default=DEFAULT_HUFFPOST, help="HuffPost JSON lines (%(default)s)"
    )
    parser.add_argument(
        "--iptc", type=Path, default=DEFAULT_IPTC, help="IPTC Media Topics JSON (%(default)s)"
    )
    parser.add_argument(
        "--mapping", type=Path, default=DEFAULT_MAPPING, help="Category mapping (%(default)s)"
    )
    parser.add_argument(
        "--conll",
        type=Path,
        default=DEFAULT_CONLL,
        help="CoNLL-2003 file whose Reuters stories are pseudo-labelled (%(default)s); "
        "never eng.testa, which the NER evaluation holds out",
    )
    parser.add_argument(
        "--no-conll",
        dest="conll",
        action="store_const",
        const=None,
        help="Train without the pseudo-labelled wire stories.",
    )
    parser.add_argument(
        "--pseudo-labels-out",
        type=Path,
        default=None,
        help="Write each wire story's pseudo-label (document number, topic, confidence; "
        "no text) here, for bench/topic_pseudo_labels.py.",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="Split seed (%(default)s)")
    parser.add_argument(
        "--test-fraction",
        type=float,
        default=TEST_FRACTION,
        help="Share of HuffPost held out for testing (%(default)s)",
    )
    parser.add_argument(
        "--heldout-out",
        type=Path,
        default=None,
        help="Write the held-out stories here as JSON lines (keep it outside the repository).",
    )
    parser.add_argument(
        "--validate",
        action="store_true",
        help="Tune: evaluate on a validation part of the training split; write no model.",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Model file (%(default)s)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return run(args)
    except ClassifyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
