"""Cost per article of the topic stage next to the entity stage's, same articles, one run.

    .venv/bin/python bench/topic_speed.py [--data DIR] [--rounds 5] [--batch-size 32]

Articles: the Yonhap English stories in ``../shared/data/wires/yonhap`` (the portal repost
and the 39 crawled stories; © Yonhap News Agency, development use, read in place and never
copied), parsed by Wirestream's own parsers (``streams.pipeline.parse``).

- topic stage: ``streams.pipeline.tag`` per article, what a pool worker runs: IPTC topics
  (``streams.classify.classify``: trained model, lexicon prior, level 2), key phrases and
  language evidence; each part is also timed alone, and the story-cluster fingerprint
  (MinHash, computed in the pool for the clusters agent) beside it;
- entity stage: ``streams.nlp.extract_entities`` with the installed spaCy model and the
  shipped NER (``load_model`` with the settings), batched as the worker batches.

All in this one process (one core for the Python work). Rounds are interleaved so every
part sees the same machine load; the median round is reported. The first call of each
(model loading) is a warm-up, not timed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from corpus import YONHAP, load_articles, timed

from streams import pipeline
from streams.classify import classify, classify_lexicon, keywords
from streams.cluster import fingerprint
from streams.lang import detect_language
from streams.nlp.entities import extract_entities
from streams.nlp.model import load_model, model_tag
from streams.settings import get_settings

DEFAULT_DATA = YONHAP


def articles(folder: Path) -> list[pipeline.TopicsInput]:
    return [
        pipeline.TopicsInput(article.headline, tuple(article.body), article.language)
        for article in load_articles(folder)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of wires")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of each")
    parser.add_argument("--batch-size", type=int, default=32, help="entity stage batch size")
    args = parser.parse_args(argv)

    items = articles(args.data)
    if not items:
        print(f"no articles in {args.data}", file=sys.stderr)
        return 2
    entity_inputs = [
        pipeline.entity_input(headline=i.headline, paragraphs=i.paragraphs, language=i.language)
        for i in items
    ]
    nlp = load_model(get_settings().nlp_models, ner=get_settings().nlp_ner)
    n_words = sum(len(i.headline.split()) + len(i.body.split()) for i in items)
    print(f"{len(items)} articles ({n_words:,} words, {n_words / len(items):.0f} per article)")
    print(f"  from {args.data}")
    print(f"entity model: {model_tag(nlp)}")

    parts: dict[str, Callable[[], object]] = {
        "topic stage (pipeline.tag)": lambda: [pipeline.tag(i) for i in items],
        "  IPTC topics (model)": lambda: [
            classify(headline=i.headline, body=i.body) for i in items
        ],
        "  key phrases": lambda: [
            keywords(headline=i.headline, paragraphs=i.paragraphs) for i in items
        ],
        "  language detection": lambda: [
            detect_language("\n\n".join([i.headline, *i.paragraphs])) for i in items
        ],
        "cluster fingerprint (MinHash)": lambda: [
            fingerprint(headline=i.headline, body=i.body) for i in items
        ],
        "lexicon baseline (for scale)": lambda: [
            classify_lexicon(headline=i.headline, body=i.body) for i in items
        ],
        "entity stage (extract_entities)": lambda: extract_entities(
            nlp, entity_inputs, batch_size=args.batch_size
        ),
    }
    for run in parts.values():
        run()  # warm-up: model loading, caches
    samples: dict[str, list[float]] = {name: [] for name in parts}
    for _ in range(args.rounds):
        for name, run in parts.items():
            samples[name].append(timed(run))
    per = 1000 / len(items)
    print(f"rounds: {args.rounds} (median), ms per article")
    for name, values in samples.items():
        print(f"{name:<34} {statistics.median(values) * per:8.2f}")
    topic = statistics.median(samples["topic stage (pipeline.tag)"])
    entity = statistics.median(samples["entity stage (extract_entities)"])
    print(f"{'topic stage / entity stage':<34} {topic / entity:8.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
