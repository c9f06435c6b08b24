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

What is timed, per article, in CPU seconds (this process's thread for the partition, the pool
worker process's user + system time from ``/proc`` for the NLP, so Linux only), so that the
ratio holds for processes that each have a core, whatever else the machine runs; wall-clock
figures are printed beside:

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
figures move between runs: the two sides are interleaved batch by batch (NLP of a batch, then
the partition's work on it) so that both meet the same load, which steadies their ratio more
than either rate.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing
import os
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
    """CPU seconds of the clustering partition's thread, summed over the measured articles."""

    articles: int = 0
    transactions: int = 0
    decode: float = 0.0
    handoff: float = 0.0
    fingerprint: float = 0.0
    assign: float = 0.0
    emit: float = 0.0
    commit: float = 0.0
    evicted: int = 0
    matched: int = 0
    index_size: int = 0
    #: Python's garbage collections while the partition worked (inside the times above).
    gc_seconds: float = 0.0
    gc_full: int = 0
    #: Wall-clock seconds of the whole, and of the fingerprints in it.
    wall: float = 0.0
    fingerprint_wall: float = 0.0

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

    @property
    def index_rate_wall(self) -> float:
        return self.articles / (self.wall - self.fingerprint_wall)


@dataclass
class NlpTimes:
    """CPU seconds of the one pool worker process on the NLP stages, summed over the articles."""

    model: str
    articles: int = 0
    entities: float = 0.0
    tagging: float = 0.0
    #: Wall-clock seconds of the pool calls (round trips).
    wall: float = 0.0

    @property
    def rate(self) -> float:
        return self.articles / (self.entities + self.tagging)

    @property
    def rate_wall(self) -> float:
        return self.articles / self.wall


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

    @property
    def capacity_wall(self) -> float:
        """The same from wall-clock times (moves with the load of a shared machine)."""
        return self.clusters.index_rate_wall / self.nlp.rate_wall


def _batches(n: int, size: int) -> Iterator[range]:
    for start in range(0, n, size):
        yield range(start, min(start + size, n))


def _table(store: StoreKind, directory: Path | None) -> Table:
    return Table(TABLE, changelog=f"{TABLE}-changelog", directory=directory, store=store)


class Partition:
    """The clustering partition's agent as :mod:`streams.agents.clusters` runs it, timed.

    One :meth:`process` call is one batch and one transaction. The fingerprints are
    computed here but timed apart (the worker computes them in its pool).
    """

    def __init__(
        self,
        *,
        max_stories: int,
        window: timedelta,
        store: StoreKind = "memory",
        directory: Path | None = None,
    ) -> None:
        self.table = _table(store, directory)
        self.stage = Stage("clusters", frozenset({CLUSTERING.name}), {TABLE: self.table})
        self.store = TxStore()
        self.index = ClusterIndex(self.store, window=window, max_stories=max_stories)
        self.times = ClusterTimes()
        self._working = False
        self._gc_started: float | None = None
        self._offset = 0
        self._next_at = T0

    def _at(self) -> datetime:
        at, self._next_at = self._next_at, self._next_at + timedelta(seconds=1)
        return at

    def _tx(self) -> Tx:
        tx = Tx(self.stage, 0, {})
        if self.store.bind(tx, epoch=0):
            self.index.rebuild()
        return tx

    def _commit(self, tx: Tx) -> None:
        """What a commit does locally: the changelog records, then the table updated."""
        self.table.apply(tx.partition, tx.changes().get(TABLE, []))

    def fill(self, stories: Sequence[Article], *, batch_size: int, progress: bool) -> None:
        """Put ``stories`` in the index, untimed, in transactions of ``batch_size``."""
        bar = tqdm(total=len(stories), desc="filling the index", unit="story", disable=not progress)
        for batch in _batches(len(stories), batch_size):
            group = [stories[i] for i in batch]
            prints = pool._worker_fingerprints([(a.headline, "\n\n".join(a.body)) for a in group])
            tx = self._tx()
            for article, fp in zip(group, prints, strict=True):
                self.index.assign(story_id=article.story_id, fingerprint=fp, at=self._at())
            self._commit(tx)
            bar.update(len(group))
        bar.close()

    def warm_up(self, records: Sequence[bytes]) -> None:
        for record in records:  # the first decode builds pydantic's validators
            EnrichedArticle.model_validate_json(record)

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.thread_time() if self._working else None
        elif self._gc_started is not None:
            self.times.gc_seconds += time.thread_time() - self._gc_started
            self.times.gc_full += info["generation"] == 2
            self._gc_started = None

    def process(self, records: Sequence[bytes]) -> None:
        """One batch of ``wires.clustering`` records (JSON), timed piece by piece."""
        self._working = True
        try:
            self._process(records)
        finally:
            self._working = False

    def _process(self, records: Sequence[bytes]) -> None:
        t = self.times
        began = time.perf_counter()
        start = time.thread_time()
        decoded = [EnrichedArticle.model_validate_json(r) for r in records]
        inputs = [pipeline.cluster_input(e) for e in decoded]
        t.decode += time.thread_time() - start

        start = time.thread_time()
        sent = pickle.loads(pickle.dumps(inputs))
        t.handoff += time.thread_time() - start
        start, wall = time.thread_time(), time.perf_counter()
        computed = pool._worker_fingerprints(sent)
        t.fingerprint += time.thread_time() - start
        t.fingerprint_wall += time.perf_counter() - wall
        start = time.thread_time()
        prints: list[Fingerprint] = pickle.loads(pickle.dumps(computed))
        t.handoff += time.thread_time() - start

        tx = self._tx()
        for enriched, fp in zip(decoded, prints, strict=True):
            at = self._at()
            before = len(self.index)
            start = time.thread_time()
            tx.take(CLUSTERING.name, self._offset)
            assignment = self.index.assign(
                story_id=enriched.article.story_id, fingerprint=fp, at=at
            )
            middle = time.thread_time()
            tx.send(
                ENRICHED.name,
                key=enriched.article.story_id.encode(),
                value=pipeline.with_cluster(enriched, assignment.cluster_id).to_json(),
            )
            end = time.thread_time()
            self._offset += 1
            t.assign += middle - start
            t.emit += end - middle
            new = assignment.founded or assignment.matched is not None
            t.evicted += before + new - len(self.index)
            t.matched += assignment.matched is not None
        start = time.thread_time()
        self._commit(tx)
        t.commit += time.thread_time() - start
        t.wall += time.perf_counter() - began
        t.transactions += 1
        t.articles += len(records)
        t.index_size = len(self.table)

    def __enter__(self) -> Partition:
        gc.callbacks.append(self._gc)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._gc)
        self.table.close_all()


def _pool_cpu() -> float:
    """CPU seconds (user + system) so far of this process's live children: the pool worker."""
    ticks = 0
    for child in multiprocessing.active_children():
        try:
            stat = Path(f"/proc/{child.pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


async def _nlp_batch(
    stage_pool: pool.StagePool, articles: Sequence[Article], times: NlpTimes, now: datetime
) -> list[bytes]:
    """Entities then tagging of one batch in the pool, timed; the ``wires.clustering`` records."""
    inputs = [pipeline.entities_input(a) for a in articles]
    wall, cpu = time.perf_counter(), _pool_cpu()
    found = await stage_pool.entities(inputs)
    times.entities += _pool_cpu() - cpu
    times.wall += time.perf_counter() - wall
    enriched = [
        pipeline.with_entities(a, e, pipeline_version="bench", now=now)
        for a, e in zip(articles, found, strict=True)
    ]
    topics_in = [pipeline.topics_stage_input(e) for e in enriched]
    wall, cpu = time.perf_counter(), _pool_cpu()
    results = await stage_pool.topics(topics_in)
    times.tagging += _pool_cpu() - cpu
    times.wall += time.perf_counter() - wall
    times.articles += len(articles)
    return [
        pipeline.with_topics(
            e, r.topics, keywords=r.keywords, language=r.language, now=now
        ).to_json()
        for e, r in zip(enriched, results, strict=True)
    ]


async def _measure(
    measured: Sequence[Article],
    partition: Partition,
    *,
    batch_size: int,
    models: Sequence[str],
    ner: str,
    progress: bool,
) -> NlpTimes:
    stage_pool = pool.StagePool(models=models, ner=ner, processes=1)
    try:
        times = NlpTimes(await stage_pool.start())  # its initializer loads the model
        now = datetime.now(UTC)
        # Warm-up, untimed: the first calls load the tagger's models and allocate.
        warm = await _nlp_batch(stage_pool, measured[:2], NlpTimes(times.model), now)
        partition.warm_up(warm)
        bar = tqdm(total=len(measured), desc="NLP | clusters", unit="article", disable=not progress)
        for batch in _batches(len(measured), batch_size):
            group = [measured[i] for i in batch]
            partition.process(await _nlp_batch(stage_pool, group, times, now))
            bar.update(len(group))
        bar.close()
    finally:
        stage_pool.close()
    return times


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
    """Both sides on the same articles, side by side in one run.

    The index is filled with ``filling`` first. Then, batch by batch, the NLP of one pool
    worker process (spawned and loaded as the worker's ``StagePool`` does, so this process
    never holds the model, as the clusters agent's process does not) makes the batch's
    ``wires.clustering`` records, and the clustering partition processes them. Interleaving
    the two by batch exposes both to the same load on a shared machine. The NLP times are the
    pool calls' round trips: the pickling to and from the worker is in them (under 1%).
    """
    with Partition(
        max_stories=max_stories, window=window, store=store, directory=directory
    ) as partition:
        partition.fill(filling, batch_size=batch_size, progress=progress)
        nlp = asyncio.run(
            _measure(
                measured,
                partition,
                batch_size=batch_size,
                models=models,
                ner=ner,
                progress=progress,
            )
        )
    return Figures(partition.times, nlp)


# --- printing ------------------------------------------------------------------


def report(figures: Figures, *, source: str, filled: int, batch_size: int, store: str) -> str:
    c, n = figures.clusters, figures.nlp

    def us(seconds: float) -> str:
        return f"{seconds / c.articles * 1e6:9.1f} us"

    lines = [
        f"articles measured: {c.articles} ({source}); index filled with {filled} HuffPost "
        f"stories first; transactions of {batch_size}; table store: {store}",
        "",
        "clusters stage, its one partition, CPU time per article:",
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
        f"  of which garbage collection      {us(c.gc_seconds)}   ({c.gc_full} full collections)",
        f"  fingerprint (pool, apart)         {us(c.fingerprint)}",
        f"  = index + fingerprint             {us(c.index_only + c.fingerprint)}"
        f"   -> {c.with_fingerprint_rate:8.0f} articles/s",
        "",
        f"NLP of one worker process, CPU time per article (model {n.model}):",
        f"  entities (pool._worker_entities)  {n.entities / n.articles * 1e3:9.2f} ms",
        f"  tagging (pool._worker_topics)     {n.tagging / n.articles * 1e3:9.2f} ms",
        f"  = NLP                             {(n.entities + n.tagging) / n.articles * 1e3:9.2f}"
        f" ms   -> {n.rate:8.1f} articles/s per process",
        "",
        "capacity = clusters articles/s / NLP articles/s per worker process:",
        f"  index only:          {figures.capacity:8.1f} worker processes",
        f"  index + fingerprint: {figures.capacity_with_fingerprint:8.1f} worker processes",
        f"  (from wall-clock times, which move with the machine's load: clusters "
        f"{c.index_rate_wall:.0f}/s, NLP {n.rate_wall:.1f}/s, index only "
        f"{figures.capacity_wall:.1f} worker processes)",
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
