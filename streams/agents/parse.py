"""Parse agent: wires.raw (RawWire) -> wires.parsed (Article, keyed by story)."""

from __future__ import annotations

from typing import Any

from schemas import RawWire
from streams import pipeline
from streams.agents.deadletter import send_dead_letter
from streams.app import app, parsed_topic, raw_topic

VERSION = pipeline.pipeline_version()


@app.agent(raw_topic, name="parse")
async def parse_wires(stream: Any) -> None:
    # Parsing is regular expressions over one short text: cheaper than the
    # round trip to a worker process, so it stays on the loop.
    async for event in stream.events():
        try:
            raw = RawWire.model_validate_json(event.value)
            articles = pipeline.parse(raw)
        except Exception as exc:  # a worker never dies of bad input
            await send_dead_letter(
                event, stage=pipeline.STAGE_PARSE, exc=exc, pipeline_version=VERSION
            )
            continue
        for article in articles:
            await parsed_topic.send(key=article.story_id.encode(), value=article.to_json())
