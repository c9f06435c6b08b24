"""Clusters agent: wires.clustering -> wires.enriched.

``assign_clusters`` gives each article its ``cluster_id`` and publishes it to
``wires.enriched`` keyed by story id. Near-duplicates come from any agency and
so from any partition of ``wires.parsed``: an index split by story id would
never see a copy of the same story that hashed elsewhere. So the index is
global: every record goes to ``wires.clustering`` with the same key, hence to one
partition, read by one agent instance, which keeps the index in the table
``story-clusters`` (story id -> signature and cluster). Its changelog restores
the index after a restart on whichever worker takes that partition over; the
in-memory buckets are re-derived from the table after every rebalance and
after any transaction that did not commit. The index's own window and size
limit are the table's retention.

Trade-off, chosen knowingly: one consumer does the clustering for the whole
cluster. Its work per article is about 0.7 ms of lookups and signature
comparisons (the MinHash signatures are computed in the process pool), so one
partition keeps up with about ten NLP processes (``bench/clustering_capacity.py``,
README); the cost is one more hop of latency and a single point of progress
(another worker takes the partition over on failure). Assignment is
deterministic for a given order of arrival on that partition; the order in
which the topic agents' outputs interleave there is not, so two copies of one
story arriving within milliseconds of each other may found their cluster in
either order (they still share it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, MutableMapping
from datetime import datetime, timedelta
from typing import Any

from faust.types import StreamT

from schemas import EnrichedArticle
from streams import pipeline
from streams.agents.batching import Item, batches, commit_items, run_batch
from streams.agents.deadletter import dead_letter
from streams.app import app, clustering_topic, outbox, settings, stage_pool, state_table
from streams.cluster import ClusterIndex
from streams.outbox import Tx
from streams.topology import CLUSTERING, ENRICHED, STORY_CLUSTERS

log = logging.getLogger(__name__)

VERSION = pipeline.pipeline_version()
STAGE_CLUSTERS = "clusters"
TABLE = STORY_CLUSTERS.name

story_clusters = state_table(STORY_CLUSTERS)
outbox.register(STAGE_CLUSTERS, topics=[settings.topic(CLUSTERING.name)], tables=[story_clusters])


class TxStore(MutableMapping[str, str]):
    """The table seen through the current transaction, as :class:`ClusterIndex`'s string mapping.

    The key set is cached (the index asks for the size on every article) and
    dropped whenever the transaction it was built in may not have committed.
    """

    def __init__(self) -> None:
        self.tx: Tx | None = None
        self._keys: set[str] | None = None
        self._built_for: tuple[int, int] | None = None

    def bind(self, tx: Tx, *, epoch: int) -> bool:
        """Use ``tx``; True when the cached view had to be rebuilt."""
        self.tx = tx
        if self._keys is None or self._built_for != (epoch, tx.partition):
            self._keys = {key for key, _ in tx.items(TABLE)}
            self._built_for = (epoch, tx.partition)
            return True
        return False

    def invalidate(self) -> None:
        self._keys = None

    def _tx(self) -> Tx:
        if self.tx is None:
            raise RuntimeError("the cluster store is used outside a transaction")
        return self.tx

    def __getitem__(self, key: str) -> str:
        value = self._tx().get(TABLE, key)
        if value is None:
            raise KeyError(key)
        return str(value)

    def __setitem__(self, key: str, value: str) -> None:
        self._tx().put(TABLE, key, value)
        if self._keys is not None:
            self._keys.add(key)

    def __delitem__(self, key: str) -> None:
        if self._tx().get(TABLE, key) is None:
            raise KeyError(key)
        self._tx().delete(TABLE, key)
        if self._keys is not None:
            self._keys.discard(key)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._keys or ()))

    def __len__(self) -> int:
        return len(self._keys or ())


cluster_store = TxStore()
cluster_index = ClusterIndex(
    cluster_store,
    window=timedelta(hours=settings.cluster_window_hours),
    max_stories=settings.cluster_max_stories,
)


def _article_time(enriched: EnrichedArticle) -> datetime:
    article = enriched.article
    return article.published_at or article.received_at


def _emit(tx: Tx, item: Item[EnrichedArticle, Any]) -> None:
    enriched, fingerprint = item.record, item.result
    assert enriched is not None and fingerprint is not None
    if cluster_store.bind(tx, epoch=outbox.epoch):
        cluster_index.rebuild()
    story_id = enriched.article.story_id
    try:
        assignment = cluster_index.assign(
            story_id=story_id, fingerprint=fingerprint, at=_article_time(enriched)
        )
    except Exception as exc:  # an unreadable table entry must not stop the index
        log.exception("story-clusters: cannot assign %s", story_id)
        cluster_store.invalidate()
        dead_letter(tx, item.event, stage=STAGE_CLUSTERS, exc=exc, pipeline_version=VERSION)
        return
    if assignment.matched is not None:
        log.info(
            "story %s joins cluster %s of %s (similarity %.2f)",
            story_id,
            assignment.cluster_id,
            assignment.matched,
            assignment.similarity,
        )
    tx.send(
        settings.topic(ENRICHED.name),
        key=story_id.encode(),
        value=pipeline.with_cluster(enriched, assignment.cluster_id).to_json(),
    )


@app.agent(clustering_topic, name="clusters")
async def assign_clusters(stream: StreamT[Any]) -> None:
    async for events in batches(stream):
        items = await run_batch(
            events,
            stage=STAGE_CLUSTERS,
            outbox=outbox,
            decode=EnrichedArticle.model_validate_json,
            to_input=pipeline.cluster_input,
            run=stage_pool.fingerprints,
        )
        try:
            await commit_items(
                items,
                stage=STAGE_CLUSTERS,
                outbox=outbox,
                pipeline_version=VERSION,
                emit=_emit,
                on_abort=cluster_store.invalidate,
            )
        except BaseException:
            cluster_store.invalidate()  # the index may hold what never committed
            raise
