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
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from streams.errors import WirestreamError
from streams.ingest.sources import iter_inputs, to_raw
from streams.nlp.entities import EntityInput, extract_entities
from streams.nlp.model import BARE, load_model, model_tag
from streams.pipeline import entities_input, parse
from streams.settings import get_settings

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wires" / "yonhap"


def articles(folder: Path) -> list[EntityInput]:
    now = datetime.now(UTC)
    out: list[EntityInput] = []
    for item in iter_inputs([str(folder)], max_bytes=get_settings().max_wire_bytes):
        if item.content is None:
            continue
        try:
            parsed = parse(to_raw(item, format_hint=None, now=now))
        except WirestreamError as exc:
            print(f"skipped {item.name}: {exc}", file=sys.stderr)
            continue
        out.extend(entities_input(article) for article in parsed)
    return out


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


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
    ours = load_model(names)
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
