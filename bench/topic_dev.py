"""Topic model selection figures in one run: our dev set, Yonhap wires, HuffPost held-out.

    .venv/bin/python bench/topic_dev.py [--model PATH] [--heldout PATH] [--show-misses]

- dev set: ``topics_dev.jsonl`` beside this script, 74 short news items we wrote ourselves
  (invented, wire style, balanced over economy, science and technology, sport, politics,
  conflict, crime, health and arts; labels in ``topics_dev_mapping.toml``). Written before
  the model was tuned and used only to choose between candidate models;
- Yonhap: the 40 English stories of ``topic_wires.py`` (read in place from
  ``../shared/data/wires/yonhap``, never copied), against ``yonhap_topics.tsv``;
- Reuters sample: the 120 CoNLL-2003 ``eng.train`` stories (Reuters 1996-97, read in place
  from ``../shared/data/conll2003``, never copied) that the training script keeps out of its
  pseudo-labelled wire data, against our labels in ``conll_topics_sample.tsv``;
- HuffPost held-out (only with ``--heldout``): the seeded split that
  ``wirestream train topics --heldout-dir DIR`` writes and never trains on,
  scored with ``streams/classify/data/huffpost_iptc.toml``.

``--model`` scores a candidate model file instead of the packaged one, so a model can be
compared before it replaces ``streams/classify/data/topic_model.npz``. Top-1 accuracy of the
model (and of the lexicon baseline) is printed per set.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from streams.classify import classify_lexicon, topic_names
from streams.classify.mapping import load_mapping
from streams.classify.model import TopicModel, classify, load_model, read_model
from streams.classify.training.corpus import lead
from streams.classify.training.sources import DEFAULT_CONLL, load_conll
from streams.eval.topics import LabelledText, TopicReport, evaluate, read_labelled

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from topic_wires import DEFAULT_DATA, DEFAULT_LABELS, labelled_stories, read_labels  # noqa: E402

CONLL_SAMPLE = HERE / "conll_topics_sample.tsv"
DEV = HERE / "topics_dev.jsonl"
DEV_MAPPING = HERE / "topics_dev_mapping.toml"
HUFFPOST_MAPPING = HERE.parent / "streams" / "classify" / "data" / "huffpost_iptc.toml"


def reports(
    items: Sequence[LabelledText], mapping: dict[str, tuple[str, ...]], model: TopicModel
) -> tuple[TopicReport, TopicReport]:
    def model_top(item: LabelledText) -> str | None:
        tags = classify(
            headline=item.headline, body=item.body, top_k=1, min_relevance=0, model=model
        )
        return tags[0].qcode if tags else None

    def lexicon_top(item: LabelledText) -> str | None:
        tags = classify_lexicon(headline=item.headline, body=item.body, top_k=1, min_relevance=0)
        return tags[0].qcode if tags else None

    return evaluate(items, mapping, model_top)[0], evaluate(items, mapping, lexicon_top)[0]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--model", type=Path, default=None, help="model file (default: packaged)")
    parser.add_argument("--heldout", type=Path, default=None, help="HuffPost held-out JSON lines")
    parser.add_argument("--show-misses", action="store_true", help="print each miss of the model")
    args = parser.parse_args(argv)
    model = read_model(args.model) if args.model else load_model()
    names = topic_names()
    sets: list[tuple[str, list[LabelledText], dict[str, tuple[str, ...]]]] = [
        ("dev (ours)", read_labelled(DEV), load_mapping(DEV_MAPPING))
    ]
    yonhap_labels = read_labels(DEFAULT_LABELS)
    yonhap = labelled_stories(DEFAULT_DATA, yonhap_labels)
    if yonhap:
        sets.append(("Yonhap wires", yonhap, yonhap_labels))
    if DEFAULT_CONLL.is_file():
        sample = read_labels(CONLL_SAMPLE)
        stories = load_conll(DEFAULT_CONLL, n_topics=len(names))
        reuters = [
            LabelledText(stories[int(doc)].headline, stories[int(doc)].body, doc) for doc in sample
        ]
        sets.append(("Reuters sample", reuters, sample))
        # Headline and first two sentences: the length of a news feed item (AG News style).
        shorts = {doc: lead(stories[int(doc)]) for doc in sample}
        leads = [LabelledText(d.headline, d.body, doc) for doc, d in shorts.items()]
        sets.append(("Reuters leads", leads, sample))
    if args.heldout:
        sets.append(
            ("HuffPost held-out", read_labelled(args.heldout), load_mapping(HUFFPOST_MAPPING))
        )
    print(f"model {model.version}")
    print(f"{'set':<20} {'n':>5} {'model':>7} {'lexicon':>8} {'macro-F1':>9}")
    for name, items, mapping in sets:
        model_report, lexicon_report = reports(items, mapping, model)
        print(
            f"{name:<20} {model_report.total:>5} {model_report.accuracy:>7.3f} "
            f"{lexicon_report.accuracy:>8.3f} {model_report.macro_f1:>9.3f}"
        )
        rows = []
        for label, row in sorted(model_report.confusion.items()):
            n = sum(row.values())
            ok = sum(row[q] for q in mapping.get(label, ()))
            if n >= 5:
                rows.append(f"{label[:14]} {ok / n:.2f}")
        if rows:
            print("    " + ", ".join(rows))
        if args.show_misses:
            for item in items:
                tags = classify(
                    headline=item.headline,
                    body=item.body,
                    top_k=2,
                    min_relevance=0,
                    level2=False,
                    model=model,
                )
                if not tags or tags[0].qcode not in mapping.get(item.label, ()):
                    got = ", ".join(f"{names[t.qcode][:12]} {t.confidence}" for t in tags)
                    print(f"    miss [{item.label[:14]}] {item.headline[:70]!r}: {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
