"""`wirestream tail`: print the records of a topic."""

from __future__ import annotations

import asyncio
from typing import Annotated

import orjson
import typer

from schemas import DeadLetter, EnrichedArticle, KillNotice
from streams.cli.common import (
    describe_dead_letter,
    describe_enriched,
    describe_kill,
    fail,
    settings,
)
from streams.reader import read_topic
from streams.settings import Settings
from streams.topology import BY_NAME


def resolve_topic(name: str) -> str:
    """Accept 'wires.enriched' or the short 'enriched'."""
    if name in BY_NAME:
        return name
    if f"wires.{name}" in BY_NAME:
        return f"wires.{name}"
    known = ", ".join(sorted(BY_NAME))
    raise typer.BadParameter(f"unknown topic {name!r}; pipeline topics are: {known}")


def render(topic: str, value: bytes, *, pretty: bool) -> str:
    if pretty:
        try:
            # The topic registry says which record type travels on the topic.
            record = BY_NAME[topic].value.model_validate_json(value)
        except ValueError:
            record = None  # not one of ours: show it as it is
        if isinstance(record, EnrichedArticle):
            return describe_enriched(record) + "\n"
        if isinstance(record, DeadLetter):
            return describe_dead_letter(record) + "\n"
        if isinstance(record, KillNotice):
            return describe_kill(record) + "\n"
    try:
        return orjson.dumps(orjson.loads(value)).decode()
    except orjson.JSONDecodeError:
        return value.decode("utf-8", errors="replace")


async def _tail(
    cfg: Settings,
    topic: str,
    *,
    from_beginning: bool,
    limit: int | None,
    idle: float | None,
    pretty: bool,
) -> int:
    count = 0
    async for record in read_topic(
        cfg, cfg.topic(topic), from_beginning=from_beginning, idle_timeout=idle
    ):
        typer.echo(render(topic, record.value, pretty=pretty))
        count += 1
        if limit is not None and count >= limit:
            break
    return count


def tail(
    topic: Annotated[str, typer.Argument(help="Topic: raw, parsed, entities, enriched or dlq.")],
    from_beginning: Annotated[
        bool,
        typer.Option(
            "--from-beginning/--new", help="Start at the oldest record, or only new ones."
        ),
    ] = True,
    limit: Annotated[
        int | None, typer.Option("--max", "-n", min=1, help="Stop after this many records.")
    ] = None,
    idle: Annotated[
        float | None,
        typer.Option("--idle", help="Stop after this many quiet seconds (default: follow)."),
    ] = None,
    pretty: Annotated[
        bool, typer.Option("--pretty", help="Readable summaries instead of JSON lines.")
    ] = False,
) -> None:
    """Print the records of a pipeline topic, one JSON object per line."""
    name = resolve_topic(topic)
    cfg = settings()
    try:
        asyncio.run(
            _tail(cfg, name, from_beginning=from_beginning, limit=limit, idle=idle, pretty=pretty)
        )
    except LookupError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        pass
