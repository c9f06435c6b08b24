"""Entity F1 and ORG error classes on the held-out tenth of CoNLL-2003 eng.train.

    .venv/bin/python bench/ner_dev_tenth.py [--data DIR] [--examples 3]

The tenth is the seeded document split ``python -m streams.nlp.train`` holds back for early
stopping (seed 0), so the shipped CoNLL model never trained on it and eng.testa stays the
held-out figure: merge rules are chosen here, never on eng.testa. Sentences go to the
shipped pipeline one by one and each document's sentences are then read together, as
``wirestream eval ner`` does (``--sentence-only`` skips that story step, for the figure
before it). Prints exact-span P/R/F1
for PER, ORG and LOC, then every gold or predicted ORG that is wrong, by class: a type
confusion (gold ORG taken for another type, or another type taken for ORG), a boundary
error, a miss, or a spurious ORG, with a few examples each (the CoNLL text is read in
place and printed only as short excerpts on this terminal).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from streams.cli.eval_ner import predict
from streams.eval.ner import read_conll
from streams.nlp.model import load_model
from streams.nlp.train import DEFAULT_DATA, split_documents
from streams.settings import get_settings

Labelled = tuple[int, int, str]


def classes(
    gold: dict[tuple[int, int], str], pred: dict[tuple[int, int], str]
) -> list[tuple[str, tuple[int, int]]]:
    """The ORG error classes of one sentence, each with the span it is about."""
    out: list[tuple[str, tuple[int, int]]] = []
    for span, label in gold.items():
        got = pred.get(span)
        if got == label or (label != "ORG" and got != "ORG"):
            continue
        if got is not None:
            out.append((f"type {label} -> {got}", span))
            continue
        overlapping = sorted(v for k, v in pred.items() if k[0] < span[1] and span[0] < k[1])
        out.append((f"bound {label}: " + (",".join(overlapping) or "missed"), span))
    for span, label in pred.items():
        if label == "ORG" and span not in gold:
            overlapping = sorted(v for k, v in gold.items() if k[0] < span[1] and span[0] < k[1])
            what = "vs " + ",".join(overlapping) if overlapping else "(no gold)"
            out.append((f"spurious ORG {what}", span))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="CoNLL-2003 folder")
    parser.add_argument("--examples", type=int, default=3, help="examples per error class")
    parser.add_argument(
        "--sentence-only",
        action="store_true",
        help="score each sentence alone, without reading its document's other sentences",
    )
    args = parser.parse_args(argv)

    documents = read_conll(args.data / "eng.train")
    _, dev = split_documents(documents, dev_fraction=0.1, seed=0)
    items = [(i, s) for i, document in enumerate(dev) for s in document.sentences]
    settings = get_settings()
    nlp = load_model(settings.nlp_models, ner=settings.nlp_ner)
    counts: Counter[tuple[str, str]] = Counter()
    errors: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    predicted = predict(nlp, items, desc="tenth", batch_size=256, story=not args.sentence_only)
    for (_, sentence), spans in zip(items, predicted, strict=True):
        gold = {(a, b): label for a, b, label in sentence.char_spans()}
        pred = {(a, b): label for a, b, label in spans}
        for span, label in gold.items():
            counts[(label, "gold")] += 1
            counts[(label, "tp")] += pred.get(span) == label
        for label in pred.values():
            counts[(label, "pred")] += 1
        for name, (start, end) in classes(gold, pred):
            errors[name] += 1
            examples.setdefault(name, []).append(
                f"{sentence.text[start:end]!r} in {sentence.text[:90]!r}"
            )
    how = (
        "each sentence alone" if args.sentence_only else "sentences, then each document's together"
    )
    print(f"held-out tenth of eng.train: {len(dev)} documents, {len(items)} sentences ({how})")
    total = Counter[str]()
    for label in ("PER", "ORG", "LOC"):
        tp, g, p = counts[(label, "tp")], counts[(label, "gold")], counts[(label, "pred")]
        total.update({"tp": tp, "gold": g, "pred": p})
        precision, recall = tp / max(p, 1), tp / max(g, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        print(f"{label:<12} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}")
    precision, recall = total["tp"] / max(total["pred"], 1), total["tp"] / max(total["gold"], 1)
    print(f"PER+ORG+LOC  F1 {2 * precision * recall / max(precision + recall, 1e-9):.3f}")
    print("\nORG errors by class:")
    for name, n in errors.most_common():
        print(f"{n:>4}  {name}")
        for line in examples[name][: args.examples]:
            print(f"        {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
