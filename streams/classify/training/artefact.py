"""What training writes: the model file (weights, level-2 profiles, keyword background) and
the held-out splits and pseudo-labels that the evaluations read.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from streams.classify.features import term_counts
from streams.classify.training.corpus import Doc, iptc_tree
from streams.classify.training.optimiser import Floats
from streams.classify.training.selftrain import Trained

# Level-2 profiles: a level-2 concept's own name and definition count this
# much more than those of its descendants.
LEVEL2_OWN_WEIGHT = 3.0
# Labelled examples of a level-2 concept (HuffPost training texts of a section that
# data/huffpost_iptc_level2.toml maps to it): their mean term counts join its profile
# with this weight, as much as this many IPTC texts.
LEVEL2_EXAMPLE_WEIGHT = 20.0


def level2_profiles(
    iptc_records: Mapping[str, Mapping[str, Any]],
    vocabulary: Mapping[str, int],
    examples: Sequence[tuple[str, str, str]] = (),
) -> tuple[list[str], list[str], list[str], Floats]:
    """Level-2 qcodes, names, parents and unit-length tf-idf profiles (n_level2 x n_vocab).

    A profile is the IPTC names and definitions of the concept and its descendants,
    plus (``examples``: headline, body, level-2 qcode) the mean term counts of the
    concept's labelled examples, weighted LEVEL2_EXAMPLE_WEIGHT.
    """
    paths, texts = iptc_tree(iptc_records)
    level2 = sorted(q for q, path in paths.items() if len(path) == 2)
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    n_examples: Counter[str] = Counter()
    for headline, body, qcode in examples:
        n_examples[qcode] += 1
        for term, count in term_counts(headline=headline, body=body).items():
            sums[qcode][term] += min(count, 2.0)
    counts: list[dict[str, float]] = []
    for qcode in level2:
        profile: dict[str, float] = defaultdict(float)
        for term, total in sums.get(qcode, {}).items():
            profile[term] += LEVEL2_EXAMPLE_WEIGHT * total / n_examples[qcode]
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
    """JSON lines ``wirestream eval topics`` reads: headline, description, section, source."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for d in docs:
            line = {
                "headline": d.headline,
                "short_description": d.body,
                "category": d.category,
                "outlet": d.source,
            }
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
