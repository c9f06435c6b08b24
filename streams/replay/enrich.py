"""The re-enrich replay's stages: the live pipeline's functions, run in order, without Kafka.

The same calls as ``wirestream enrich`` and the agents (:mod:`streams.pipeline`),
with the two pieces of state the agents keep in tables kept here in memory
for the length of one replay: the latest version of each story (for
``supersedes``) and the story-cluster index. Both are rebuilt from the part
of the window already done when a replay resumes, so a resumed replay makes
the same records an uninterrupted one would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from schemas import Article, EnrichedArticle, RawWire, ReplayInfo
from streams import pipeline, stories
from streams.cluster import ClusterIndex, fingerprint
from streams.nlp import extract_entities
from streams.replay.plan import Filters


@dataclass(frozen=True)
class Source:
    """Where a wire of the window was read (for dead letters)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes


@dataclass(frozen=True)
class Enriched:
    """A record to produce: key and record."""

    key: bytes
    record: EnrichedArticle


@dataclass(frozen=True)
class Failed:
    """A wire a stage could not process, with the error for its dead letter."""

    source: Source
    stage: str
    error: BaseException


@dataclass
class BatchResult:
    enriched: list[Enriched] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)
    skipped: int = 0


@dataclass
class Reenricher:
    """Runs parse, entities, topics and clusters on wires of a replay window."""

    nlp: Any
    pipeline_version: str
    replay: ReplayInfo
    filters: Filters = field(default_factory=Filters)
    cluster_window: timedelta = timedelta(hours=48)
    cluster_max_stories: int = 5000
    batch_size: int = 32
    versions: dict[str, stories.VersionSeen] = field(default_factory=dict)
    clusters: ClusterIndex = field(init=False)

    def __post_init__(self) -> None:
        self.clusters = ClusterIndex(
            window=self.cluster_window, max_stories=self.cluster_max_stories
        )

    def _articles(self, source: Source) -> list[Article]:
        raw = RawWire.model_validate_json(source.value)
        # Kills are notices to alert services, not stories to enrich; a replay
        # never re-sends them.
        return [
            a for a in pipeline.parse(raw) if not stories.is_kill(a) and self.filters.selects(a)
        ]

    def remember(self, sources: Sequence[Source]) -> None:
        """Rebuild the version and cluster state from wires a resumed replay already did."""
        for source in sources:
            try:
                articles = self._articles(source)
            except Exception:  # it was dead-lettered the first time
                continue
            for article in articles:
                self._place(article)

    def _place(self, article: Article) -> tuple[Article, str | None, str]:
        check = stories.check_version(self.versions.get(article.story_id), article)
        if check.changed:
            self.versions[article.story_id] = check.seen
        placed = stories.mark_out_of_order(article) if check.out_of_order else article
        headline, body = placed.headline, "\n\n".join(placed.body)
        assignment = self.clusters.assign(
            story_id=placed.story_id,
            fingerprint=fingerprint(headline=headline, body=body),
            at=placed.published_at or placed.received_at,
        )
        return placed, check.supersedes, assignment.cluster_id

    def run(self, sources: Sequence[Source], *, now: datetime) -> BatchResult:
        """Enrich a batch of wires, in the order given."""
        result = BatchResult()
        parsed: list[tuple[Source, Article]] = []
        for source in sources:
            try:
                articles = self._articles(source)
            except Exception as exc:  # every failure becomes a dead letter
                result.failed.append(Failed(source, pipeline.STAGE_PARSE, exc))
                continue
            if not articles:
                result.skipped += 1
            parsed.extend((source, a) for a in articles)
        entity_lists = self._entities([a for _, a in parsed], result, [s for s, _ in parsed])
        for (_source, article), entities in zip(parsed, entity_lists, strict=True):
            if entities is None:
                continue
            placed, supersedes, cluster_id = self._place(article)
            record = pipeline.with_entities(
                placed,
                entities,
                pipeline_version=self.pipeline_version,
                now=now,
                supersedes=supersedes,
            )
            tagged = pipeline.tag(pipeline.topics_stage_input(record))
            record = pipeline.with_topics(
                record, tagged.topics, keywords=tagged.keywords, language=tagged.language, now=now
            )
            record = pipeline.with_cluster(record, cluster_id)
            record = record.model_copy(update={"replay": self.replay})
            result.enriched.append(Enriched(article.story_id.encode(), record))
        return result

    def _entities(
        self, articles: list[Article], result: BatchResult, sources: list[Source]
    ) -> list[Any]:
        inputs = [pipeline.entities_input(a) for a in articles]
        try:
            return list(extract_entities(self.nlp, inputs, batch_size=self.batch_size))
        except Exception:  # retried one by one below
            pass
        # As the agents do: only the article at fault becomes a dead letter.
        out: list[Any] = []
        for item, source in zip(inputs, sources, strict=True):
            try:
                out.append(extract_entities(self.nlp, [item], batch_size=1)[0])
            except Exception as exc:
                result.failed.append(Failed(source, pipeline.STAGE_ENTITIES, exc))
                out.append(None)
        return out
