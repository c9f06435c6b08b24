"""What every command shares: settings, error reporting, rendering records."""

from __future__ import annotations

import importlib
import sys
from typing import Annotated, NoReturn

import typer

from schemas import DeadLetter, EnrichedArticle, Entity, KillNotice
from streams.errors import WirestreamError
from streams.settings import Settings, get_settings

#: The inputs of `ingest`, `enrich` and `demo`.
WirePaths = Annotated[
    list[str],
    typer.Argument(help="Wire files, folders (read recursively) or '-' for standard input."),
]
#: The declared format of those inputs.
FormatHint = Annotated[
    str | None,
    typer.Option("--format", "-f", help="Declare the format ('yonhap', 'text'); default: detect."),
]


def settings() -> Settings:
    return get_settings()


def fail(exc: WirestreamError | str, *, code: int = 2) -> NoReturn:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    typer.echo(message, err=True)


def describe_enriched(record: EnrichedArticle) -> str:
    """A few readable lines for a person watching the pipeline."""
    a = record.article
    by_type: dict[str, list[str]] = {}
    for entity in record.entities:
        by_type.setdefault(entity.type, []).append(_describe_entity(entity))
    lines = [
        f"\u25b6 {a.headline}",
        f"  story {a.story_id}  v{a.version} {' '.join(a.version_tags)}".rstrip(),
        f"  {a.source_agency or '?'} | {a.byline or 'no byline'} | "
        f"{', '.join(a.dateline.cities) if a.dateline else 'no dateline'} | "
        f"{a.published_at.strftime('%Y-%m-%dT%H:%M:%SZ') if a.published_at else 'no time'}",
    ]
    for label in ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"):
        if label in by_type:
            lines.append(f"  {label:<7} {', '.join(by_type[label])}")
    if record.topics:
        lines.append("  topics  " + ", ".join(f"{t.name} ({t.relevance})" for t in record.topics))
    lines.append(f"  {record.pipeline_version}")
    return "\n".join(lines)


def _describe_entity(entity: Entity) -> str:
    """``Kim Jong-un (100 Q56226)``: relevance, QID, and a place's ``@lat,lon``."""
    facts = [str(entity.relevance)]
    if entity.wikidata:
        facts.append(entity.wikidata)
    if entity.geo is not None and entity.geo.lat is not None and entity.geo.lon is not None:
        facts.append(f"@{entity.geo.lat:.3f},{entity.geo.lon:.3f}")
    return f"{entity.name} ({' '.join(facts)})"


def describe_dead_letter(letter: DeadLetter) -> str:
    return (
        f"\u2716 dead letter from stage {letter.stage!r}: [{letter.error_code}] "
        f"{letter.error_type}: {letter.message}\n"
        f"  source {letter.source_topic}[{letter.source_partition}]@{letter.source_offset}, "
        f"original record kept ({len(letter.original)} bytes)"
    )


def describe_kill(kill: KillNotice) -> str:
    return (
        f"\u2718 kill: {kill.headline}\n"
        f"  story {kill.story_id} ({kill.source_agency or '?'}): {kill.reason}"
    )


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()


def add_module_command(app: typer.Typer, name: str, *, group: str, module: str, help: str) -> None:
    """Add ``name`` to ``app`` (the ``wirestream group`` commands): a command that hands
    all its arguments, ``--help`` included, to ``module.main(argv, prog=...)`` (an argparse
    builder or trainer, so its options are written once and ``python -m module`` keeps
    working)."""
    prog = f"wirestream {group} {name}"

    def command(ctx: typer.Context) -> None:
        main = importlib.import_module(module).main  # imported only when run
        raise typer.Exit(main(list(ctx.args), prog=prog))

    app.command(
        name,
        help=help,
        add_help_option=False,
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )(command)
