"""``wirestream broker ...``: the local Kafka broker (one node or a cluster) and the topics."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from streams.cli.common import fail, settings
from streams.errors import WirestreamError
from streams.kafka import (
    BrokerStatus,
    LocalBroker,
    LocalCluster,
    TopicReplication,
    ensure_broker,
    ensure_topics,
    topic_cleanup_policy,
    topic_partitions,
    topic_replication,
    topic_retention,
)
from streams.topology import MS_PER_DAY

app = typer.Typer(
    help="Run the local Apache Kafka (KRaft) broker, one node or a cluster of several, and "
    "create the pipeline topics. "
    "Needs Java 17+ and Maven; or point WIRESTREAM_KAFKA_BOOTSTRAP at an existing cluster.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@contextmanager
def _reported() -> Iterator[None]:
    """Turn Wirestream errors into ``error: [Wnnn] ...`` on stderr and exit code 2."""
    try:
        yield
    except WirestreamError as exc:
        fail(exc)


def _broker() -> LocalBroker:
    return LocalBroker(settings())


def _cluster() -> LocalCluster | None:
    """The local cluster recorded in the broker directory, if one was started there."""
    return LocalCluster.recorded(settings())


@app.command()
def fetch(
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Show Maven's output while it downloads."
    ),
) -> None:
    """Download the broker's jars with Maven (once per Kafka version)."""
    with _reported():
        broker = _broker()
        if broker.is_fetched():
            typer.echo(f"Apache Kafka {broker.kafka_version} already in {broker.libs_dir}")
            return
        started = time.monotonic()
        libs = broker.fetch(quiet=not verbose)
        typer.echo(
            f"fetched Apache Kafka {broker.kafka_version} into {libs} "
            f"in {time.monotonic() - started:.1f}s"
        )


@app.command()
def start(
    timeout: float = typer.Option(
        60.0, min=1.0, help="Seconds to wait for the broker to answer before giving up."
    ),
    nodes: int | None = typer.Option(
        None,
        "--nodes",
        min=1,
        help="Brokers to run, each a JVM with its own ports and data directory, all voters of "
        "one controller quorum (default: WIRESTREAM_BROKER_NODES, 1).",
    ),
) -> None:
    """Start the local broker in the background (fetching and formatting it first if needed)."""
    count = nodes if nodes is not None else settings().broker_nodes
    if count > 1:
        _start_cluster(count, timeout)
        return
    with _reported():
        broker = _broker()
        already = broker.status().running
        started = time.monotonic()
        broker.start(timeout=timeout)
        status = broker.status()
        if already:
            typer.echo(f"already running (pid {status.pid})")
        else:
            typer.echo(f"started (pid {status.pid}) in {time.monotonic() - started:.1f}s")
        typer.echo(f"bootstrap:     {status.bootstrap}")
        typer.echo(f"Kafka version: {status.kafka_version}")
        typer.echo(f"log:           {status.log_path}")


def _start_cluster(nodes: int, timeout: float) -> None:
    cfg = settings()
    with _reported():
        cluster = LocalCluster(cfg, nodes)
        started = time.monotonic()
        # Every node waits for the quorum, so the whole cluster gets more time.
        cluster.start(timeout=timeout * 2)
        states = cluster.status()
    typer.echo(f"cluster of {nodes} nodes up in {time.monotonic() - started:.1f}s")
    _echo_nodes(cluster, states)
    typer.echo(f"bootstrap:     {cluster.bootstrap}")
    if cfg.broker_nodes != nodes or cfg.kafka_bootstrap != cluster.bootstrap:
        # Replication defaults follow broker_nodes; without it topics get one copy.
        typer.echo(
            f"use it with:  export WIRESTREAM_BROKER_NODES={nodes} "
            f"WIRESTREAM_KAFKA_BOOTSTRAP={cluster.bootstrap}"
        )


def _echo_nodes(cluster: LocalCluster, states: list[BrokerStatus]) -> None:
    for port, state in zip(cluster.ports, states, strict=True):
        running = f"running (pid {state.pid})" if state.running else "not running"
        typer.echo(f"node {port.node_id}:        {running:<22} {state.bootstrap}  {state.log_path}")


@app.command()
def stop(
    timeout: float = typer.Option(
        30.0, min=0.0, help="Seconds to wait for a clean shutdown before killing the broker."
    ),
) -> None:
    """Stop the local broker, or every node of the local cluster."""
    cluster = _cluster()
    if cluster is not None:
        with _reported():
            count = cluster.stop(timeout=timeout)
        total = len(cluster.brokers)
        typer.echo(f"stopped {count} of {total} nodes" if count else "no node was running")
        return
    with _reported():
        broker = _broker()
        if broker.stop(timeout=timeout):
            typer.echo("stopped")
        else:
            typer.echo(f"not running (no live broker recorded in {broker.pid_path})")


@app.command()
def status() -> None:
    """Show whether the local broker runs; exit code 0 if it does, 1 if not.

    For a local cluster: every node, and exit code 0 only if all of them run.
    """
    cluster = _cluster()
    if cluster is not None:
        with _reported():
            states = cluster.status()
        up = sum(state.running for state in states)
        typer.echo(f"local cluster: {up} of {len(states)} nodes running")
        _echo_nodes(cluster, states)
        typer.echo(f"bootstrap:     {cluster.bootstrap}")
        if up < len(states):
            raise typer.Exit(1)
        return
    with _reported():
        broker = _broker()
        current = broker.status()
    state = f"running (pid {current.pid})" if current.running else "not running"
    typer.echo(f"local broker:  {state}")
    typer.echo(f"bootstrap:     {current.bootstrap}")
    fetched = "" if current.fetched else " (jars not fetched yet)"
    typer.echo(f"Kafka version: {current.kafka_version}{fetched}")
    typer.echo(f"log:           {current.log_path}")
    if current.port_in_use and not current.running:
        typer.echo(
            f"note: port {broker.settings.broker_port} is in use by another process",
            err=True,
        )
    if not current.running:
        raise typer.Exit(1)


@app.command()
def topics(
    timeout: float = typer.Option(30.0, min=1.0, help="Seconds to wait for Kafka."),
    check: bool = typer.Option(
        False,
        "--check",
        help="Create nothing; report topics replicated below what the settings ask "
        "(replicas, min.insync.replicas, replicas out of sync). Exit code 1 if any.",
    ),
) -> None:
    """Create the pipeline topics on the configured cluster (existing ones are kept)."""
    cfg = settings()
    if check:
        _check_topics(timeout)
        return

    async def run() -> tuple[dict[str, int], dict[str, int], dict[str, str]]:
        # No broker is started here: this command may target a remote cluster.
        await ensure_broker(cfg, start_local=False)
        names = await ensure_topics(cfg, timeout=timeout)
        counts = await topic_partitions(cfg, names, timeout=timeout)
        retention = await topic_retention(cfg, names, timeout=timeout)
        policies = await topic_cleanup_policy(cfg, names, timeout=timeout)
        return {name: counts.get(name, 0) for name in names}, retention, policies

    with _reported():
        created, retention, policies = asyncio.run(run())
    typer.echo(f"topics at {cfg.kafka_bootstrap}:")
    width = max(len(name) for name in created)
    for name, count in created.items():
        partitions = f"{count} partition{'s' if count != 1 else ''}"
        kept = describe_retention(retention.get(name), policies.get(name))
        typer.echo(f"  {name:<{width}}  {partitions:<13}  {kept}")


def _check_topics(timeout: float) -> None:
    cfg = settings()

    async def run() -> list[TopicReplication]:
        await ensure_broker(cfg, start_local=False)
        return await topic_replication(cfg, timeout=timeout)

    with _reported():
        report = asyncio.run(run())
    wanted = f"{cfg.replication_factor} replicas, min.insync.replicas {cfg.min_insync_replicas}"
    short = [topic for topic in report if topic.problems]
    typer.echo(f"topics at {cfg.kafka_bootstrap}, settings ask {wanted}:")
    width = max(len(topic.topic) for topic in report)
    for topic in report:
        verdict = "; ".join(topic.problems) or "ok"
        typer.echo(f"  {topic.topic:<{width}}  {verdict}")
    if short:
        typer.echo(f"{len(short)} of {len(report)} topics under-replicated", err=True)
        raise typer.Exit(1)
    typer.echo(f"all {len(report)} topics replicated as the settings ask")


def describe_retention(retention_ms: int | None, cleanup_policy: str | None = None) -> str:
    """``kept 30 days``, ``kept for ever``, ``compacted``: how long a topic keeps its records.

    A compacted topic keeps the last record of every key whatever its
    ``retention.ms`` says (that applies only with ``delete`` beside it).
    """
    policies = {p.strip() for p in (cleanup_policy or "").split(",")}
    if "compact" in policies:
        if "delete" not in policies:
            return "compacted"
        return f"compacted, {describe_retention(retention_ms)}"
    if retention_ms is None:
        return "retention unknown"
    if retention_ms < 0:
        return "kept for ever"
    days = retention_ms / MS_PER_DAY
    if days >= 1:
        return f"kept {days:g} day{'s' if days != 1 else ''}"
    return f"kept {retention_ms / 3_600_000:g} h"


@app.command()
def logs(
    lines: int = typer.Option(50, "--lines", "-n", min=1, help="How many lines to show."),
) -> None:
    """Print the end of the local broker's server.log (of every node of a local cluster)."""
    cluster = _cluster()
    if cluster is not None:
        for port, node in zip(cluster.ports, cluster.brokers, strict=True):
            typer.echo(f"==> node {port.node_id}: {node.log_path} <==")
            typer.echo("\n".join(node.log_tail(lines)) or "(no log yet)")
        return
    broker = _broker()
    tail = broker.log_tail(lines)
    if not tail:
        fail(f"no broker log at {broker.log_path} (has the broker been started?)", code=1)
    typer.echo("\n".join(tail))
