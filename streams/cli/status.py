"""`wirestream status`: what the cluster holds for this pipeline, at a glance.

Everything is read from the cluster (metadata, topic configs, the consumer
group, the dead-letter topic, the tables' changelogs, ``wires.replays``);
nothing is asked of the workers, so it also answers when none runs. Records
are read ``read_committed``, as the workers read them: what an aborted or
still open transaction wrote is not counted. Secrets never appear: the
security line names the protocol, mechanism and user only.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import orjson
import typer
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment
from aiokafka.protocol.admin import ApiVersionRequest

from schemas import DeadLetter, ReplayState
from streams.cli.common import fail, settings
from streams.errors import WirestreamError
from streams.kafka import (
    BrokerUnreachableError,
    LocalBroker,
    client_kwargs,
    cluster_reachable,
    pipeline_topics,
)
from streams.kafka.admin import admin_client, changelog_topics
from streams.replay import remaining
from streams.settings import Settings
from streams.topology import DLQ, REPLAYS, TABLES, WIRE_IDS

_PRODUCE, _FETCH = 0, 1
_UNREADABLE = "unreadable"


@dataclass(frozen=True)
class BrokerInfo:
    bootstrap: str
    cluster_id: str | None
    controller_id: int | None
    brokers: list[str]
    protocol: str
    """Highest Produce and Fetch versions: the Kafka protocol carries no release number."""
    release: str | None
    """The Apache Kafka release, when the broker is Wirestream's own local one."""
    security: str


@dataclass(frozen=True)
class TopicInfo:
    name: str
    exists: bool
    partitions: int | None = None
    retention: str | None = None
    cleanup_policy: str | None = None
    records: int | None = None
    """Records currently held (end minus earliest offset, summed over partitions)."""


@dataclass(frozen=True)
class MemberInfo:
    client_id: str
    host: str
    partitions: int


@dataclass(frozen=True)
class GroupInfo:
    group_id: str
    state: str
    members: list[MemberInfo]
    lag: dict[str, int]
    """Per topic the group consumes: records after its committed offsets."""


@dataclass(frozen=True)
class DeadLetterCounts:
    total: dict[str, int]
    last_hour: dict[str, int]


@dataclass(frozen=True)
class TableInfo:
    name: str
    changelog: str
    partitions: int | None
    source: str
    entries: int | None = None
    """Live keys in the changelog: keys whose last record is not a tombstone (None: missing)."""


@dataclass(frozen=True)
class ReplayInfo:
    """A replay whose latest checkpoint on ``wires.replays`` says it did not reach its end."""

    replay_id: str
    mode: str
    source_topic: str
    target_topic: str
    window_from: datetime | None
    window_to: datetime | None
    started_at: datetime
    updated_at: datetime
    offsets_left: int
    """Offsets still to scan up to the window's end (an upper bound of the records left)."""
    read: int
    produced: int
    dead_lettered: int


@dataclass(frozen=True)
class StatusReport:
    broker: BrokerInfo
    topics: list[TopicInfo]
    groups: list[GroupInfo]
    dead_letters: DeadLetterCounts
    tables: list[TableInfo] = field(default_factory=list)
    replays: list[ReplayInfo] = field(default_factory=list)
    """Unfinished replays (resume them with `wirestream replay --resume ID`)."""
    resends: int | None = None
    """Copies of wires seen again within the dedupe window (None: no wire-ids changelog)."""


def retention_text(retention_ms: str | None) -> str | None:
    """``604800000`` -> ``7d``; ``-1`` -> ``forever``."""
    if retention_ms is None:
        return None
    try:
        ms = int(retention_ms)
    except ValueError:
        return retention_ms
    if ms < 0:
        return "forever"
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)):
        if ms >= size and ms % size == 0:
            return f"{ms // size}{unit}"
    return f"{ms}ms"


def count_dead_letters(values: list[bytes], *, now: datetime) -> DeadLetterCounts:
    """Dead letters by error code, in total and failed within the hour before ``now``."""
    total: Counter[str] = Counter()
    recent: Counter[str] = Counter()
    since = now - timedelta(hours=1)
    for value in values:
        try:
            letter = DeadLetter.model_validate_json(value)
        except ValueError:
            total[_UNREADABLE] += 1
            continue
        total[letter.error_code] += 1
        if letter.failed_at >= since:
            recent[letter.error_code] += 1
    return DeadLetterCounts(
        total=dict(sorted(total.items())), last_hour=dict(sorted(recent.items()))
    )


Record = tuple[int, bytes | None, bytes | None]
"""(partition, key, value) of one record; a None value is a tombstone."""


def count_live_keys(records: Iterable[Record]) -> int:
    """Keys whose last record, in offset order within their partition, is not a tombstone.

    What a compacted changelog holds once compaction has run: the table's size.
    A record without a key cannot be compacted and stands for no entry.
    """
    last: dict[tuple[int, bytes], bool] = {}
    for partition, key, value in records:
        if key is not None:
            last[(partition, key)] = value is not None
    return sum(last.values())


def count_resends(records: Iterable[Record]) -> int:
    """Resends counted in the ``wire-ids`` changelog: the ``resends`` of each key's last value."""
    last: dict[tuple[int, bytes], bytes | None] = {}
    for partition, key, value in records:
        if key is not None:
            last[(partition, key)] = value
    total = 0
    for value in last.values():
        if value is None:
            continue
        try:
            total += int(orjson.loads(value).get("resends", 0))
        except (orjson.JSONDecodeError, AttributeError, TypeError, ValueError):
            continue
    return total


def unfinished_replays(records: Iterable[Record]) -> list[ReplayInfo]:
    """Replays whose latest state on ``wires.replays`` is not finished, oldest start first.

    A tombstone forgets its replay; a record that is not a ReplayState is skipped.
    """
    latest: dict[str, ReplayState] = {}  # keyed by replay id, as the topic is
    for _partition, key, value in records:
        if value is None:
            if key is not None:
                latest.pop(key.decode("utf-8", errors="replace"), None)
            continue
        try:
            state = ReplayState.model_validate_json(value)
        except ValueError:
            continue
        latest[state.replay_id] = state
    open_ = [s for s in latest.values() if not s.finished]
    return [
        ReplayInfo(
            replay_id=s.replay_id,
            mode=s.mode,
            source_topic=s.source_topic,
            target_topic=s.target_topic,
            window_from=s.window_from,
            window_to=s.window_to,
            started_at=s.started_at,
            updated_at=s.updated_at,
            offsets_left=remaining(s),
            read=s.counts.read,
            produced=s.counts.produced,
            dead_lettered=s.counts.dead_lettered,
        )
        for s in sorted(open_, key=lambda s: (s.started_at, s.replay_id))
    ]


def security_text(cfg: Settings) -> str:
    if cfg.security_protocol.startswith("SASL"):
        return (
            f"{cfg.security_protocol} {cfg.sasl_mechanism or 'PLAIN'} as {cfg.sasl_username or '?'}"
        )
    return cfg.security_protocol


def _config_values(response: Any) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for resource in response.resources:
        error_code, name, entries = resource[0], resource[3], resource[4]
        if error_code:
            continue
        found[str(name)] = {str(e[0]): str(e[1]) for e in entries if e[1] is not None}
    return found


def _members(description: Any) -> tuple[str, list[MemberInfo]]:
    state = "unknown"
    members: list[MemberInfo] = []
    for group in description.groups:
        state = str(group[2]) or "unknown"
        for member in group[5]:
            client_id, host, assignment = str(member[1]), str(member[2]), member[4]
            partitions = 0
            if assignment:
                try:
                    decoded = ConsumerProtocolMemberAssignment.decode(assignment)
                    partitions = sum(len(parts) for _, parts in decoded.assignment)
                except Exception:  # another assignor's format: count unknown
                    partitions = 0
            members.append(MemberInfo(client_id, host.lstrip("/"), partitions))
    return state, members


async def _broker(admin: Any, cfg: Settings) -> BrokerInfo:
    cluster = await admin.describe_cluster()
    brokers = [f"{b['node_id']}@{b['host']}:{b['port']}" for b in cluster.get("brokers", [])]
    protocol = "unknown"
    if cluster.get("brokers"):
        node = cluster["brokers"][0]["node_id"]
        # The admin client has no call for ApiVersions; its own client sends any request.
        answer = await admin._client.send(node, ApiVersionRequest())
        versions = {key: high for key, _low, high in answer.api_versions}
        protocol = (
            f"Produce v{versions.get(_PRODUCE, '?')}, Fetch v{versions.get(_FETCH, '?')} "
            f"({len(versions)} APIs)"
        )
    local = LocalBroker(cfg)
    release = None
    if local.serves(cfg.kafka_bootstrap) and local.status().running:
        release = f"Apache Kafka {local.kafka_version} (Wirestream's local broker)"
    return BrokerInfo(
        bootstrap=cfg.kafka_bootstrap,
        cluster_id=cluster.get("cluster_id"),
        controller_id=cluster.get("controller_id"),
        brokers=brokers,
        protocol=protocol,
        release=release,
        security=security_text(cfg),
    )


async def _read_all(consumer: AIOKafkaConsumer, tps: list[TopicPartition]) -> list[Record]:
    """Every committed record now on ``tps``, from the earliest offset to the current end.

    The consumer reads ``read_committed``, so "the end" is the last stable offset.
    """
    if not tps:
        return []
    ends = await consumer.end_offsets(tps)
    starts = await consumer.beginning_offsets(tps)
    wanted = [tp for tp in tps if ends[tp] > starts[tp]]
    if not wanted:
        return []
    consumer.assign(wanted)
    for tp in wanted:
        consumer.seek(tp, starts[tp])
    records: list[Record] = []
    behind = set(wanted)
    while behind:
        batch = await consumer.getmany(*behind, timeout_ms=1000)
        for tp, messages in batch.items():
            records.extend((tp.partition, m.key, m.value) for m in messages if m.offset < ends[tp])
        for tp in list(behind):
            if await consumer.position(tp) >= ends[tp]:
                behind.discard(tp)
    return records


async def gather(cfg: Settings, *, timeout: float = 30) -> StatusReport:
    """Ask the cluster; raises :class:`BrokerUnreachableError` if it does not answer."""
    options = client_kwargs(cfg)
    if not await cluster_reachable(cfg.kafka_bootstrap, timeout=min(timeout, 10), options=options):
        raise BrokerUnreachableError(
            f"no Kafka cluster answers at {cfg.kafka_bootstrap} ({security_text(cfg)}); "
            "check WIRESTREAM_KAFKA_BOOTSTRAP and the security settings, or start the local "
            "broker with `wirestream broker start`"
        )
    names = pipeline_topics(cfg) + changelog_topics(cfg)
    replays_topic = cfg.topic(REPLAYS.name)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=cfg.kafka_bootstrap,
        enable_auto_commit=False,
        isolation_level="read_committed",
        **options,
    )
    async with asyncio.timeout(timeout), admin_client(cfg.kafka_bootstrap, options) as admin:
        broker = await _broker(admin, cfg)
        # Only listed topics are described: a Metadata request naming a missing
        # topic would create it on a cluster that auto-creates topics.
        listed = set(await admin.list_topics())
        wanted = [n for n in [*names, replays_topic] if n in listed]
        described: dict[str, Any] = {}
        if wanted:
            described = {str(t["topic"]): t for t in await admin.describe_topics(wanted)}
        existing = [n for n in names if n in described and described[n]["error_code"] == 0]
        # wires.replays exists once the first replay or redrive has run.
        replay_tps: list[TopicPartition] = []
        if replays_topic in described and described[replays_topic]["error_code"] == 0:
            replay_tps = [
                TopicPartition(replays_topic, int(p["partition"]))
                for p in described[replays_topic]["partitions"]
            ]
        configs: dict[str, dict[str, str]] = {}
        if existing:
            for response in await admin.describe_configs(
                [
                    ConfigResource(
                        ConfigResourceType.TOPIC, n, {"retention.ms": None, "cleanup.policy": None}
                    )
                    for n in existing
                ]
            ):
                configs.update(_config_values(response))
        tps = [
            TopicPartition(n, int(p["partition"]))
            for n in existing
            for p in described[n]["partitions"]
        ]
        await consumer.start()
        try:
            ends = await consumer.end_offsets(tps) if tps else {}
            starts = await consumer.beginning_offsets(tps) if tps else {}
            dlq = [tp for tp in tps if tp.topic == cfg.topic(DLQ.name)]
            letters = [v for _, _, v in await _read_all(consumer, dlq) if v is not None]
            entries: dict[str, int] = {}
            resends: int | None = None
            for table in TABLES:
                changelog = table.changelog(cfg.app_id)
                if changelog in existing:
                    kept = await _read_all(consumer, [tp for tp in tps if tp.topic == changelog])
                    entries[changelog] = count_live_keys(kept)
                    if table is WIRE_IDS:
                        resends = count_resends(kept)
            replays = unfinished_replays(await _read_all(consumer, replay_tps))
        finally:
            await consumer.stop()
        topics: list[TopicInfo] = []
        for name in names:
            if name not in existing:
                topics.append(TopicInfo(name, exists=False))
                continue
            held = sum(ends[tp] - starts[tp] for tp in tps if tp.topic == name)
            topics.append(
                TopicInfo(
                    name,
                    exists=True,
                    partitions=len(described[name]["partitions"]),
                    retention=retention_text(configs.get(name, {}).get("retention.ms")),
                    cleanup_policy=configs.get(name, {}).get("cleanup.policy"),
                    records=held,
                )
            )
        groups: list[GroupInfo] = []
        listed = {str(g[0]) for g in await admin.list_consumer_groups()}
        if cfg.app_id in listed:
            state, members = _members((await admin.describe_consumer_groups([cfg.app_id]))[0])
            committed = await admin.list_consumer_group_offsets(cfg.app_id)
            lag: dict[str, int] = {}
            consumed = {tp.topic for tp in committed}
            for tp in tps:
                if tp.topic not in consumed:  # not an input of any stage
                    continue
                done = committed.get(tp)
                position = done.offset if done is not None and done.offset >= 0 else starts[tp]
                lag[tp.topic] = lag.get(tp.topic, 0) + max(0, ends[tp] - position)
            groups.append(GroupInfo(cfg.app_id, state, members, lag))
    tables = [
        TableInfo(
            table.name,
            table.changelog(cfg.app_id),
            len(described[table.changelog(cfg.app_id)]["partitions"])
            if table.changelog(cfg.app_id) in existing
            else None,
            cfg.topic(table.source),
            entries.get(table.changelog(cfg.app_id)),
        )
        for table in TABLES
    ]
    return StatusReport(
        broker=broker,
        topics=topics,
        groups=groups,
        dead_letters=count_dead_letters(letters, now=datetime.now(UTC)),
        tables=tables,
        replays=replays,
        resends=resends,
    )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{code} {n}" for code, n in counts.items()) or "none"


def render(report: StatusReport, cfg: Settings) -> str:
    """The readable table."""
    b = report.broker
    lines = [
        f"broker      {b.bootstrap}  reachable",
        f"  cluster   {b.cluster_id or '?'}, controller {b.controller_id}, "
        f"brokers {', '.join(b.brokers) or 'none'}",
        f"  version   {b.release or 'not reported by the Kafka protocol'}",
        f"  protocol  {b.protocol}",
        f"  security  {b.security}",
        "",
        f"{'topic':<44} {'parts':>5} {'retention':>9} {'cleanup':>8} {'records':>9}",
    ]
    for t in report.topics:
        if not t.exists:
            lines.append(f"{t.name:<44} {'missing: run `wirestream broker topics`'}")
            continue
        lines.append(
            f"{t.name:<44} {t.partitions:>5} {t.retention or '?':>9} "
            f"{t.cleanup_policy or '?':>8} {t.records:>9}"
        )
    lines.append("")
    if not report.groups:
        lines.append(f"consumer group {cfg.app_id}: none yet (no worker has joined)")
    for g in report.groups:
        lines.append(f"consumer group {g.group_id}: {g.state}, {len(g.members)} member(s)")
        for m in g.members:
            lines.append(f"  {m.client_id} at {m.host}, {m.partitions} partitions")
        for topic, behind in g.lag.items():
            lines.append(f"  lag {topic:<40} {behind:>9}")
    lines += [
        "",
        f"dead letters  last hour: {_counts(report.dead_letters.last_hour)}",
        f"              total:     {_counts(report.dead_letters.total)}",
        "",
        f"{'table':<18} {'changelog':<44} {'parts':>5} {'entries':>9}  updated from",
    ]
    for table in report.tables:
        parts = str(table.partitions) if table.partitions is not None else "missing"
        entries = str(table.entries) if table.entries is not None else "-"
        lines.append(
            f"{table.name:<18} {table.changelog:<44} {parts:>5} {entries:>9}  {table.source}"
        )
    if report.resends is not None:
        lines.append(f"resends within the dedupe window (not processed again): {report.resends}")
    lines.append("")
    if not report.replays:
        lines.append("unfinished replays: none")
    else:
        lines.append(f"unfinished replays: {len(report.replays)} (finish one: replay --resume ID)")
    for r in report.replays:
        window = (
            f"{r.window_from.isoformat(timespec='seconds')} .. "
            f"{r.window_to.isoformat(timespec='seconds')}"
            if r.window_from and r.window_to
            else "-"
        )
        lines.append(
            f"  {r.replay_id}  {r.mode} {r.source_topic} -> {r.target_topic}  {window}  "
            f"read {r.read:,} produced {r.produced:,} dead-lettered {r.dead_lettered:,}  "
            f"{r.offsets_left:,} offsets left, last checkpoint "
            f"{r.updated_at.isoformat(timespec='seconds')}"
        )
    return "\n".join(lines)


def status(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object, for scripts.")] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds to wait for the cluster.")
    ] = 30,
) -> None:
    """Show the cluster, the pipeline topics, the worker group's lag, dead letters, table sizes
    and unfinished replays.

    Exits with code 2 and says why when the cluster does not answer.
    """
    cfg = settings()
    try:
        report = asyncio.run(gather(cfg, timeout=timeout))
    except WirestreamError as exc:
        fail(exc)
    except TimeoutError:
        fail(f"the Kafka cluster at {cfg.kafka_bootstrap} did not answer within {timeout:g}s")
    if as_json:
        typer.echo(orjson.dumps(asdict(report), option=orjson.OPT_INDENT_2).decode())
    else:
        typer.echo(render(report, cfg))
