"""Topic names, keys and record schemas: defined here once, used everywhere.

    wires.raw       key = wire_id   value = RawWire          (ingest)
    wires.parsed    key = story_id  value = Article          (parse agent)
    wires.entities  key = story_id  value = EnrichedArticle  (entities agent)
    wires.enriched  key = story_id  value = EnrichedArticle  (topics agent)
    wires.dlq       key = original  value = DeadLetter       (any stage)

Keys from ``wires.parsed`` on are the story id so that every version of a
story lands on the same partition (ordering, later dedup and alerting once
per story).
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas import Article, DeadLetter, EnrichedArticle, RawWire, Record


@dataclass(frozen=True)
class TopicSpec:
    name: str
    key: str
    value: type[Record]
    doc: str


RAW = TopicSpec("wires.raw", "wire_id", RawWire, "wires as received")
PARSED = TopicSpec("wires.parsed", "story_id", Article, "parsed, normalised articles")
ENTITIES = TopicSpec("wires.entities", "story_id", EnrichedArticle, "articles with entities")
ENRICHED = TopicSpec("wires.enriched", "story_id", EnrichedArticle, "fully enriched articles")
DLQ = TopicSpec("wires.dlq", "original key", DeadLetter, "records a stage could not process")

ALL: tuple[TopicSpec, ...] = (RAW, PARSED, ENTITIES, ENRICHED, DLQ)
BY_NAME: dict[str, TopicSpec] = {t.name: t for t in ALL}
