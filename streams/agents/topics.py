"""Topics agent: wires.entities -> wires.enriched, IPTC Media Topics added."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from schemas import EnrichedArticle
from streams import pipeline
from streams.agents.batching import process_batch
from streams.app import app, enriched_topic, entities_topic, nlp_pool, settings

VERSION = pipeline.pipeline_version()


@app.agent(entities_topic, name="topics")
async def tag_topics(stream: Any) -> None:
    async for events in stream.take_events(settings.batch_size, within=settings.batch_within):
        done = await process_batch(
            events,
            stage=pipeline.STAGE_TOPICS,
            decode=EnrichedArticle.model_validate_json,
            to_input=pipeline.topics_input,
            run=nlp_pool.topics,
            pipeline_version=VERSION,
        )
        now = datetime.now(UTC)
        for _event, enriched, topics in done:
            result = pipeline.with_topics(enriched, topics, now=now)
            await enriched_topic.send(
                key=enriched.article.story_id.encode(), value=result.to_json()
            )
