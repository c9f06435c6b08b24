"""The topology: Kafka topic names, keys, record schemas and tables, defined here once.

    wires.raw       key = wire_id   value = RawWire          (ingest)
    wires.parsed    key = story_id  value = Article          (parse agent; routine copy)
    wires.parsed.urgent key = story_id value = Article       (parse agent; urgency 1-2)
    wires.entities  key = story_id  value = EnrichedArticle  (written by older versions only)
    wires.clustering key = "index" value = EnrichedArticle  (entities agents: entities and
                                                              tags; one partition used)
    wires.enriched  key = story_id  value = EnrichedArticle  (clusters agent)
    wires.kills     key = story_id  value = KillNotice       (parse agent)
    wires.released  key = story_id  value = EnrichedArticle  (release agent)
    wires.dlq       key = original  value = DeadLetter       (any stage)
    alerts.subscriptions key = subscription id  value = Subscription  (compacted; API, CLI)
    alerts.matches  key = subscription id  value = Alert     (alerts agent)
    alerts.dlq      key = subscription id  value = DeadLetter (webhook delivery gave up)
    wires.replays   key = replay id value = ReplayState      (replay, dlq redrive; compacted)

Keys from ``wires.parsed`` on are the story id so that every version of a
story lands on the same partition (ordering, later dedup and alerting once
per story). ``wires.parsed.urgent`` has the same key and partition count as
``wires.parsed``: both are inputs of the one entity stage, partition p of
both on one worker, in one transaction per partition.

The entity stage tags topics as well and writes straight to
``wires.clustering``; ``wires.entities`` stays so that records an older
version left there are still tagged and passed on (the tagging agent).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas import (
    Alert,
    Article,
    DeadLetter,
    EnrichedArticle,
    KillNotice,
    RawWire,
    Record,
    ReplayState,
    Subscription,
)
from streams.settings import Settings


@dataclass(frozen=True)
class TopicSpec:
    name: str
    key: str
    value: type[Record]
    doc: str
    #: Topic configuration set when the topic is created (e.g. compaction).
    configs: dict[str, str] = field(default_factory=dict)


RAW = TopicSpec("wires.raw", "wire_id", RawWire, "wires as received")
PARSED = TopicSpec("wires.parsed", "story_id", Article, "parsed, normalised articles")
PARSED_URGENT = TopicSpec(
    "wires.parsed.urgent",
    "story_id",
    Article,
    "parsed articles of urgency 1-2 (flashes): the entity stage takes them ahead of wires.parsed",
)
ENTITIES = TopicSpec(
    "wires.entities",
    "story_id",
    EnrichedArticle,
    "articles with entities, from older versions (now entities and tags go to wires.clustering)",
)
CLUSTERING = TopicSpec(
    "wires.clustering",
    "constant 'index': every record on one partition, where the story-cluster index lives",
    EnrichedArticle,
    "articles with entities and tags, waiting for their story cluster",
)
ENRICHED = TopicSpec("wires.enriched", "story_id", EnrichedArticle, "fully enriched articles")
KILLS = TopicSpec("wires.kills", "story_id", KillNotice, "stories their source withdrew")
RELEASED = TopicSpec(
    "wires.released", "story_id", EnrichedArticle, "enriched copy cleared for publication"
)
DLQ = TopicSpec("wires.dlq", "original key", DeadLetter, "records a stage could not process")

SUBSCRIPTIONS = TopicSpec(
    "alerts.subscriptions",
    "subscription id",
    Subscription,
    "alert subscriptions; a tombstone deletes one; every worker reads all of it",
    configs={"cleanup.policy": "compact"},
)
MATCHES = TopicSpec("alerts.matches", "subscription id", Alert, "alerts for subscribers")
LOOKBACK = TopicSpec(
    "alerts.lookback",
    "story_id",
    Alert,
    "a new subscription's look-back alerts, on their way through the matcher's story state",
)
ALERTS_DLQ = TopicSpec(
    "alerts.dlq", "subscription id", DeadLetter, "alerts whose webhook failed every retry"
)

#: Every record of wires.clustering carries this key, so all land on one partition.
CLUSTER_INDEX_KEY = b"index"

ALL: tuple[TopicSpec, ...] = (
    RAW,
    PARSED,
    PARSED_URGENT,
    ENTITIES,
    CLUSTERING,
    ENRICHED,
    KILLS,
    RELEASED,
    DLQ,
    SUBSCRIPTIONS,
    MATCHES,
    LOOKBACK,
    ALERTS_DLQ,
)
BY_NAME: dict[str, TopicSpec] = {t.name: t for t in ALL}

#: Operators' bookkeeping, not pipeline data: every replay's checkpoints and every
#: redriven dead letter, written in the same transaction as the records they
#: account for. Created by the first replay or redrive, not by the worker.
REPLAYS = TopicSpec(
    "wires.replays",
    "replay id, or 'redrive:' and a dead letter id",
    ReplayState,
    "replay checkpoints and redrive receipts (compacted)",
    configs={"cleanup.policy": "compact"},
)

MS_PER_DAY = 24 * 60 * 60 * 1000


def topic_configs(spec: TopicSpec, settings: Settings) -> dict[str, str]:
    """Kafka configs a topic is created with; the broker's defaults for everything else.

    ``wires.raw`` is the history replays read, so its retention is ours to
    choose rather than the broker's default week.
    """
    if spec is RAW:
        days = settings.raw_retention_days
        return {**spec.configs, "retention.ms": "-1" if days < 0 else str(days * MS_PER_DAY)}
    return dict(spec.configs)


@dataclass(frozen=True)
class TableSpec:
    """A table (:mod:`streams.state`): its state lives in a compacted changelog topic.

    Auto-creation is off on our clusters, so the changelog topics are created
    with the pipeline topics (``ensure_topics``), co-partitioned with the
    stream that updates the table.
    """

    name: str
    key: str
    doc: str
    #: The pipeline topic whose events update the table; its changelog gets
    #: the same partition count so partition p of both live on one worker.
    source: str

    def changelog(self, app_id: str) -> str:
        # Faust's own naming, so the table finds the topic we created.
        return f"{app_id}-{self.name}-changelog"


WIRE_IDS = TableSpec(
    "wire-ids",
    "wire_id",
    "wires the parse agent has seen within the dedupe window (resends are dropped)",
    source=RAW.name,
)

STORY_VERSIONS = TableSpec(
    "story-versions",
    "story_id",
    "latest version of each story seen by the entities agent",
    source=PARSED.name,
)
HELD_EMBARGOES = TableSpec(
    "held-embargoes",
    "story_id",
    "copy the release agent holds back (embargo, withheld) and stories killed",
    source=ENRICHED.name,
)

STORY_CLUSTERS = TableSpec(
    "story-clusters",
    "story_id",
    "recent stories' MinHash signatures and cluster ids (the story-cluster index)",
    source=CLUSTERING.name,
)

ALERT_STATE = TableSpec(
    "alert-state",
    "story_id",
    "which subscriptions were alerted on each story (once per story), kept for the retention",
    source=RELEASED.name,
)

#: Every table of the app; each adds one changelog topic.
TABLES: tuple[TableSpec, ...] = (
    WIRE_IDS,
    STORY_VERSIONS,
    HELD_EMBARGOES,
    STORY_CLUSTERS,
    ALERT_STATE,
)
