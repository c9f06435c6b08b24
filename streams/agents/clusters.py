"""Clusters agent: wires.clustering -> wires.enriched.

``assign_clusters`` gives each article its ``cluster_id`` and publishes it to
``wires.enriched`` keyed by story id. Near-duplicates come from any agency and
so from any partition of ``wires.entities``: an index split by story id would
never see a copy of the same story that hashed elsewhere. So the index is
global: every record goes to ``wires.clustering`` with the same key, hence to one
partition, read by one agent instance, which keeps the index in the table
``story-clusters`` (story id -> signature and cluster). Its changelog restores
the index after a restart on whichever worker takes that partition over.

Trade-off, chosen knowingly: one consumer does the clustering for the whole
cluster. Its work per article is a few dictionary lookups and signature
comparisons (the MinHash signatures are computed in the process pool), orders
of magnitude below what a wire service sends; the cost is one more hop of
latency and a single point of progress (a standby replica takes over on
failure). Assignment is deterministic for a given order of arrival on that
partition; the order in which the topic agents' outputs interleave there is
not, so two copies of one story arriving within milliseconds of each other
may found their cluster in either order (they still share it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, MutableMapping
from datetime import datetime, timedelta
from typing import Any

from schemas import EnrichedArticle
from streams import pipeline
from streams.agents import tables
from streams.agents.batching import process_batch
from streams.agents.deadletter import send_dead_letter
from streams.app import app, clustering_topic, enriched_topic, settings, stage_pool
from streams.cluster import ClusterIndex
from streams.topology import STORY_CLUSTERS

log = logging.getLogger(__name__)

VERSION = pipeline.pipeline_version()
STAGE_CLUSTERS = "clusters"

story_clusters = app.Table(
    STORY_CLUSTERS.name, partitions=settings.partitions, help=STORY_CLUSTERS.doc
)


class TableStore(MutableMapping[str, str]):
    """A Faust table seen as the string mapping :class:`ClusterIndex` keeps its entries in.

    Writes name the partition explicitly (:mod:`streams.agents.tables`): the
    one partition of wires.clustering that carries every record.
    """

    def __init__(self, table: Any) -> None:
        self._table = table
        self.partition = 0

    def __getitem__(self, key: str) -> str:
        value = tables.get(self._table, key)
        if value is None:
            raise KeyError(key)
        return str(value)

    def __setitem__(self, key: str, value: str) -> None:
        tables.put(self._table, key, value, partition=self.partition)

    def __delitem__(self, key: str) -> None:
        if tables.get(self._table, key) is None:
            raise KeyError(key)
        tables.delete(self._table, key, partition=self.partition)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._table.data.keys()))

    def __len__(self) -> int:
        return len(self._table.data)


cluster_store = TableStore(story_clusters)
cluster_index = ClusterIndex(
    cluster_store,
    window=timedelta(hours=settings.cluster_window_hours),
    max_stories=settings.cluster_max_stories,
)


def _article_time(enriched: EnrichedArticle) -> datetime:
    article = enriched.article
    return article.published_at or article.received_at


@app.agent(clustering_topic, name="clusters")
async def assign_clusters(stream: Any) -> None:
    async for events in stream.take_events(settings.batch_size, within=settings.batch_within):
        done = await process_batch(
            events,
            stage=STAGE_CLUSTERS,
            decode=EnrichedArticle.model_validate_json,
            to_input=pipeline.cluster_input,
            run=stage_pool.fingerprints,
            pipeline_version=VERSION,
        )
        for event, enriched, fingerprint in done:
            story_id = enriched.article.story_id
            cluster_store.partition = event.message.partition
            try:
                assignment = cluster_index.assign(
                    story_id=story_id, fingerprint=fingerprint, at=_article_time(enriched)
                )
            except Exception as exc:  # an unreadable table entry must not stop the index
                log.exception("story-clusters: cannot assign %s", story_id)
                await send_dead_letter(
                    event, stage=STAGE_CLUSTERS, exc=exc, pipeline_version=VERSION
                )
                continue
            if assignment.matched is not None:
                log.info(
                    "story %s joins cluster %s of %s (similarity %.2f)",
                    story_id,
                    assignment.cluster_id,
                    assignment.matched,
                    assignment.similarity,
                )
            await enriched_topic.send(
                key=story_id.encode(),
                value=pipeline.with_cluster(enriched, assignment.cluster_id).to_json(),
            )
