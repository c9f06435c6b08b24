"""Tagging agent: wires.entities -> wires.clustering.

``tag_topics`` (any number of instances, partitioned by story id) runs the
tagging stage in the process pool: IPTC Media Topics, key phrases and language
evidence (:func:`streams.pipeline.tag`), and forwards the article to
``wires.clustering`` under one constant key, where the clusters agent
(:mod:`streams.agents.clusters`) keeps the story-cluster index.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from schemas import EnrichedArticle
from streams import pipeline
from streams.agents.batching import process_batch
from streams.app import app, clustering_topic, entities_topic, settings, stage_pool
from streams.topology import CLUSTER_INDEX_KEY

VERSION = pipeline.pipeline_version()


@app.agent(entities_topic, name="tagging")
async def tag_topics(stream: Any) -> None:
    async for events in stream.take_events(settings.batch_size, within=settings.batch_within):
        done = await process_batch(
            events,
            stage=pipeline.STAGE_TOPICS,
            decode=EnrichedArticle.model_validate_json,
            to_input=pipeline.topics_stage_input,
            run=stage_pool.topics,
            pipeline_version=VERSION,
        )
        now = datetime.now(UTC)
        for _event, enriched, result in done:
            tagged = pipeline.with_topics(
                enriched,
                result.topics,
                keywords=result.keywords,
                language=result.language,
                now=now,
            )
            await clustering_topic.send(key=CLUSTER_INDEX_KEY, value=tagged.to_json())
