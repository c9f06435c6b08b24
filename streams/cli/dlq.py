"""``wirestream dlq list|show|redrive``: the dead-letter topic, and the way back from it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated

import typer

from streams.cli.common import fail, settings
from streams.dlq import (
    Letter,
    LetterFilter,
    fetch_letter,
    list_letters,
    original_wire,
    redrive,
    row,
    show_bytes,
    table,
)
from streams.dlq import attempts as attempts_of
from streams.errors import WirestreamError
from streams.kafka import ensure_broker
from streams.replay import parse_time

app = typer.Typer(
    help="List, inspect and redrive dead letters (records a stage could not process).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Stage = Annotated[
    str | None,
    typer.Option("--stage", help="Only dead letters of this stage (parse, entities, topics ...)."),
]
Code = Annotated[str | None, typer.Option("--code", help="Only this error code, e.g. W102.")]
Since = Annotated[
    str | None,
    typer.Option("--since", help="Only those that failed since: '-1d' or ISO with a zone."),
]


@contextmanager
def _reported() -> Iterator[None]:
    try:
        yield
    except WirestreamError as exc:
        fail(exc)


def _filter(stage: str | None, code: str | None, since: str | None) -> LetterFilter:
    when = parse_time(since, now=datetime.now(UTC)) if since is not None else None
    return LetterFilter(stage=stage, code=code, since=when)


def _letters(where: LetterFilter) -> list[Letter]:
    cfg = settings()
    asyncio.run(ensure_broker(cfg, start_local=False))
    return asyncio.run(list_letters(cfg, where))


@app.command("list")
def list_(stage: Stage = None, code: Code = None, since: Since = None) -> None:
    """A table of dead letters: id, time, stage, code, tries, message, source."""
    with _reported():
        found = _letters(_filter(stage, code, since))
    if not found:
        typer.echo("no dead letters match")
        return
    typer.echo(table([row(item.id, item.letter) for item in found]))


@app.command()
def show(
    dead_letter_id: Annotated[str, typer.Argument(help="Its id from `dlq list`, e.g. 0-17.")],
) -> None:
    """One dead letter: its envelope and its original bytes (hex-dumped when binary)."""
    with _reported():
        cfg = settings()
        asyncio.run(ensure_broker(cfg, start_local=False))
        item = asyncio.run(fetch_letter(cfg, dead_letter_id))
    letter = item.letter
    envelope = letter.model_dump(mode="json", exclude={"original", "source_key"})
    envelope["attempts"] = attempts_of(letter)
    typer.echo(f"dead letter {item.id}")
    typer.echo(json.dumps(envelope, indent=2, ensure_ascii=False))
    if letter.source_key is not None:
        typer.echo(f"key: {show_bytes(letter.source_key)}")
    typer.echo(f"original ({len(letter.original):,} bytes):")
    typer.echo(show_bytes(letter.original))
    wire = original_wire(letter)
    if wire is not None:
        typer.echo(f"wire content ({len(wire.content):,} bytes):")
        typer.echo(show_bytes(wire.content))


@app.command("redrive")
def redrive_(
    ids: Annotated[
        list[str] | None, typer.Argument(help="Dead-letter ids; none = every one the filters take.")
    ] = None,
    stage: Stage = None,
    code: Code = None,
    since: Since = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be sent; send nothing.")
    ] = False,
) -> None:
    """Send dead letters' original bytes back to the failed stage's input topic, after a fix.

    Each goes back once: a dead letter already redriven is skipped. A wire
    that fails again comes back as a new dead letter with its count of tries.
    """
    with _reported():
        cfg = settings()
        where = _filter(stage, code, since)
        if ids:
            asyncio.run(ensure_broker(cfg, start_local=False))
            chosen = [asyncio.run(fetch_letter(cfg, i)) for i in ids]
            chosen = [item for item in chosen if where.matches(item.letter)]
        else:
            if where == LetterFilter():
                fail("name dead-letter ids or a filter (--stage, --code, --since)", code=2)
            chosen = _letters(where)
        outcomes = asyncio.run(redrive(cfg, chosen, dry_run=dry_run))
    for outcome in outcomes:
        typer.echo(
            f"{outcome.id}  {outcome.status:<16}  -> {outcome.topic} (try {outcome.attempt + 1})"
        )
    sent = sum(1 for o in outcomes if o.status in ("sent", "would send"))
    verb = "would send" if dry_run else "sent"
    typer.echo(f"{verb} {sent}, skipped {len(outcomes) - sent} already redriven")
