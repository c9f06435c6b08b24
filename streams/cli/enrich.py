"""`wirestream enrich`: the whole pipeline offline, no Kafka, JSON lines out."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Annotated

import typer
from tqdm import tqdm

from schemas import Article, EnrichedArticle
from streams import pipeline
from streams.cli.common import FormatHint, WirePaths, describe_enriched, fail, settings, warn
from streams.cluster import ClusterIndex, fingerprint
from streams.errors import WirestreamError
from streams.ingest import count_inputs, iter_inputs, to_raw
from streams.nlp import extract_entities, load_model, model_tag


def enriched_records(
    paths: list[str],
    *,
    format_hint: str | None,
    batch_size: int,
    on_error: Callable[[str], None],
) -> Iterator[EnrichedArticle]:
    """Parse and enrich wires with the stage functions the agents run, in their order.

    Shared by ``enrich`` and ``match``. A wire that fails is reported through
    ``on_error`` (with its error code) and skipped; the story-cluster index
    lives in memory for the length of the run.
    """
    cfg = settings()
    try:
        nlp = load_model(cfg.nlp_models, ner=cfg.nlp_ner)
    except WirestreamError as exc:
        fail(exc)
    version = pipeline.pipeline_version(model=model_tag(nlp))
    total = count_inputs(paths)
    show_bar = sys.stderr.isatty() and (total is None or total > 1)
    articles: list[Article] = []
    for item in tqdm(
        iter_inputs(paths, stdin=sys.stdin.buffer, max_bytes=cfg.max_wire_bytes),
        total=total,
        unit="wire",
        desc="parse",
        disable=not show_bar,
        file=sys.stderr,
    ):
        if item.error is not None:
            on_error(f"error: {item.error}")
            continue
        raw = to_raw(item, format_hint=format_hint, now=datetime.now(UTC))
        try:
            articles.extend(pipeline.parse(raw))
        except WirestreamError as exc:
            on_error(f"error: {item.name}: {exc}")

    clusters = ClusterIndex()
    for start in range(0, len(articles), batch_size):
        chunk = articles[start : start + batch_size]
        entity_lists = extract_entities(
            nlp, [pipeline.entities_input(a) for a in chunk], batch_size=batch_size
        )
        now = datetime.now(UTC)
        for article, entities in zip(chunk, entity_lists, strict=True):
            record: EnrichedArticle = pipeline.with_entities(
                article, entities, pipeline_version=version, now=now
            )
            tagged = pipeline.tag(pipeline.topics_stage_input(record))
            record = pipeline.with_topics(
                record, tagged.topics, keywords=tagged.keywords, language=tagged.language, now=now
            )
            headline, body = pipeline.cluster_input(record)
            assignment = clusters.assign(
                story_id=article.story_id,
                fingerprint=fingerprint(headline=headline, body=body),
                at=article.published_at or article.received_at,
            )
            yield pipeline.with_cluster(record, assignment.cluster_id)


def enrich(
    paths: WirePaths,
    format_hint: FormatHint = None,
    pretty: Annotated[
        bool, typer.Option("--pretty", help="Readable summaries instead of JSON lines.")
    ] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Articles per model batch.")
    ] = 32,
) -> None:
    """Parse and enrich wires with the same stage functions as the worker, without Kafka.

    Writes one EnrichedArticle JSON object per line to stdout (entity offsets
    index the headline or the body paragraphs joined by a blank line). Wires
    that fail are reported on stderr with their error code; exit code 1 then.
    """
    failures = 0
    count = 0

    def report(message: str) -> None:
        nonlocal failures
        failures += 1
        warn(message)

    for record in enriched_records(
        paths, format_hint=format_hint, batch_size=batch_size, on_error=report
    ):
        count += 1
        if pretty:
            typer.echo(describe_enriched(record) + "\n")
        else:
            typer.echo(record.model_dump_json())
    if failures:
        warn(f"enrich: {count} enriched, {failures} failed")
        raise typer.Exit(1)
