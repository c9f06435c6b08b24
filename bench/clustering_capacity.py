"""How many workers the one ``wires.clustering`` partition serves before it is the bottleneck.

    .venv/bin/python bench/clustering_capacity.py [--articles 1000] [--source huffpost|conll]
                                                   [--store memory|rocksdb]

Every record goes to ``wires.clustering`` under one key, so one agent instance assigns every
cluster (:mod:`streams.agents.clusters`). This script times, in one run and on the same
articles, that partition's work per article beside the NLP one worker process does per
article, and prints their ratio: the number of NLP worker processes one clustering partition
keeps up with.

Articles, read in place from ``../shared/data`` and never copied:

* ``--source huffpost`` (default): the HuffPost News Category Dataset v3, first 10,000 records
  (Rishabh Misra, arXiv:2209.11429, CC BY 4.0), ``huffpost/News_Category_Dataset_v3.
  first10000.jsonl``. Each record becomes a plain-text wire: the headline, then the short
  description as the one paragraph. The first ``--articles`` records with a description are
  measured; the next ``cluster_max_stories`` (5,000) fill the index beforehand. These are short
  articles (a headline and one or two sentences), so their NLP is faster than a full wire's:
  the capacity printed is lower than with full-length stories.
* ``--source conll``: the CoNLL-2003 ``eng.train`` then ``eng.testa`` documents (Reuters
  1996-97, full-length, tokenised text; research terms, never redistributed) are measured,
  as ``bench/pipeline.py`` builds them; the index is still filled from HuffPost records.

Both are parsed by Wirestream's own text parser. Article times are set one second apart
(filling stories first), so the index is full at ``cluster_max_stories`` inside its window and
every measured new story evicts the oldest, as in a busy newsroom.

What is timed, per article:

1. **Clusters stage on its one partition**, as :mod:`streams.agents.clusters` does it, in
   transactions of ``batch_size`` articles (the worker's batches): decoding the
   ``wires.clustering`` record (``EnrichedArticle.model_validate_json``) and its cluster input;
   the hand-off of the batch to the process pool and back (pickling inputs and fingerprints);
   ``ClusterIndex.assign`` over the agent's own ``TxStore`` bound to a ``streams.outbox.Tx``
   on a ``streams.state.Table`` (memory, or RocksDB with ``--store rocksdb``, the worker's
   default), eviction included; the output record (``with_cluster(...).to_json()``,
   ``tx.send``); and per transaction ``tx.changes()`` (the changelog records) and applying
   them to the table, as a commit does. The fingerprint (``streams.pool._worker_fingerprints``)
   runs in the pool, so it is timed apart: "index only" is what the partition's agent does,
   "index + fingerprint" what it would cost if that worker's pool also had to fingerprint
   every article.
2. **NLP of one worker process**: the entities stage (``streams.pool._worker_entities``) then
   tagging (``streams.pool._worker_topics``), in batches of ``batch_size``, run in one process
   of a ``streams.pool.StagePool`` (spawned, the model loaded by its initializer as in the
   worker). This process never loads the model, as the clusters agent's process does not:
   a model in the same heap would slow its garbage collections and so the index.

Out of scope (caveats printed with the figures): the broker. A real transaction also costs
its round trips (add partitions, send offsets, commit) and every record's produce and
consume; those are per batch or asynchronous, not measured here. The machine is shared, so
figures move between runs; the ratio is measured side by side to lessen that.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import pickle
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tqdm import tqdm

from schemas import Article, EnrichedArticle, RawWire
from streams import pipeline, pool
from streams.agents.clusters import TABLE, TxStore
from streams.cluster import ClusterIndex, Fingerprint
from streams.eval.ner import read_conll
from streams.ingest import wire_id
from streams.outbox import Stage, Tx
from streams.settings import get_settings
from streams.state import StoreKind, Table
from streams.topology import CLUSTERING, ENRICHED

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
HUFFPOST = DATA / "huffpost" / "News_Category_Dataset_v3.first10000.jsonl"
CONLL = DATA / "conll2003"

#: Article time of the first story put in the index; the rest follow one second apart.
T0 = datetime(2026, 3, 4, 0, 0, tzinfo=UTC)


# --- articles ------------------------------------------------------------------


def articles_from_texts(texts: Sequence[tuple[str, str]]) -> list[Article]:
    """Articles of (headline, body) pairs, each parsed as a plain-text wire."""
    now = datetime.now(UTC)
    out: list[Article] = []
    for headline, body in texts:
        content = f"{headline}\n\n{body}\n".encode()
        raw = RawWire(
            wire_id=wire_id(content),
            content=content,
            source="bench",
            format_hint="text",
            received_at=now,
        )
        out.extend(pipeline.parse(raw))
    return out


def huffpost_texts(path: Path = HUFFPOST) -> Iterator[tuple[str, str]]:
    """(headline, short description) of every record that has both."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            headline = str(record.get("headline", "")).strip()
            body = str(record.get("short_description", "")).strip()
            if headline and body:
                yield headline, body


def conll_texts(folder: Path = CONLL) -> Iterator[tuple[str, str]]:
    """(first sentence, the other sentences as paragraphs) of every CoNLL document."""
    for name in ("eng.train", "eng.testa"):
        for document in read_conll(folder / name):
            lines = [sentence.text for sentence in document.sentences]
            if len(lines) >= 2:
                yield lines[0], "\n\n".join(lines[1:])


# --- the figures ---------------------------------------------------------------


@dataclass
class ClusterTimes:
    """Seconds spent on the clustering partition, summed over the measured articles."""

    articles: int
    transactions: int
    decode: float
    handoff: float
    fingerprint: float
    assign: float
    emit: float
    commit: float
    evicted: int
    matched: int
    index_size: int

    @property
    def index_only(self) -> float:
        return self.decode + self.handoff + self.assign + self.emit + self.commit

    @property
    def index_rate(self) -> float:
        """Articles per second the partition's agent carries (fingerprints in the pool)."""
        return self.articles / self.index_only

    @property
    def with_fingerprint_rate(self) -> float:
        """Articles per second if the fingerprints were computed on the same worker too."""
        return self.articles / (self.index_only + self.fingerprint)


@dataclass
class NlpTimes:
    """Seconds one worker process spends on the NLP stages, summed over the articles."""

    articles: int
    model: str
    entities: float
    tagging: float

    @property
    def rate(self) -> float:
        return self.articles / (self.entities + self.tagging)


@dataclass
class Figures:
    clusters: ClusterTimes
    nlp: NlpTimes

    @property
    def capacity(self) -> float:
        """NLP worker processes one clustering partition serves (fingerprints in the pool)."""
        return self.clusters.index_rate / self.nlp.rate

    @property
    def capacity_with_fingerprint(self) -> float:
        return self.clusters.with_fingerprint_rate / self.nlp.rate


def _batches(n: int, size: int) -> Iterator[range]:
    for start in range(0, n, size):
        yield range(start, min(start + size, n))


async def _nlp_in_pool(
    articles: Sequence[Article],
    *,
    batch_size: int,
    models: Sequence[str],
    ner: str,
    progress: bool,
) -> tuple[NlpTimes, list[bytes]]:
    stage_pool = pool.StagePool(models=models, ner=ner, processes=1)
    try:
        model = await stage_pool.start()  # the worker's initializer loads the model
        now = datetime.now(UTC)
        # Warm-up: the first calls load the tagger's models and allocate.
        warm = await stage_pool.entities([pipeline.entities_input(a) for a in articles[:2]])
        await stage_pool.topics(
            [
                pipeline.topics_stage_input(
                    pipeline.with_entities(a, e, pipeline_version="bench", now=now)
                )
                for a, e in zip(articles[:2], warm, strict=True)
            ]
        )
        entities_s = tagging_s = 0.0
        records: list[bytes] = []
        bar = tqdm(total=len(articles), desc="NLP", unit="article", disable=not progress)
        for batch in _batches(len(articles), batch_size):
            group = [articles[i] for i in batch]
            inputs = [pipeline.entities_input(a) for a in group]
            start = time.perf_counter()
            found = await stage_pool.entities(inputs)
            entities_s += time.perf_counter() - start
            enriched = [
                pipeline.with_entities(a, e, pipeline_version="bench", now=now)
                for a, e in zip(group, found, strict=True)
            ]
            topics_in = [pipeline.topics_stage_input(e) for e in enriched]
            start = time.perf_counter()
            results = await stage_pool.topics(topics_in)
            tagging_s += time.perf_counter() - start
            for e, r in zip(enriched, results, strict=True):
                tagged = pipeline.with_topics(
                    e, r.topics, keywords=r.keywords, language=r.language, now=now
                )
                records.append(tagged.to_json())
            bar.update(len(group))
        bar.close()
    finally:
        stage_pool.close()
    return NlpTimes(len(articles), model, entities_s, tagging_s), records


def measure_nlp(
    articles: Sequence[Article],
    *,
    batch_size: int,
    models: Sequence[str],
    ner: str,
    progress: bool = False,
) -> tuple[NlpTimes, list[bytes]]:
    """Time entities then tagging in one pool worker process, started and loaded as the
    worker's ``StagePool`` does it (so this process never holds the model, as the clusters
    agent's process does not); returns the times and the articles' ``wires.clustering``
    records (JSON). The times are the pool calls' round trips: the pickling to and from the
    worker process is in them (under 1% of the NLP)."""
    return asyncio.run(
        _nlp_in_pool(articles, batch_size=batch_size, models=models, ner=ner, progress=progress)
    )


def _table(store: StoreKind, directory: Path | None) -> Table:
    return Table(TABLE, changelog=f"{TABLE}-changelog", directory=directory, store=store)


def _commit(tx: Tx, table: Table) -> None:
    """What a commit does locally: the changelog records, then the table updated."""
    table.apply(tx.partition, tx.changes().get(TABLE, []))


def measure_clusters(
    records: Sequence[bytes],
    filling: Sequence[Article],
    *,
    batch_size: int,
    max_stories: int,
    window: timedelta,
    store: StoreKind = "memory",
    directory: Path | None = None,
    progress: bool = False,
) -> ClusterTimes:
    """Time the clusters stage on its partition over ``records`` (``wires.clustering`` JSON),
    the index first filled with ``filling``."""
    table = _table(store, directory)
    stage = Stage("clusters", frozenset({CLUSTERING.name}), {TABLE: table})
    cluster_store = TxStore()
    index = ClusterIndex(cluster_store, window=window, max_stories=max_stories)
    topic = CLUSTERING.name
    offset = 0

    fill = tqdm(total=len(filling), desc="filling the index", unit="story", disable=not progress)
    for batch in _batches(len(filling), batch_size):
        tx = Tx(stage, 0, {})
        if cluster_store.bind(tx, epoch=0):
            index.rebuild()
        texts = [(filling[i].headline, "\n\n".join(filling[i].body)) for i in batch]
        filled = pool._worker_fingerprints(texts)
        for i, fp in zip(batch, filled, strict=True):
            at = T0 + timedelta(seconds=i)
            index.assign(story_id=filling[i].story_id, fingerprint=fp, at=at)
        _commit(tx, table)
        fill.update(len(batch))
    fill.close()

    for record in records[:2]:  # warm-up: the first decode builds pydantic's validators
        EnrichedArticle.model_validate_json(record)
    decode = handoff = fingerprint = assign = emit = commit = 0.0
    evicted = matched = transactions = 0
    base = len(filling)
    bar = tqdm(total=len(records), desc="clusters", unit="article", disable=not progress)
    for batch in _batches(len(records), batch_size):
        start = time.perf_counter()
        decoded = [EnrichedArticle.model_validate_json(records[i]) for i in batch]
        inputs = [pipeline.cluster_input(e) for e in decoded]
        decode += time.perf_counter() - start

        start = time.perf_counter()
        sent = pickle.loads(pickle.dumps(inputs))
        handoff += time.perf_counter() - start
        start = time.perf_counter()
        computed = pool._worker_fingerprints(sent)
        fingerprint += time.perf_counter() - start
        start = time.perf_counter()
        prints: list[Fingerprint] = pickle.loads(pickle.dumps(computed))
        handoff += time.perf_counter() - start

        tx = Tx(stage, 0, {})
        if cluster_store.bind(tx, epoch=0):
            index.rebuild()
        for i, enriched, fp in zip(batch, decoded, prints, strict=True):
            before = len(index)
            start = time.perf_counter()
            tx.take(topic, offset)
            offset += 1
            assignment = index.assign(
                story_id=enriched.article.story_id,
                fingerprint=fp,
                at=T0 + timedelta(seconds=base + i),
            )
            middle = time.perf_counter()
            tx.send(
                ENRICHED.name,
                key=enriched.article.story_id.encode(),
                value=pipeline.with_cluster(enriched, assignment.cluster_id).to_json(),
            )
            end = time.perf_counter()
            assign += middle - start
            emit += end - middle
            new = assignment.founded or assignment.matched is not None
            evicted += before + new - len(index)
            matched += assignment.matched is not None
        start = time.perf_counter()
        _commit(tx, table)
        commit += time.perf_counter() - start
        transactions += 1
        bar.update(len(batch))
    bar.close()
    size = len(table)
    table.close_all()
    return ClusterTimes(
        articles=len(records),
        transactions=transactions,
        decode=decode,
        handoff=handoff,
        fingerprint=fingerprint,
        assign=assign,
        emit=emit,
        commit=commit,
        evicted=evicted,
        matched=matched,
        index_size=size,
    )


def measure(
    measured: Sequence[Article],
    filling: Sequence[Article],
    *,
    batch_size: int,
    max_stories: int,
    window: timedelta,
    models: Sequence[str],
    ner: str,
    store: StoreKind = "memory",
    directory: Path | None = None,
    progress: bool = False,
) -> Figures:
    """Both sides on the same articles, in one run: the NLP first (it makes the records the
    clustering partition reads), then the clusters stage over a filled index."""
    nlp, records = measure_nlp(
        measured, batch_size=batch_size, models=models, ner=ner, progress=progress
    )
    clusters = measure_clusters(
        records,
        filling,
        batch_size=batch_size,
        max_stories=max_stories,
        window=window,
        store=store,
        directory=directory,
        progress=progress,
    )
    return Figures(clusters, nlp)


# --- printing ------------------------------------------------------------------


def report(figures: Figures, *, source: str, filled: int, batch_size: int, store: str) -> str:
    c, n = figures.clusters, figures.nlp

    def us(seconds: float) -> str:
        return f"{seconds / c.articles * 1e6:9.1f} us"

    lines = [
        f"articles measured: {c.articles} ({source}); index filled with {filled} HuffPost "
        f"stories first; transactions of {batch_size}; table store: {store}",
        "",
        "clusters stage, its one partition, per article:",
        f"  decode record + cluster input     {us(c.decode)}",
        f"  pool hand-off (pickle both ways)  {us(c.handoff)}",
        f"  ClusterIndex.assign (TxStore/Tx)  {us(c.assign)}"
        f"   ({c.evicted} evictions, {c.matched} matched an earlier story, "
        f"index {c.index_size} stories after)",
        f"  output record + tx.send           {us(c.emit)}",
        f"  tx.changes() + table apply        {us(c.commit)}"
        f"   ({c.commit / c.transactions * 1e3:.2f} ms per transaction of {batch_size})",
        f"  = index only                      {us(c.index_only)}"
        f"   -> {c.index_rate:8.0f} articles/s",
        f"  fingerprint (pool, apart)         {us(c.fingerprint)}",
        f"  = index + fingerprint             {us(c.index_only + c.fingerprint)}"
        f"   -> {c.with_fingerprint_rate:8.0f} articles/s",
        "",
        f"NLP of one worker process, per article (model {n.model}):",
        f"  entities (pool._worker_entities)  {n.entities / n.articles * 1e3:9.2f} ms",
        f"  tagging (pool._worker_topics)     {n.tagging / n.articles * 1e3:9.2f} ms",
        f"  = NLP                             {(n.entities + n.tagging) / n.articles * 1e3:9.2f}"
        f" ms   -> {n.rate:8.1f} articles/s per process",
        "",
        "capacity = clusters articles/s / NLP articles/s per worker process:",
        f"  index only:          {figures.capacity:8.0f} worker processes",
        f"  index + fingerprint: {figures.capacity_with_fingerprint:8.0f} worker processes",
        "",
        "caveat: the broker is out of scope. Each transaction's round trips (add partitions, "
        "send offsets, commit) and every record's produce and consume on the real broker are "
        "not in these figures; they are paid per batch or off the event loop's CPU, and the "
        "clustering partition pays them once per batch like every other stage.",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    cfg = get_settings()
    parser = argparse.ArgumentParser(
        description="How many NLP worker processes the one wires.clustering partition serves: "
        "its per-article work timed beside one worker's NLP, on real articles.",
    )
    parser.add_argument(
        "--articles", type=int, default=1000, help="articles measured (default 1000)"
    )
    parser.add_argument(
        "--source",
        choices=["huffpost", "conll"],
        default="huffpost",
        help="measured articles: HuffPost headline + description (short) or CoNLL-2003 "
        "Reuters documents (full length)",
    )
    parser.add_argument(
        "--store",
        choices=["memory", "rocksdb"],
        default="memory",
        help="the index table's store (the worker's default is rocksdb)",
    )
    parser.add_argument(
        "--max-stories",
        type=int,
        default=cfg.cluster_max_stories,
        help=f"index size, filled before measuring (default: the setting, "
        f"{cfg.cluster_max_stories})",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=cfg.batch_size,
        help=f"articles per batch and transaction (default: the setting, {cfg.batch_size})",
    )
    args = parser.parse_args(argv)

    huffpost = huffpost_texts()
    if args.source == "huffpost":
        measured_texts = [t for _, t in zip(range(args.articles), huffpost, strict=False)]
        source = f"HuffPost News Category v3, {HUFFPOST.name}"
    else:
        measured_texts = [t for _, t in zip(range(args.articles), conll_texts(), strict=False)]
        source = "CoNLL-2003 eng.train + eng.testa (Reuters)"
    filling_texts = [t for _, t in zip(range(args.max_stories), huffpost, strict=False)]
    measured = articles_from_texts(measured_texts)
    filling = articles_from_texts(filling_texts)
    if len(filling) < args.max_stories:
        print(f"only {len(filling)} stories fill an index of {args.max_stories}", file=sys.stderr)
    print(f"{len(measured)} articles measured, {len(filling)} fill the index", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="wirestream-ccap-") as tmp:
        figures = measure(
            measured,
            filling,
            batch_size=args.batch_size,
            max_stories=args.max_stories,
            window=timedelta(hours=cfg.cluster_window_hours),
            models=cfg.nlp_models,
            ner=cfg.nlp_ner,
            store=args.store,
            directory=Path(tmp) if args.store == "rocksdb" else None,
            progress=True,
        )
    print(
        report(
            figures,
            source=source,
            filled=len(filling),
            batch_size=args.batch_size,
            store=args.store,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
