"""`wirestream match`: try a subscription query on wires offline, and see why it matched."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from schemas import EnrichedArticle
from streams.alerts import Hit, Query, QueryError, default_vocabulary, document, parse
from streams.cli.common import FormatHint, fail, warn
from streams.cli.enrich import enriched_records


def show_query_error(text: str, exc: QueryError) -> None:
    """The error with the query and a caret under the column it names."""
    warn(f"error: {exc}")
    if "\n" not in text and len(text) < 200:
        warn(f"  {text}\n  {' ' * (exc.column - 1)}^")


def parse_or_fail(text: str) -> Query:
    try:
        return parse(text, default_vocabulary())
    except QueryError as exc:
        show_query_error(text, exc)
        raise typer.Exit(2) from exc


def _read_enriched(paths: list[str]) -> Iterator[EnrichedArticle]:
    for name in paths:
        try:
            handle = sys.stdin if name == "-" else Path(name).open(encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            fail(f"{name}: cannot read ({exc.strerror or exc})")
        with handle:
            for n, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    yield EnrichedArticle.model_validate_json(line)
                except ValidationError as exc:
                    fail(
                        f"{name}:{n}: not an EnrichedArticle JSON line ({exc.error_count()} errors)"
                    )


def _excerpt(record: EnrichedArticle, hit: Hit) -> list[str]:
    texts = {"headline": record.article.headline, "body": "\n\n".join(record.article.body)}
    out = []
    for span in hit.spans[:3]:
        text = texts[span.section]
        left = text[max(0, span.start - 30) : span.start].replace("\n", " ")
        right = text[span.end : span.end + 30].replace("\n", " ")
        out.append(
            f"      {span.section}[{span.start}:{span.end}] "
            f"…{left}[{text[span.start : span.end]}]{right}…"
        )
    return out


def match(
    query: Annotated[str, typer.Argument(help="The subscription query (quote it for the shell).")],
    paths: Annotated[
        list[str],
        typer.Argument(help="Wire files or folders (read recursively), or '-' for standard input."),
    ],
    format_hint: FormatHint = None,
    enriched: Annotated[
        bool,
        typer.Option(
            "--enriched",
            help="The inputs are JSON lines from `wirestream enrich` (no model to load: fast "
            "when trying many queries on the same wires).",
        ),
    ] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="List the articles that did not match too.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per matching article.")
    ] = False,
) -> None:
    """Run a subscription query against wires offline and show what matched and why.

    The wires are parsed and enriched with the same stage functions as the
    worker (or read from `wirestream enrich` output with --enriched), then the
    query is evaluated on each. For every match: the terms that held and where
    in the headline or body. Exit code 0 when something matched, 1 when
    nothing did, 2 for a query that does not parse.

    Example: wirestream match 'entity:"Kim Jong-un" AND topic:"conflict, war and peace"' wires/
    """
    parsed = parse_or_fail(query)
    vocabulary = default_vocabulary()
    records = (
        _read_enriched(paths)
        if enriched
        else enriched_records(paths, format_hint=format_hint, batch_size=32, on_error=warn)
    )
    seen = matched = 0
    for record in records:
        seen += 1
        doc = document(record, vocabulary)
        hits = parsed.explain(doc)
        a = record.article
        if as_json:
            if hits:
                typer.echo(
                    json.dumps(
                        {
                            "story_id": a.story_id,
                            "article_id": a.article_id,
                            "headline": a.headline,
                            "version_kind": doc.kind,
                            "reason": parsed.reason(doc),
                            "hits": [
                                {
                                    "term": h.term,
                                    "field": h.field,
                                    "value": h.value,
                                    "spans": [[s.section, s.start, s.end] for s in h.spans],
                                }
                                for h in hits
                            ],
                        },
                        ensure_ascii=False,
                    )
                )
        elif hits:
            typer.echo(f"\u2714 {a.headline}\n  story {a.story_id} v{a.version} ({doc.kind})")
            for hit in hits:
                typer.echo(f"    {hit.term}" + (f" = {hit.value}" if hit.value else ""))
                for line in _excerpt(record, hit):
                    typer.echo(line)
        elif show_all:
            typer.echo(f"\u2718 {a.headline}\n  story {a.story_id} v{a.version} ({doc.kind})")
        matched += bool(hits)
    warn(f"match: {matched} of {seen} articles matched {parsed.root.describe()}")
    if not matched:
        raise typer.Exit(1)
