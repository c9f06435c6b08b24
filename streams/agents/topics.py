"""Topics agent: wires.entities -> wires.enriched, IPTC Media Topics added."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from schemas import EnrichedArticle
from streams import pipeline
from streams.agents.batching import run_isolated
from streams.agents.deadletter import send_dead_letter
from streams.app import app, enriched_topic, entities_topic, nlp_pool, settings

VERSION = pipeline.pipeline_version()


@app.agent(entities_topic, name="topics")
async def tag_topics(stream: Any) -> None:
    async for events in stream.take_events(settings.batch_size, within=settings.batch_within):
        decoded: list[tuple[Any, EnrichedArticle]] = []
        for event in events:
            try:
                decoded.append((event, EnrichedArticle.model_validate_json(event.value)))
            except Exception as exc:
                await send_dead_letter(
                    event, stage=pipeline.STAGE_TOPICS, exc=exc, pipeline_version=VERSION
                )
        if not decoded:
            continue
        inputs = [pipeline.topics_input(enriched) for _, enriched in decoded]
        results = await run_isolated(nlp_pool.topics, inputs)
        now = datetime.now(UTC)
        for (event, enriched), result in zip(decoded, results, strict=True):
            if isinstance(result, BaseException):
                await send_dead_letter(
                    event,
                    stage=pipeline.STAGE_TOPICS,
                    exc=result,
                    pipeline_version=enriched.pipeline_version,
                )
                continue
            done = pipeline.with_topics(enriched, result, now=now)
            await enriched_topic.send(key=enriched.article.story_id.encode(), value=done.to_json())
