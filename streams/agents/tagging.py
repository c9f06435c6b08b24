"""Tagging agent: wires.entities -> wires.clustering, for records an older version left.

The entity stage now tags as it extracts and writes straight to
``wires.clustering`` (:mod:`streams.agents.entities`); this agent only
drains ``wires.entities`` after an upgrade, so nothing an older worker wrote
there is lost. ``tag_topics`` (partitioned by story id) runs the tagging
stage in the light process pool: IPTC Media Topics, key phrases and language
evidence (:func:`streams.pipeline.tag`), and forwards the article to
``wires.clustering`` under one constant key, where the clusters agent
(:mod:`streams.agents.clusters`) keeps the story-cluster index.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from faust.types import StreamT

from schemas import EnrichedArticle
from streams import pipeline
from streams.agents.batching import Item, batches, commit_items, run_batch
from streams.app import app, entities_topic, outbox, settings, stage_pool
from streams.outbox import Tx
from streams.topology import CLUSTER_INDEX_KEY, CLUSTERING, ENTITIES

VERSION = pipeline.pipeline_version()
STAGE = pipeline.STAGE_TOPICS

outbox.register(STAGE, topics=[settings.topic(ENTITIES.name)])


def _emit(tx: Tx, item: Item[EnrichedArticle, Any]) -> None:
    enriched, result = item.record, item.result
    assert enriched is not None and result is not None
    tagged = pipeline.with_topics(
        enriched,
        result.topics,
        keywords=result.keywords,
        language=result.language,
        now=datetime.now(UTC),
    )
    tx.send(settings.topic(CLUSTERING.name), key=CLUSTER_INDEX_KEY, value=tagged.to_json())


@app.agent(entities_topic, name="tagging")
async def tag_topics(stream: StreamT[Any]) -> None:
    async for events in batches(stream):
        items = await run_batch(
            events,
            stage=STAGE,
            outbox=outbox,
            decode=EnrichedArticle.model_validate_json,
            to_input=pipeline.topics_stage_input,
            run=stage_pool.topics,
        )
        await commit_items(items, stage=STAGE, outbox=outbox, pipeline_version=VERSION, emit=_emit)
