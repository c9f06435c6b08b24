"""The fitting loop: sparse term vectors and weighted multinomial logistic regression in numpy.

Full-batch Adam with L2 regularisation; classes weighted towards balance by the
summed weight of their texts, so that the many politics stories of the news
sources do not make politics the answer to everything.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from streams.classify.features import featurise, term_counts
from streams.classify.training.corpus import Doc

Floats = npt.NDArray[np.float32]

# Hyperparameters, chosen on a validation split of the training part (--validate).
L2 = 3e-5
ITERATIONS = 400
LEARNING_RATE = 0.05
# Class weight = (median class size / class size) ** this, capped; a class's size
# is the summed weight of its texts.
BALANCE_EXPONENT = 0.6
MAX_CLASS_WEIGHT = 8.0


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
