"""Field-level parsing accuracy on real wires, per format, against hand-written gold.

    .venv/bin/python bench/parse_fields.py [--data DIR] [--gold FILE] [--verbose]

Sources, read in place and never copied (see ../shared/data/README.md):

* ``wires/newsmlg2``: IPTC NewsML-G2 specification examples (CC BY 4.0);
* ``wires/ninjs``: IPTC ninjs 1.4 and 3.0 examples (MIT);
* ``wires/newsml12``: NewsML 1.2 samples of AFP and Business Wire (MIT);
* ``wires/yonhap``: a Yonhap story reposted by a portal and 39 crawled Yonhap pages
  (© Yonhap News Agency, development use).

No other agency samples could be used: the public repositories that hold some
(AP, dpa, AAP, EFE, PA, ANSA, WENN files in Superdesk's tests) cannot be read in
place and must not be copied, and no pinned PyPI package ships any.

The gold (``bench/gold/parse_fields.json``) was written after reading every file:
the expected headline (its first words and a hash of the whole), the first and
last words of the body, the first dateline city, the byline, the story id, or
the code a file must be refused with. These files were also read while the
parsers were fixed, so the figures are on seen data: they show that nothing
regressed, not how well unseen agency files parse.

A field is right when: the headline matches exactly (case and spacing aside); the
first body paragraph starts, and the last ends, with the gold words; the first
dateline city (up to its first comma) equals the gold one, or both are absent;
the byline equals the gold one, or both are absent; the story id is the gold one.
"Text fields" counts a file right when headline, body start, body end and city
all are. A refusal is right when the code is the gold one. Any exception other
than a ParseError is a crash.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from schemas.article import Article
from schemas.raw import RawWire
from streams.parse import ParseError, parse_items

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "wires"
DEFAULT_GOLD = HERE / "gold" / "parse_fields.json"
RECEIVED_AT = datetime(2026, 1, 7, tzinfo=UTC)
FIELDS = ("headline", "body_start", "body_end", "city", "byline", "story_id")


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _city(article: Article) -> str | None:
    if article.dateline is None or not article.dateline.cities:
        return None
    return article.dateline.cities[0].split(",")[0].strip()


def check(article: Article, gold: dict[str, Any]) -> dict[str, bool]:
    """Which fields of ``article`` match ``gold``."""
    digest = hashlib.sha256(_norm(article.headline).encode()).hexdigest()[:16]
    city = _city(article)
    return {
        "headline": digest == gold["headline_sha256"],
        "body_start": _norm(article.body[0]).startswith(_norm(gold["body_start"])),
        "body_end": _norm(article.body[-1]).endswith(_norm(gold["body_end"])),
        "city": (city and _norm(city)) == (gold["city"] and _norm(gold["city"])),
        "byline": (article.byline and _norm(article.byline))
        == (gold["byline"] and _norm(gold["byline"])),
        "story_id": article.story_id == gold["story_id"],
    }


@dataclass
class Row:
    """The counts of one format."""

    files: int = 0
    stories: int = 0
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    text_right: int = 0
    refused_right: int = 0
    refused: int = 0
    wrong: int = 0
    crashes: int = 0


def _raw(path: Path) -> RawWire:
    content = path.read_bytes()
    return RawWire(
        wire_id="sha256:" + hashlib.sha256(content).hexdigest()[:32],
        content=content,
        source="file",
        filename=path.name,
        received_at=RECEIVED_AT,
    )


def run(data: Path, gold_files: dict[str, dict[str, Any]], *, verbose: bool) -> dict[str, Row]:
    rows: dict[str, Row] = defaultdict(Row)
    for name, gold in sorted(gold_files.items()):
        path = data / name
        family = gold.get("format") or name.split("/")[0]
        row = rows[family]
        row.files += 1
        if not path.is_file():
            print(f"missing {path}", file=sys.stderr)
            row.wrong += 1
            continue
        try:
            articles = parse_items(_raw(path))
        except ParseError as exc:
            row.refused += 1
            ok = exc.code == gold.get("refused")
            row.refused_right += ok
            row.wrong += not ok
            print(f"{'refused' if ok else 'WRONG refusal'} {name}: [{exc.code}] {exc.message}")
            continue
        except Exception as exc:  # a crash is a finding of this check, not the end of it
            row.crashes += 1
            print(f"CRASH {name}: {type(exc).__name__}: {exc}")
            continue
        if "refused" in gold:
            row.wrong += 1
            print(f"WRONG {name}: parsed, but gold says refuse with {gold['refused']}")
            continue
        row.stories += 1
        result = check(articles[0], gold)
        for key, ok in result.items():
            row.right[key] += ok
        text_ok = all(result[k] for k in ("headline", "body_start", "body_end", "city"))
        row.text_right += text_ok
        if verbose or not all(result.values()):
            missed = ", ".join(k for k, ok in result.items() if not ok) or "all right"
            print(f"{name} [{articles[0].source_format}]: {missed}")
    return rows


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def report(rows: dict[str, Row]) -> str:
    head = f"{'format':<14}{'files':>6}{'stories':>8}" + "".join(f"{k:>11}" for k in FIELDS)
    lines = [head + f"{'text 4/4':>10}{'refused ok':>12}{'crashes':>9}", "-" * (len(head) + 31)]
    total = Row()
    for name, row in sorted(rows.items()):
        total.files += row.files
        total.stories += row.stories
        total.text_right += row.text_right
        total.refused += row.refused
        total.refused_right += row.refused_right
        total.crashes += row.crashes
        for key in FIELDS:
            total.right[key] += row.right[key]
        lines.append(_line(name, row))
    lines.append("-" * (len(head) + 31))
    lines.append(_line("total", total))
    return "\n".join(lines)


def _line(name: str, row: Row) -> str:
    cells = "".join(f"{_pct(row.right[k], row.stories):>11}" for k in FIELDS)
    refused = f"{row.refused_right}/{row.refused}"
    return (
        f"{name:<14}{row.files:>6}{row.stories:>8}{cells}"
        f"{_pct(row.text_right, row.stories):>10}{refused:>12}{row.crashes:>9}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the wires folder")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="the gold JSON")
    parser.add_argument("--verbose", action="store_true", help="a line for every file")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"{args.data} is not a folder: give the shared wires with --data")
    gold_files: dict[str, dict[str, Any]] = json.loads(args.gold.read_text("utf-8"))["files"]
    rows = run(args.data, gold_files, verbose=args.verbose)
    print()
    print(f"Real wires in {args.data} against {args.gold.name} (seen data: see --help)")
    print(report(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
