"""Time per article of Wirestream's entity stage against the bare spaCy model, in one run.

    .venv/bin/python bench/entity_speed.py [--data DIR] [--rounds 5] [--batch-size 32]

Articles: the Yonhap English stories in ``../shared/data/wires/yonhap`` (the portal repost
and the 39 crawled stories; © Yonhap News Agency, development use, read in place and never
copied), parsed by Wirestream's own parsers. Each article is two texts, headline and body,
exactly what the entity stage feeds the model.

- wirestream: ``extract_entities`` with the shipped pipeline (``load_model``: the spaCy
  model's NER + the shipped CoNLL NER + the merge), i.e. the whole entity stage.
- bare model: ``nlp.pipe`` of the installed spaCy package loaded as published, every
  component (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner), on the same texts.

Rounds are interleaved so both see the same machine load; the median round is reported.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

from corpus import YONHAP, load_articles, timed

from streams.nlp.entities import EntityInput, extract_entities
from streams.nlp.model import BARE, load_model, model_tag
from streams.pipeline import entities_input
from streams.settings import get_settings

DEFAULT_DATA = YONHAP


def articles(folder: Path) -> list[EntityInput]:
    return [entities_input(article) for article in load_articles(folder)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of wires")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of each")
    parser.add_argument("--batch-size", type=int, default=32, help="nlp.pipe batch size")
    args = parser.parse_args(argv)

    inputs = articles(args.data)
    if not inputs:
        print(f"no articles in {args.data}", file=sys.stderr)
        return 2
    texts = [t for item in inputs for t in (item.headline, item.body)]
    names = get_settings().nlp_models
    ours = load_model(names, ner=get_settings().nlp_ner)
    bare = load_model(names, ner_only=False, ner=BARE)
    n_words = sum(len(t.split()) for t in texts)
    print(f"{len(inputs)} articles ({n_words:,} words) from {args.data}")
    print(f"wirestream: {model_tag(ours)}  pipes {ours.pipe_names}")
    print(f"bare model: {model_tag(bare)}  pipes {bare.pipe_names}")

    def run_ours() -> None:
        extract_entities(ours, inputs, batch_size=args.batch_size)

    def run_bare() -> None:
        for _ in bare.pipe(texts, batch_size=args.batch_size):
            pass

    run_ours()  # warm-up: first calls allocate
    run_bare()
    ours_s: list[float] = []
    bare_s: list[float] = []
    for _ in range(args.rounds):
        ours_s.append(timed(run_ours))
        bare_s.append(timed(run_bare))
    per = 1000 / len(inputs)
    o, b = statistics.median(ours_s) * per, statistics.median(bare_s) * per
    print(f"rounds: {args.rounds} (median)")
    print(f"wirestream entity stage   {o:8.2f} ms/article")
    print(f"bare model nlp.pipe       {b:8.2f} ms/article")
    print(f"ratio                     {o / b:8.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
