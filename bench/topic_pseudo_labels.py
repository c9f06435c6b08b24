"""How good are the pseudo-labels the topic model gave the CoNLL-2003 Reuters stories?

    .venv/bin/wirestream train topics --out /tmp/model.npz --pseudo-labels-out /tmp/pseudo.tsv
    .venv/bin/python bench/topic_pseudo_labels.py /tmp/pseudo.tsv [--sample PATH]

The training script labels each story of ``eng.train`` with its model's top topic and keeps
the confident ones as training data. It never trains on a seeded sample of 120 stories,
which we labelled by reading them (``conll_topics_sample.tsv`` beside this script: document
numbers and topics, no text); their pseudo-labels are made by the same model as everyone
else's, so they measure the pseudo-labels: how many of the sample the training cut-off
(``PSEUDO_MIN_CONFIDENCE``) would keep and how many of those are right, and the same at
other cut-offs.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from streams.classify import topic_names
from streams.classify.training.selftrain import PSEUDO_MIN_CONFIDENCE

HERE = Path(__file__).resolve().parent
DEFAULT_SAMPLE = HERE / "conll_topics_sample.tsv"
CUTS = tuple(sorted({0.3, 0.4, 0.5, 0.6, 0.7, 0.8, PSEUDO_MIN_CONFIDENCE}))


def read_rows(path: Path) -> list[list[str]]:
    return [
        line.split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("pseudo", type=Path, help="file written by train --pseudo-labels-out")
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE, help="our labels")
    args = parser.parse_args(argv)
    gold = {row[0]: tuple(row[1:]) for row in read_rows(args.sample)}
    pseudo = {row[0]: (row[1], float(row[2])) for row in read_rows(args.pseudo)}
    missing = sorted(set(gold) - set(pseudo), key=int)
    if missing:
        print(f"documents of the sample without a pseudo-label: {', '.join(missing)}")
    names = topic_names()
    scored = [(doc, *pseudo[doc]) for doc in gold if doc in pseudo]
    kept = [
        (doc, topic) for doc, topic, confidence in scored if confidence >= PSEUDO_MIN_CONFIDENCE
    ]
    right = sum(topic in gold[doc] for doc, topic in kept)
    print(
        f"sample of {len(scored)} stories: the training cut-off (confidence >= "
        f"{PSEUDO_MIN_CONFIDENCE}) keeps {len(kept)}, {right} of them labelled as we would "
        f"({right / max(1, len(kept)):.3f} precision)"
    )
    print(f"{'confidence >=':>14} {'kept':>5} {'precision':>10}")
    for cut in CUTS:
        chosen = [(doc, topic) for doc, topic, confidence in scored if confidence >= cut]
        hits = sum(topic in gold[doc] for doc, topic in chosen)
        print(f"{cut:>14.2f} {len(chosen):>5} {hits / max(1, len(chosen)):>10.3f}")
    wrong = Counter(
        (names[gold[doc][0]], names[topic]) for doc, topic in kept if topic not in gold[doc]
    )
    for (ours, given), n in wrong.most_common():
        print(f"  kept wrongly: ours {ours!r}, model {given!r}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
