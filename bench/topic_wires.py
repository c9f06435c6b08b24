"""Topic accuracy on real wire copy: the Yonhap English stories, labelled by us.

    .venv/bin/python bench/topic_wires.py [--data DIR] [--labels bench/yonhap_topics.tsv] [--show]

Stories: the foundation article and the 39 crawled Yonhap stories in
``../shared/data/wires/yonhap`` (© Yonhap News Agency, development use; read in place
and parsed by Wirestream's own parsers, never copied). Labels: ``yonhap_topics.tsv``
beside this script, our own reading of each story (file name -> acceptable IPTC
level-1 topics). Wire stories are far longer than the HuffPost texts the model is
trained on, so this is the check that the length-robust features work.

Note: these labels were looked at while choosing the blend of model and lexicon, so
the figure is a development figure, not a held-out one.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from streams.classify import classify_lexicon, topic_names
from streams.classify.model import classify
from streams.eval.topics import LabelledText, evaluate, format_report
from streams.ingest.sources import iter_inputs, to_raw
from streams.pipeline import parse

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parents[1] / "shared" / "data" / "wires" / "yonhap"
DEFAULT_LABELS = HERE / "yonhap_topics.tsv"


def read_labels(path: Path) -> dict[str, tuple[str, ...]]:
    labels: dict[str, tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, *codes = line.split("\t")
            labels[name] = tuple(codes)
    return labels


def labelled_stories(data: Path, labels: dict[str, tuple[str, ...]]) -> list[LabelledText]:
    """One item per labelled file; the label is the file name (its topics are in the mapping)."""
    now = datetime.now(UTC)
    out: list[LabelledText] = []
    for name in labels:
        for item in iter_inputs([str(data / name)], max_bytes=1 << 20):
            for article in parse(to_raw(item, format_hint=None, now=now))[:1]:
                out.append(LabelledText(article.headline, "\n\n".join(article.body), name))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Yonhap folder")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="labels file")
    parser.add_argument("--show", action="store_true", help="print each story's top topics")
    args = parser.parse_args(argv)
    labels = read_labels(args.labels)
    items = labelled_stories(args.data, labels)
    if not items:
        print(f"no labelled stories found in {args.data}", file=sys.stderr)
        return 2
    names = topic_names()

    def model_top(item: LabelledText) -> str | None:
        tags = classify(headline=item.headline, body=item.body, top_k=1, min_relevance=0)
        return tags[0].qcode if tags else None

    def lexicon_top(item: LabelledText) -> str | None:
        tags = classify_lexicon(headline=item.headline, body=item.body, top_k=1, min_relevance=0)
        return tags[0].qcode if tags else None

    model_report, _ = evaluate(items, labels, model_top)
    lexicon_report, _ = evaluate(items, labels, lexicon_top)
    print(f"{len(items)} Yonhap stories from {args.data}, labels {args.labels.name}")
    reports = {"model": model_report, "lexicon": lexicon_report}
    text = format_report(reports, names=names, mapping=labels)
    print(text.split("\n\nconfusion")[0])
    if args.show:
        for item in items:
            tags = classify(headline=item.headline, body=item.body)
            ok = "ok " if tags and tags[0].qcode in labels[item.label] else "XX "
            shown = ", ".join(f"{t.name} {t.relevance}/{t.confidence}" for t in tags)
            print(f"{ok}{item.headline[:60]:<60} {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
