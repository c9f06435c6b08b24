"""Parse agent: wires.raw (RawWire) -> wires.parsed (Article, keyed by story), kills -> wires.kills.

Parsing runs in the process pool, a ``take_events`` batch per call: a large
XML wire takes about a second to parse, which on the event loop would stall
every agent of the worker. A wire that fails is dead-lettered alone (stage
``parse``, its error code and message, its original bytes); the rest of its
batch goes on.

A kill (``pub_status='canceled'`` or the signal ``kill``) is not an article
to enrich: it becomes a :class:`~schemas.KillNotice` on ``wires.kills``
instead of an article on ``wires.parsed``.
"""

from __future__ import annotations

import logging
from typing import Any

from schemas import RawWire
from streams import pipeline, stories
from streams.agents.batching import process_batch
from streams.app import app, kills_topic, parsed_topic, raw_topic, settings, stage_pool

log = logging.getLogger(__name__)

VERSION = pipeline.pipeline_version()


def _wire(raw: RawWire) -> RawWire:
    return raw


@app.agent(raw_topic, name="parse")
async def parse_wires(stream: Any) -> None:
    async for events in stream.take_events(settings.batch_size, within=settings.batch_within):
        done = await process_batch(
            events,
            stage=pipeline.STAGE_PARSE,
            decode=RawWire.model_validate_json,
            to_input=_wire,
            run=stage_pool.parse,
            pipeline_version=VERSION,
        )
        for _event, _raw, articles in done:
            if isinstance(articles, BaseException):
                continue  # process_batch dead-lettered it already
            for article in articles:
                key = article.story_id.encode()
                if stories.is_kill(article):
                    notice = stories.kill_notice(article, pipeline_version=VERSION)
                    log.info("kill for story %s: %s", notice.story_id, notice.reason)
                    await kills_topic.send(key=key, value=notice.to_json())
                else:
                    await parsed_topic.send(key=key, value=article.to_json())
