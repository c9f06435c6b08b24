"""Entities agent: wires.parsed (Article) -> wires.entities (EnrichedArticle).

Batches come from ``take_events`` and go to the process pool in one call.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from schemas import Article
from streams import pipeline
from streams.agents.batching import run_isolated
from streams.agents.deadletter import send_dead_letter
from streams.app import app, entities_topic, nlp_pool, parsed_topic, settings


@app.agent(parsed_topic, name="entities")
async def extract_entities(stream: Any) -> None:
    version = pipeline.pipeline_version(model=await nlp_pool.start())
    async for events in stream.take_events(settings.batch_size, within=settings.batch_within):
        decoded: list[tuple[Any, Article]] = []
        for event in events:
            try:
                decoded.append((event, Article.model_validate_json(event.value)))
            except Exception as exc:
                await send_dead_letter(
                    event, stage=pipeline.STAGE_ENTITIES, exc=exc, pipeline_version=version
                )
        if not decoded:
            continue
        inputs = [pipeline.entities_input(article) for _, article in decoded]
        results = await run_isolated(nlp_pool.entities, inputs)
        now = datetime.now(UTC)
        for (event, article), result in zip(decoded, results, strict=True):
            if isinstance(result, BaseException):
                await send_dead_letter(
                    event, stage=pipeline.STAGE_ENTITIES, exc=result, pipeline_version=version
                )
                continue
            enriched = pipeline.with_entities(article, result, pipeline_version=version, now=now)
            await entities_topic.send(key=article.story_id.encode(), value=enriched.to_json())
