"""Level-2 IPTC topics: the confidence threshold chosen on one labelled set, reported on another.

    .venv/bin/python bench/topic_level2.py --heldout-dir DIR [--model PATH] [--target 0.8]

``DIR`` holds the held-out splits ``wirestream train topics --all-data --heldout-dir DIR``
writes (``huffpost-heldout.jsonl``, ``wikipedia-heldout.jsonl``): texts never trained on.

1. **Choose** (HuffPost held-out, the sections of
   ``streams/classify/data/huffpost_iptc_level2.toml``): every level-2 candidate the
   tagger proposes (``streams.classify.classify`` with ``level2_min_confidence=1``) is
   kept with its confidence; the threshold is the smallest whose precision reaches the
   target (``streams.eval.level2``).
2. **Report** (Wikipedia current-events held-out, the sections of
   ``wikipedia_iptc_level2.toml``), at that threshold: precision (share of level-2 tags
   the section accepts), first-tag precision and coverage (share of items with any
   level-2 tag). Wikipedia never chose anything here; the shipped model never trained
   on it (a model trained with --all-data saw the other 90 %).

The shipped threshold is ``streams.classify.model.LEVEL2_MIN_CONFIDENCE``; the script
prints whether the chosen one equals it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from streams.classify.mapping import load_level2_mapping
from streams.classify.model import (
    LEVEL2_MIN_CONFIDENCE,
    TopicModel,
    classify,
    load_model,
    read_model,
)
from streams.classify.training.sources import DEFAULT_HUFFPOST_LEVEL2_MAPPING
from streams.eval.level2 import (
    TARGET_PRECISION,
    Candidate,
    Level2Item,
    Level2Score,
    choose_threshold,
    score,
)

HERE = Path(__file__).resolve().parent


def items(path: Path, mapping: dict[str, tuple[str, ...]], model: TopicModel) -> list[Level2Item]:
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            accepted = mapping.get(record.get("category", ""))
            if accepted is None:
                continue
            tags = classify(
                headline=record.get("headline", ""),
                body=record.get("short_description", "") or record.get("body", ""),
                level2_min_confidence=1,
                model=model,
            )
            out.append(
                Level2Item(
                    frozenset(accepted),
                    tuple(Candidate(t.qcode, t.confidence or 0) for t in tags if t.level == 2),
                )
            )
    return out


def line(name: str, s: Level2Score) -> str:
    return (
        f"  {name:<38} t={s.threshold:>3}  n={s.n:>5}  precision {s.precision:.3f} "
        f"({s.correct_tags}/{s.tags} tags)  first-tag {s.first_precision:.3f}  "
        f"coverage {s.coverage:.3f} ({s.tagged}/{s.n})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--heldout-dir", type=Path, required=True)
    parser.add_argument("--model", type=Path, help="a model file; default: the packaged one")
    parser.add_argument("--target", type=float, default=TARGET_PRECISION)
    args = parser.parse_args(argv)
    model = read_model(args.model) if args.model else load_model()
    known = frozenset(model.level2_qcodes)
    choose = items(
        args.heldout_dir / "huffpost-heldout.jsonl",
        load_level2_mapping(DEFAULT_HUFFPOST_LEVEL2_MAPPING, known),
        model,
    )
    report = items(
        args.heldout_dir / "wikipedia-heldout.jsonl",
        load_level2_mapping(HERE / "wikipedia_iptc_level2.toml", known),
        model,
    )
    print(f"model {model.version}; target precision {args.target}")
    print("curve (candidates with confidence >= t):")
    for t in (1, 5, 10, 15, 20, 25, 30, 40, 50, 60):
        print(line("HuffPost held-out (choose)", score(choose, t)))
        print(line("Wikipedia held-out (report)", score(report, t)))
    chosen = choose_threshold(choose, target=args.target)
    print(f"chosen on HuffPost held-out: threshold {chosen.threshold}")
    print(line("HuffPost held-out (choosing set)", chosen))
    print(line("Wikipedia held-out (reported)", score(report, chosen.threshold)))
    print(line("Wikipedia held-out at shipped threshold", score(report, LEVEL2_MIN_CONFIDENCE)))
    same = "equals" if chosen.threshold == LEVEL2_MIN_CONFIDENCE else "DIFFERS FROM"
    print(f"the chosen threshold {same} the shipped LEVEL2_MIN_CONFIDENCE={LEVEL2_MIN_CONFIDENCE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
