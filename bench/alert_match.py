"""Percolator cost per article at 100, 10,000 and 100,000 subscriptions, beside the entity stage.

    .venv/bin/python bench/alert_match.py [--data DIR] [--rounds 15] [--sizes 100,10000,100000]

Articles: every wire under ``../shared/data/wires`` (Yonhap stories, © Yonhap News Agency,
development use; IPTC's NewsML and ninjs examples), read in place and never copied, parsed
and enriched in this run by the stage functions the worker runs (``streams.pipeline``,
``streams.nlp.extract_entities``).

Subscriptions are generated (seeded) from real names, two mixes printed one after the other:

- A: 45% of the first terms from these enriched wires themselves (their entities, key phrases,
  key-phrase words, IPTC topics), the rest from the shipped gazetteer (6,800 real people,
  organisations and places, with QIDs): the wires' own names make it a heavy workload, since
  every one of them is in the articles matched;
- B: first terms from the gazetteer only (most of them never in these wires).

Each query has 1-5 terms: an entity, place, phrase or keyword, then ANDed topics, urgency,
source, country or type, an OR of alternatives, NOTs; e.g. ``("extend visa" OR
entity:"Vietnam") AND topic:medtop:04000000``.

Printed in one run, both mixes side by side: per size, the matcher's cost per article (median
of rounds, CPU time: building the article's match document and percolating it, which gives the
set of ids of the subscriptions that match), its ratio to the cost at the smallest size and its
share of the entity stage's cost per article (measured on the same articles in the same run);
then the subscriptions the index reaches per article (those with a clause filed under a literal
that holds: its candidates), the verified tests it runs (phrases of three words or more,
relevance, regional languages, queries kept whole) and the matches; and the memory the largest
size takes for each mix (parsed queries, index, shared entity-variant sets; tracemalloc).
Targets (issue 11): cost at 100,000 <= 3x cost at 100; under 10% of the entity stage; 100,000
subscriptions in <= 300 MB.

Not in those figures, printed apart: what the alerts agent then does for each match at the
largest size (the once-per-story decision, ``make_alert`` with its explanation, the alert's
JSON), per article and per alert.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from corpus import YONHAP, load_articles

from schemas import EnrichedArticle, Subscription
from streams import pipeline
from streams.alerts import (
    Percolator,
    Query,
    Vocabulary,
    decide,
    default_vocabulary,
    document,
    make_alert,
    parse,
)
from streams.alerts.text import words
from streams.nlp.entities import extract_entities
from streams.nlp.gazetteer import gazetteer
from streams.nlp.model import load_model, model_tag
from streams.settings import get_settings

DEFAULT_DATA = YONHAP.parent


def timed(fn: Callable[[], object]) -> float:
    """CPU seconds (this process, all its threads) one call of ``fn`` takes.

    CPU time rather than wall time: the machine is shared, and waiting for a
    core is not the matcher's cost (nor the entity stage's).
    """
    start = time.process_time()
    fn()
    return time.process_time() - start


def enrich(folder: Path, batch_size: int) -> tuple[list[EnrichedArticle], float]:
    """Enriched articles, and the entity stage's median seconds per article over 3 rounds."""
    articles = load_articles(folder)
    settings = get_settings()
    nlp = load_model(settings.nlp_models, ner=settings.nlp_ner)
    print(f"entity model: {model_tag(nlp)}")
    inputs = [pipeline.entities_input(a) for a in articles]
    entity_lists = extract_entities(nlp, inputs, batch_size=batch_size)  # warm-up too
    rounds = [timed(lambda: extract_entities(nlp, inputs, batch_size=batch_size)) for _ in range(3)]
    now = datetime.now(UTC)
    version = pipeline.pipeline_version(model=model_tag(nlp))
    records = []
    for article, entities in zip(articles, entity_lists, strict=True):
        record = pipeline.with_entities(article, entities, pipeline_version=version, now=now)
        tagged = pipeline.tag(pipeline.topics_stage_input(record))
        records.append(
            pipeline.with_topics(
                record, tagged.topics, keywords=tagged.keywords, language=tagged.language, now=now
            )
        )
    return records, statistics.median(rounds) / max(1, len(articles))


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Generator:
    """Seeded realistic queries from the articles' and the gazetteer's real names."""

    def __init__(self, records: list[EnrichedArticle], *, rare: bool, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        self.rare = rare
        self.seen_entities = sorted({e.name for r in records for e in r.entities})
        self.phrases = sorted({k.text for r in records for k in r.keywords if len(k.text) > 3})
        # Keywords: the distinct words of the articles' key phrases, each as likely as any other.
        self.keywords = sorted({w for p in self.phrases for w in words(p) if len(w) > 3})
        self.topics = sorted({t.qcode for r in records for t in r.topics})
        self.sources = sorted({r.article.source_agency for r in records if r.article.source_agency})
        self.countries = sorted(
            {
                e.geo.country_code
                for r in records
                for e in r.entities
                if e.geo is not None and e.geo.country_code
            }
        )
        entries = gazetteer().entries
        self.known = sorted({e.name for e in entries if e.type in ("PERSON", "ORG")})
        self.places = sorted({e.name for e in entries if e.type not in ("PERSON", "ORG")})
        self.qids = sorted({e.wikidata for e in entries if e.wikidata})

    def anchor(self) -> str:
        rng = self.rng
        roll = rng.random()
        if self.rare:
            roll = 0.15 + roll * 0.55  # gazetteer people, organisations, QIDs, places only
        if roll < 0.15:
            return f"entity:{quoted(rng.choice(self.seen_entities))}"
        if roll < 0.45:
            return f"entity:{quoted(rng.choice(self.known))}"
        if roll < 0.55:
            return f"entity:{rng.choice(self.qids)}"
        if roll < 0.7:
            return f"place:{quoted(rng.choice(self.places))}"
        if roll < 0.85:
            return quoted(rng.choice(self.phrases))
        if roll < 0.95:
            return quoted(rng.choice(self.keywords))
        return f"topic:{rng.choice(self.topics)}"

    def qualifier(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            return f"topic:{rng.choice(self.topics)}"
        if roll < 0.45:
            return f"urgency<={rng.randint(1, 5)}"
        if roll < 0.55:
            return f"source:{quoted(rng.choice(self.sources))}"
        if roll < 0.65:
            return f"country:{rng.choice(self.countries)}"
        if roll < 0.75:
            return f"type:{rng.choice(['PERSON', 'ORG', 'GPE', 'EVENT'])}"
        return self.anchor()

    def query(self) -> str:
        rng = self.rng
        n = rng.choice([1, 1, 2, 2, 3, 3, 4, 5])
        parts = [self.anchor()]
        if n >= 3 and rng.random() < 0.4:  # an OR of alternatives
            parts[0] = f"({parts[0]} OR {self.anchor()})"
            n -= 1
        for _ in range(n - 1):
            term = self.qualifier()
            parts.append(f"NOT {term}" if rng.random() < 0.2 else term)
        return " AND ".join(parts)


def memory(texts: list[str], vocabulary: Vocabulary) -> int:
    """Bytes that parsing and indexing ``texts`` allocates and keeps (with a fresh
    entity-variant cache, so the shared variant sets are counted)."""
    fresh = Vocabulary(
        topic_parent=vocabulary.topic_parent,
        topic_name=vocabulary.topic_name,
        entity_variants=vocabulary.entity_variants,
    )
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    held = Percolator()
    for i, text in enumerate(texts):
        held.add(f"s{i}", parse(text, fresh))
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del held
    return after - before


@dataclass
class Row:
    per_article: float  # seconds: document + percolation, median of rounds
    build: float  # seconds to index the subscriptions
    candidates: float  # subscriptions reached per article (certain or tested)
    tests: float  # verified tests run per article
    matches: float
    alerts_per_article: float = 0.0  # seconds the agent takes to make the alerts (largest size)
    alerts: float = 0.0  # alerts made per article


def alert_cost(
    index: Percolator, texts: list[str], records: list[EnrichedArticle]
) -> tuple[float, float]:
    """CPU seconds per article the alerts agent spends on the matches (the decision for a
    first version, ``make_alert`` for each alert and its JSON), and alerts per article."""
    vocabulary = default_vocabulary()
    now = datetime.now(UTC)
    subscriptions = {
        f"s{i}": Subscription(id=f"s{i}", subscriber="bench", query=text, created_at=now)
        for i, text in enumerate(texts)
    }
    every = dict.fromkeys(subscriptions, False)
    docs = [document(r, vocabulary) for r in records]
    matches = [index.match(doc) for doc in docs]

    def make_all() -> int:
        made = 0
        for r, doc, matched in zip(records, docs, matches, strict=True):
            decision = decide(None, doc, matched, wants_updates=every, partition=0, now=now)
            for sid, kind in decision.alerts:
                query = index.get(sid)
                assert query is not None
                alert = make_alert(
                    subscriptions[sid],
                    query,
                    doc,
                    kind,
                    source_agency=r.article.source_agency,
                    pipeline_version="bench",
                    now=now,
                )
                alert.to_json()
                made += 1
        return made

    start = time.process_time()
    made = make_all()
    spent = time.process_time() - start
    return spent / len(records), made / len(records)


def measure(
    queries: list[Query], records: list[EnrichedArticle], rounds: int, texts: list[str] | None
) -> Row:
    vocabulary = default_vocabulary()
    index = Percolator()
    start = time.process_time()
    for i, query in enumerate(queries):
        index.add(f"s{i}", query)
    build = time.process_time() - start

    def run() -> None:
        for r in records:
            index.match(document(r, vocabulary))

    run()
    per_article = statistics.median(timed(run) for _ in range(rounds)) / len(records)
    docs = [document(r, vocabulary) for r in records]
    row = Row(
        per_article,
        build,
        statistics.mean(len(index.candidates(d)) for d in docs),
        statistics.mean(index.evaluations(d) for d in docs),
        statistics.mean(len(index.match(d)) for d in docs),
    )
    if texts is not None:
        row.alerts_per_article, row.alerts = alert_cost(index, texts, records)
    return row


MIXES = (
    ("A", False, "names, phrases and topics of these wires (45% of first terms) and the gazetteer"),
    ("B", True, "gazetteer people, organisations and places only"),
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of wires")
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds per size")
    parser.add_argument("--sizes", default="100,10000,100000", help="subscription counts")
    parser.add_argument("--batch-size", type=int, default=32, help="entity stage batch size")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    records, entity_per_article = enrich(args.data, args.batch_size)
    if not records:
        print(f"no articles in {args.data}", file=sys.stderr)
        return 2
    print(f"{len(records)} articles from {args.data}")
    vocabulary = default_vocabulary()
    doc_ms = (
        statistics.median(
            timed(lambda: [document(r, vocabulary) for r in records]) for _ in range(args.rounds)
        )
        / len(records)
        * 1000
    )
    print(f"entity stage (extract_entities): {entity_per_article * 1000:8.3f} ms per article")
    print(f"match document (alone):          {doc_ms:8.3f} ms per article")

    rows: dict[str, list[Row]] = {}
    memories: dict[str, int] = {}
    for name, rare, label in MIXES:
        generator = Generator(records, rare=rare)
        texts = [generator.query() for _ in range(max(sizes))]
        memories[name] = memory(texts, vocabulary)
        start = time.process_time()
        queries = [parse(text, vocabulary) for text in texts]
        parse_us = (time.process_time() - start) / len(texts) * 1e6
        print(f"\nmix {name}: {label}; parsing {parse_us:.0f} us per query, e.g.")
        for text in texts[:3]:
            print(f"  {text}")
        rows[name] = []
        for size in sizes:
            last = texts[:size] if size == max(sizes) else None
            rows[name].append(measure(queries[:size], records, args.rounds, last))
            gc.collect()

    print("\nper article, CPU time, median of rounds (document + percolation):")
    head = f"{'ms/art':>8} {'vs ' + format(sizes[0], ','):>7} {'% entity':>8}"
    print(f"  {'':>13}  " + "  |  ".join(f"{'mix ' + n:^25}" for n, _, _ in MIXES))
    print(f"  {'subscriptions':>13}  " + "  |  ".join(head for _ in MIXES))
    for i, size in enumerate(sizes):
        cells = []
        for name, _, _ in MIXES:
            row, base = rows[name][i], rows[name][0]
            cells.append(
                f"{row.per_article * 1000:>8.3f} {row.per_article / base.per_article:>6.2f}x "
                f"{row.per_article / entity_per_article * 100:>7.2f}%"
            )
        print(f"  {size:>13,}  " + "  |  ".join(cells))
    print("\nper article: subscriptions reached, verified tests run, matches; index build (CPU s):")
    head = f"{'reached':>8} {'tests':>7} {'matches':>8} {'build s':>7}"
    print(f"  {'subscriptions':>13}  " + "  |  ".join(head for _ in MIXES))
    for i, size in enumerate(sizes):
        cells = [
            f"{r.candidates:>8.1f} {r.tests:>7.1f} {r.matches:>8.1f} {r.build:>7.2f}"
            for r in (rows[name][i] for name, _, _ in MIXES)
        ]
        print(f"  {size:>13,}  " + "  |  ".join(cells))
    count = max(sizes)
    print(
        f"\nmemory for {count:,} subscriptions (parsed queries, index, entity-variant sets; "
        "tracemalloc): " + ", ".join(f"mix {n} {memories[n] / 2**20:.1f} MiB" for n, _, _ in MIXES)
    )
    print(
        f"\nnot in the figures above: the alerts agent's work on the matches at {count:,} "
        "(once-per-story decision, make_alert with its explanation, JSON), CPU time:"
    )
    for name, _, _ in MIXES:
        top = rows[name][-1]
        print(
            f"  mix {name}: {top.alerts_per_article * 1000:.1f} ms per article for "
            f"{top.alerts:.0f} alerts ({top.alerts_per_article / max(top.alerts, 1) * 1e6:.0f} "
            "us per alert)"
        )
    print("\ntargets (issue 11), at the largest size:")
    for name, _, _ in MIXES:
        top, base = rows[name][-1], rows[name][0]
        ratio = top.per_article / base.per_article
        share = top.per_article / entity_per_article * 100
        print(
            f"  mix {name}: {ratio:.2f}x the cost at {sizes[0]:,} (<= 3x: "
            f"{'met' if ratio <= 3 else 'missed'}); {share:.2f}% of the entity stage (< 10%: "
            f"{'met' if share < 10 else 'missed'}); {memories[name] / 2**20:.1f} MiB (<= 300 MB: "
            f"{'met' if memories[name] <= 300e6 else 'missed'})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
