"""Build ``streams/alerts/data/term_df.tsv``: how many news snippets each word occurs in.

The percolator anchors a subscription on its rarest required term (see
:mod:`streams.alerts.percolator`); this table says which words are rare. Run
after changing the sources below::

    .venv/bin/python -m streams.alerts.build_term_df [--data ../shared/data]

Sources, read in place from ``../shared/data`` and never copied (only word
counts are shipped):

- the four pieces of the HuffPost News Category Dataset under ``huffpost/``
  (Rishabh Misra, arXiv:2209.11429, CC BY 4.0): headline and short description.

Wikipedia's Current events items are left out on purpose: the table would then
be share-alike (CC BY-SA 4.0), like weights trained on them (see the README).
A snippet is one item (a headline and its description count as one). Words are
cut and case-folded as queries and articles are (:func:`streams.alerts.text.words`).
Words found in fewer than :data:`MIN_COUNT` snippets are left out: the reader
treats a missing word as rare. The output is deterministic (count, then word).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from streams.alerts.text import words

OUTPUT = Path(__file__).with_name("data") / "term_df.tsv"
DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
MIN_COUNT = 3

_FIELDS = ("headline", "short_description")
_SOURCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("huffpost/News_Category_Dataset_v3.first10000.jsonl", _FIELDS),
    ("huffpost/News_Category_Dataset_v2.2018-02-28_to_2018-05-01.jsonl", _FIELDS),
    ("huffpost/News_Category_Dataset_v2.fewshot_headlines_41x900.jsonl", _FIELDS),
    ("huffpost/News_Category_Dataset_v3.sports_politics_descriptions.jsonl", _FIELDS),
)


def snippets(data: Path) -> Iterator[str]:
    """The text of every item of the sources, one string per item."""
    for name, fields in _SOURCES:
        with (data / name).open(encoding="utf-8") as lines:
            for line in lines:
                if not line.strip():
                    continue
                item = json.loads(line)
                yield "\n".join(str(item.get(f) or "") for f in fields)


def count(texts: Iterator[str]) -> tuple[Counter[str], int, int]:
    """Snippets per word, the number of snippets and their words in all."""
    df: Counter[str] = Counter()
    n = total = 0
    for text in texts:
        found = words(text)
        if not found:
            continue
        n += 1
        total += len(found)
        df.update(set(found))
    return df, n, total


def render(df: Counter[str], n: int, total: int) -> str:
    rows = sorted(((c, w) for w, c in df.items() if c >= MIN_COUNT), key=lambda r: (-r[0], r[1]))
    head = [
        "# Snippets each word occurs in (built by streams/alerts/build_term_df.py, sources there)",
        f"#snippets\t{n}",
        f"#words\t{total}",
    ]
    return "\n".join(head + [f"{w}\t{c}" for c, w in rows]) + "\n"


def main(
    argv: Sequence[str] | None = None, *, prog: str = "python -m streams.alerts.build_term_df"
) -> int:
    parser = argparse.ArgumentParser(
        prog=prog, description="Build the percolator's word frequency table."
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="file to write (%(default)s)")
    args = parser.parse_args(argv)
    df, n, total = count(snippets(args.data))
    args.output.write_text(render(df, n, total), encoding="utf-8")
    print(f"{args.output}: {sum(1 for c in df.values() if c >= MIN_COUNT):,} words, {n:,} snippets")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
