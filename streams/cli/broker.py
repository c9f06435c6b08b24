"""``wirestream broker ...``: the local single-node Kafka broker and the pipeline topics."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from streams.cli.common import fail, settings
from streams.errors import WirestreamError
from streams.kafka import (
    LocalBroker,
    ensure_broker,
    ensure_topics,
    topic_partitions,
    topic_retention,
)
from streams.topology import MS_PER_DAY

app = typer.Typer(
    help="Run the local single-node Apache Kafka (KRaft) broker and create the pipeline topics. "
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
) -> None:
    """Start the local broker in the background (fetching and formatting it first if needed)."""
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


@app.command()
def stop(
    timeout: float = typer.Option(
        30.0, min=0.0, help="Seconds to wait for a clean shutdown before killing the broker."
    ),
) -> None:
    """Stop the local broker."""
    with _reported():
        broker = _broker()
        if broker.stop(timeout=timeout):
            typer.echo("stopped")
        else:
            typer.echo(f"not running (no live broker recorded in {broker.pid_path})")


@app.command()
def status() -> None:
    """Show whether the local broker runs; exit code 0 if it does, 1 if not."""
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
) -> None:
    """Create the pipeline topics on the configured cluster (existing ones are kept)."""
    cfg = settings()

    async def run() -> tuple[dict[str, int], dict[str, int]]:
        # No broker is started here: this command may target a remote cluster.
        await ensure_broker(cfg, start_local=False)
        names = await ensure_topics(cfg, timeout=timeout)
        counts = await topic_partitions(cfg, names, timeout=timeout)
        retention = await topic_retention(cfg, names, timeout=timeout)
        return {name: counts.get(name, 0) for name in names}, retention

    with _reported():
        created, retention = asyncio.run(run())
    typer.echo(f"topics at {cfg.kafka_bootstrap}:")
    width = max(len(name) for name in created)
    for name, count in created.items():
        partitions = f"{count} partition{'s' if count != 1 else ''}"
        kept = describe_retention(retention.get(name))
        typer.echo(f"  {name:<{width}}  {partitions:<13}  {kept}")


def describe_retention(retention_ms: int | None) -> str:
    """``kept 30 days``, ``kept for ever``: how long a topic keeps its records."""
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
    """Print the end of the local broker's server.log."""
    broker = _broker()
    tail = broker.log_tail(lines)
    if not tail:
        fail(f"no broker log at {broker.log_path} (has the broker been started?)", code=1)
    typer.echo("\n".join(tail))
