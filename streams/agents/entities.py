"""Entities agent: wires.parsed (Article) -> wires.entities (EnrichedArticle).

Batches come from ``take_events`` and go to the process pool in one call.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from schemas import Article
from streams import pipeline
from streams.agents.batching import process_batch
from streams.app import app, entities_topic, nlp_pool, parsed_topic, settings


@app.agent(parsed_topic, name="entities")
async def extract_entities(stream: Any) -> None:
    version = pipeline.pipeline_version(model=await nlp_pool.start())
    async for events in stream.take_events(settings.batch_size, within=settings.batch_within):
        done = await process_batch(
            events,
            stage=pipeline.STAGE_ENTITIES,
            decode=Article.model_validate_json,
            to_input=pipeline.entities_input,
            run=nlp_pool.entities,
            pipeline_version=version,
        )
        now = datetime.now(UTC)
        for _event, article, entities in done:
            enriched = pipeline.with_entities(article, entities, pipeline_version=version, now=now)
            await entities_topic.send(key=article.story_id.encode(), value=enriched.to_json())
