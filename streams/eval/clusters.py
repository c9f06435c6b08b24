"""Cluster evaluation: labelled pairs of texts in, precision and recall of "same story" out.

Input: JSON lines ``{"a": TEXT, "b": TEXT, "same": true|false}`` where a text is
a string (its first line is taken as the headline) or an object with
``headline`` and ``body`` (or ``text``). Each pair is judged on its own: story
``a`` goes into a fresh index, then story ``b`` an hour later, and the pair is
predicted "same" when both get one cluster id. Precision and recall are over
the pairs labelled same.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from streams.cluster import ClusterIndex, fingerprint
from streams.errors import WirestreamError
from streams.eval.scores import PrecisionRecall

_T0 = datetime(2026, 1, 1, tzinfo=UTC)


class PairsInputError(WirestreamError):
    """A labelled pairs file could not be read."""

    code = "W305"


@dataclass(frozen=True)
class Text:
    headline: str
    body: str


@dataclass(frozen=True)
class Pair:
    a: Text
    b: Text
    same: bool
    note: str = ""


@dataclass(frozen=True)
class PairScores(PrecisionRecall):
    tp: int
    fp: int
    fn: int
    tn: int


def _text(value: object, where: str) -> Text:
    if isinstance(value, str):
        headline, _, body = value.strip().partition("\n")
        return Text(headline.strip(), body.strip())
    if isinstance(value, dict):
        headline = str(value.get("headline") or value.get("title") or "")
        body = str(value.get("body") or value.get("text") or value.get("description") or "")
        if headline or body:
            return Text(headline, body)
    raise PairsInputError(f"{where}: expected a text or an object with headline/body")


def parse_pairs(lines: Iterable[str], *, name: str = "<input>") -> list[Pair]:
    pairs: list[Pair] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise PairsInputError(f"{where}: not JSON: {exc}") from exc
        if not isinstance(record, dict) or not isinstance(record.get("same"), bool):
            raise PairsInputError(f"{where}: expected an object with a, b and same: true|false")
        pairs.append(
            Pair(
                _text(record.get("a"), f"{where} a"),
                _text(record.get("b"), f"{where} b"),
                record["same"],
                str(record.get("note") or ""),
            )
        )
    return pairs


def read_pairs(path: Path) -> list[Pair]:
    try:
        with path.open(encoding="utf-8") as handle:
            return parse_pairs(handle, name=str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise PairsInputError(f"cannot read {path}: {exc}") from exc


def same_cluster(a: Text, b: Text) -> bool:
    """Whether Wirestream's index puts ``b`` in ``a``'s cluster (two stories, an hour apart)."""
    index = ClusterIndex()
    first = index.assign(
        story_id="pair:a", fingerprint=fingerprint(headline=a.headline, body=a.body), at=_T0
    )
    second = index.assign(
        story_id="pair:b",
        fingerprint=fingerprint(headline=b.headline, body=b.body),
        at=_T0 + timedelta(hours=1),
    )
    return first.cluster_id == second.cluster_id


def score_pairs(
    pairs: Iterable[Pair], decide: Callable[[Text, Text], bool] = same_cluster
) -> tuple[PairScores, list[tuple[Pair, bool]]]:
    """Counts over the pairs, and each pair with its prediction."""
    tp = fp = fn = tn = 0
    judged: list[tuple[Pair, bool]] = []
    for pair in pairs:
        predicted = decide(pair.a, pair.b)
        judged.append((pair, predicted))
        if predicted and pair.same:
            tp += 1
        elif predicted:
            fp += 1
        elif pair.same:
            fn += 1
        else:
            tn += 1
    return PairScores(tp, fp, fn, tn), judged
