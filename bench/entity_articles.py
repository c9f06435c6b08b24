"""Article-level accuracy of the entity stage: canonical entity set F1 and the top-5 check.

    .venv/bin/python bench/entity_articles.py [--verbose] [--data DIR] [--ner NAME]

Gold annotations, written by us by reading each story:

- ``tests/nlp/fixtures/*.json``: our invented stories (text and gold together);
- ``bench/gold/yonhap.json``: entity names (no text) for Yonhap English stories
  in ``../shared/data/wires/yonhap`` (© Yonhap News Agency, development use),
  read in place and never copied into the project;
- ``bench/gold/agencies.json``: the same for the other agencies' English sample wires
  in ``../shared/data/wires`` (AAP's ninjs, AP's ninjs example, AFP's NewsML 1.2, a
  Business Wire release, an IPTC NewsML-G2 sports preview), annotated by a reader who
  had not seen the system's output on them (the ``agencies`` set).

Each story goes through the real entity stage (``load_model`` + ``extract_entities``).
A predicted entity of kind person, organisation, place or event matches a gold
entity when their names (or a gold alias) have the same name key (case, accents,
hyphens, periods aside). Precision, recall and F1 are micro-averaged over the
stories. Top-5: each gold *central* entity must be among the story's five most
relevant entities. Figures are printed per gold set and overall.

The Yonhap gold is split: ``yonhap-dev`` stories are the ones rules were developed
on; ``yonhap-test`` stories were annotated first and only reported on;
``yonhap-holdout`` stories (round three: tables, weather and two later versions)
were annotated before the system's output on them was read.

Two views of the same matches:

- *entity set* (the headline figures): a predicted person, organisation, place or
  event counts when its name matches a gold entity, whatever its kind;
- *by kind* (strict): it counts for its kind only when the gold gives that kind; a
  match of the wrong kind is a false positive of the predicted kind and a miss of
  the gold one. Gold entities of kind ``other`` (products such as "Maybach", works,
  indexes, laws) are never missed: they are there to count a prediction of one of
  the four kinds as false.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from schemas import Entity
from streams.ingest.sources import iter_inputs, to_raw
from streams.nlp.canonical import name_key
from streams.nlp.cues import common_words
from streams.nlp.entities import (
    NAMED_LABELS,
    EntityInput,
    entity_input,
    extract_entities,
    group_mentions,
)
from streams.nlp.mentions import spans_of
from streams.nlp.model import load_model
from streams.pipeline import entities_input, parse
from streams.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "nlp" / "fixtures"
GOLD = ROOT / "bench" / "gold" / "yonhap.json"
#: Other agencies' wires in ../shared/data/wires (paths relative to that folder).
AGENCIES_GOLD = ROOT / "bench" / "gold" / "agencies.json"
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wires" / "yonhap"
KINDS: tuple[str, ...] = ("person", "organisation", "place", "event")
GROUPS: tuple[str, ...] = (
    "fixtures",
    "yonhap-dev",
    "yonhap-test",
    "yonhap-holdout",
    "yonhap",
    "agencies",
    "all",
)


@dataclass
class Case:
    id: str
    source: str
    text: EntityInput
    gold: list[dict[str, Any]]
    central: list[str]


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [tp, fp, fn]
    central: int = 0
    central_top5: int = 0
    stories: int = 0
    stories_top5: int = 0
    misses: list[str] = field(default_factory=list)

    def f1(self) -> tuple[float, float, float]:
        return _prf(self.tp, self.fp, self.fn)

    def count(self, kind: str, column: int) -> None:
        self.by_kind.setdefault(kind, [0, 0, 0])[column] += 1


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _crawl_text(path: Path) -> EntityInput | None:
    """Headline and body of a crawled Yonhap Markdown page, for when no parser reads it."""
    raw = path.read_text(encoding="utf-8")
    title = re.search(r'^title: "(.*)"$', raw, re.M)
    parts = raw.split("\n---\n")
    if title is None or len(parts) < 3:
        return None
    body = html.unescape(parts[2]).strip()
    dateline = re.search(r"([A-Z][A-Z/ ]+), \w+\.? \d+ \(Yonhap\) -- ", body)
    cities: list[str] = []
    if dateline:
        cities = [c.strip() for c in dateline.group(1).split("/")]
        body = body[dateline.end() :]
    body = re.sub(r"\s*\S+@yna\.co\.kr.*$", "", body, flags=re.S).replace("(END)", "").strip()
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    return entity_input(
        headline=html.unescape(title.group(1)), paragraphs=paragraphs, dateline=cities
    )


def _wire_text(path: Path) -> EntityInput | None:
    now = datetime.now(UTC)
    for item in iter_inputs([str(path)], max_bytes=get_settings().max_wire_bytes):
        try:
            articles = parse(to_raw(item, format_hint=None, now=now))
        except Exception:  # a parser still in the works must not stop the bench
            return None
        if articles and not articles[0].headline.startswith("id:"):
            article = articles[0]
            base = entities_input(article)
            cities = article.dateline.cities if article.dateline else []
            return EntityInput(base.headline, base.body, base.language, tuple(cities))
    return None


def cases(data: Path) -> list[tuple[str, Case]]:
    out: list[tuple[str, Case]] = []
    for path in sorted(FIXTURES.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        text = entity_input(
            headline=raw["headline"], paragraphs=raw["paragraphs"], dateline=raw.get("dateline", [])
        )
        gold = raw["gold"]
        out.append(
            ("fixtures", Case(raw["id"], path.name, text, gold["entities"], gold["central"]))
        )
    golds = [(GOLD, data, "yonhap-"), (AGENCIES_GOLD, data.parent, "")]
    for gold_file, folder, prefix in golds:
        if not gold_file.exists():
            continue
        for story in json.loads(gold_file.read_text(encoding="utf-8"))["stories"]:
            path = folder / story["file"]
            if not path.exists():
                print(f"skipped (not found): {path}", file=sys.stderr)
                continue
            loaded = _wire_text(path) or _crawl_text(path)
            if loaded is None:
                print(f"skipped (unreadable): {path}", file=sys.stderr)
                continue
            entities = [{"name": e} if isinstance(e, str) else e for e in story["entities"]]
            group = f"{prefix}{story.get('split', 'dev')}"
            out.append(
                (group, Case(story["file"], story["file"], loaded, entities, story["central"]))
            )
    return out


def _keys(gold: dict[str, Any]) -> set[str]:
    return {name_key(n) for n in [gold["name"], *gold.get("aliases", [])]}


def _match(entity: Entity, gold: Sequence[dict[str, Any]]) -> int | None:
    forms = {name_key(entity.name)} | {name_key(f) for f in entity.surface_forms}
    for i, g in enumerate(gold):
        if name_key(entity.name) in _keys(g):
            return i
    for i, g in enumerate(gold):
        if forms & _keys(g):
            return i
    return None


def _kinds(gold: dict[str, Any]) -> list[str]:
    """The kinds a gold entity may have (none given: any of the four)."""
    kind = gold.get("type")
    if kind is None:
        return list(KINDS)
    return [kind] if isinstance(kind, str) else list(kind)


def _counted(gold: dict[str, Any]) -> bool:
    """Whether missing the gold entity is an error: not optional, and of a scored kind."""
    return not gold.get("optional") and any(k in KINDS for k in _kinds(gold))


def score(case: Case, entities: list[Entity], tally: Tally) -> None:
    predicted = [e for e in entities if e.kind in KINDS]
    matched: set[int] = set()
    for e in predicted:
        i = _match(e, case.gold)
        if i is not None and case.gold[i].get("optional"):
            continue
        if i is None or i in matched or not _counted(case.gold[i]):
            tally.fp += 1
            tally.count(e.kind, 1)
            what = "" if i is None or i in matched else f" (gold: {_kinds(case.gold[i])[0]})"
            tally.misses.append(f"{case.id}: extra {e.kind} {e.name!r}{what}")
            continue
        matched.add(i)
        tally.tp += 1
        gold_kinds = _kinds(case.gold[i])
        if e.kind in gold_kinds:
            tally.count(e.kind, 0)
        else:
            tally.count(e.kind, 1)
            tally.count(gold_kinds[0], 2)
            tally.misses.append(f"{case.id}: {e.name!r} is {gold_kinds[0]}, not {e.kind}")
    for i, g in enumerate(case.gold):
        if i not in matched and _counted(g):
            tally.fn += 1
            tally.count(_kinds(g)[0], 2)
            tally.misses.append(f"{case.id}: missed {_kinds(g)[0]} {g['name']!r}")
    top5 = entities[:5]
    ok = True
    for name in case.central:
        g = next(g for g in case.gold if g["name"] == name)
        hit = any(_match(e, [g]) == 0 for e in top5)
        tally.central += 1
        tally.central_top5 += hit
        if not hit:
            ok = False
            tally.misses.append(
                f"{case.id}: central {name!r} not in top 5 ({', '.join(e.name for e in top5)})"
            )
    tally.stories += 1
    tally.stories_top5 += ok


def _grouping_time(nlp: Any, texts: list[EntityInput], *, rounds: int = 5) -> float:
    lexicon = common_words(nlp)
    """Median time per article of the work after the model (spans to entities)."""
    spans = []
    for text in texts:
        head, body = nlp(text.headline), nlp(text.body)
        found = spans_of(head, "headline", NAMED_LABELS, lexicon=lexicon) + spans_of(
            body, "body", NAMED_LABELS, lexicon=lexicon
        )
        spans.append((found, text))
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for found, text in spans:
            group_mentions(
                found,
                body=text.body,
                headline=text.headline,
                dateline=text.dateline,
                lexicon=lexicon,
            )
        times.append((time.perf_counter() - start) * 1000 / max(len(spans), 1))
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Yonhap wires folder")
    parser.add_argument("--ner", default=None, help="shipped NER to use ('none': spaCy alone)")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)

    settings = get_settings()
    nlp = load_model(settings.nlp_models, ner=args.ner or settings.nlp_ner)
    all_cases = cases(args.data)
    results = extract_entities(nlp, [c.text for _, c in all_cases])
    grouping_ms = _grouping_time(nlp, [c.text for _, c in all_cases])
    tallies: dict[str, Tally] = {}
    for (group, case), entities in zip(all_cases, results, strict=True):
        keys = [group, "all"] + (["yonhap"] if group.startswith("yonhap") else [])
        for key in keys:
            score(case, entities, tallies.setdefault(key, Tally()))
    print("entity set (name matches, any kind):")
    header = ("gold set", "stories", "P", "R", "F1", "central@5", "stories@5")
    print("{:<12} {:>7} {:>6} {:>6} {:>6} {:>10} {:>10}".format(*header))
    for key in GROUPS:
        if key not in tallies:
            continue
        t = tallies[key]
        p, r, f = t.f1()
        print(
            f"{key:<12} {t.stories:>7} {p:>6.3f} {r:>6.3f} {f:>6.3f} "
            f"{t.central_top5:>4}/{t.central:<5} {t.stories_top5:>4}/{t.stories:<5}"
        )
    print("\nby kind (strict: the kind must match too), P / R / F1 (tp fp fn):")
    print(f"{'gold set':<12} " + " ".join(f"{k:>26}" for k in KINDS))
    for key in GROUPS:
        if key not in tallies:
            continue
        cells = []
        for kind in KINDS:
            tp, fp, fn = tallies[key].by_kind.get(kind, [0, 0, 0])
            p, r, f = _prf(tp, fp, fn)
            cells.append(f"{p:.3f} {r:.3f} {f:.3f} ({tp:>3} {fp:>2} {fn:>2})")
        print(f"{key:<12} " + " ".join(f"{c:>26}" for c in cells))
    print(f"\ngrouping, linking and scoring (no model): {grouping_ms:.2f} ms/article")
    if args.verbose:
        for key in ("fixtures", "yonhap-dev", "yonhap-test", "yonhap-holdout", "agencies"):
            for line in tallies.get(key, Tally()).misses:
                print(f"  [{key}] {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
