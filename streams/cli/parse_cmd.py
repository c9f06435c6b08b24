"""`wirestream parse`: what the parsers make of wires, as a report (no Kafka, no model)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
import typer

from schemas import Article
from streams.cli.common import FormatHint, WirePaths, fail, settings
from streams.errors import CODE_UNEXPECTED, WirestreamError
from streams.ingest import WireInput, iter_inputs, to_raw
from streams.parse import FORMATS, ParseError, format_for_hint, parse_items

#: Characters of the body shown at each end.
BODY_CHARS = 60
#: Format column for inputs that never got as far as a parser (unreadable, empty ...).
NO_FORMAT = "-"


@dataclass(frozen=True)
class Outcome:
    """One input: the articles parsed from it, or why it was rejected."""

    name: str
    format: str
    articles: tuple[Article, ...] = ()
    error: WirestreamError | None = None


@dataclass
class FormatCounts:
    parsed: int = 0  # wires
    articles: int = 0
    rejected: Counter[str] = field(default_factory=Counter)  # by "[code] reason class"


def sniffed_format(content: bytes) -> str:
    """The name of the format a wire without a hint is read as (first sniff that accepts it)."""
    head = content[:8192]
    text = head.decode("utf-8", errors="replace")
    for fmt in FORMATS:
        try:
            if fmt.sniff(head, text):
                return fmt.name
        except Exception:  # a broken sniffer must not hide the others' answers
            continue
    return FORMATS[-1].name


def parse_input(item: WireInput, *, format_hint: str | None, now: datetime) -> Outcome:
    if item.error is not None:
        return Outcome(item.name, NO_FORMAT, error=item.error)
    assert item.content is not None
    raw = to_raw(item, format_hint=format_hint, now=now)
    hinted = format_for_hint(format_hint)
    name = hinted.name if hinted is not None else sniffed_format(item.content)
    try:
        articles = parse_items(raw)
    except ParseError as exc:
        return Outcome(item.name, name, error=exc)
    except Exception as exc:  # a parser bug is a finding of this report, not a crash of it
        return Outcome(
            item.name,
            name,
            error=WirestreamError(f"{type(exc).__name__}: {exc}", code=CODE_UNEXPECTED),
        )
    return Outcome(item.name, articles[0].source_format, articles=tuple(articles))


def _clip_start(paragraphs: list[str]) -> str:
    text = paragraphs[0] if paragraphs else ""
    return text if len(text) <= BODY_CHARS else text[:BODY_CHARS].rstrip() + "\u2026"


def _clip_end(paragraphs: list[str]) -> str:
    text = paragraphs[-1] if paragraphs else ""
    return text if len(text) <= BODY_CHARS else "\u2026" + text[-BODY_CHARS:].lstrip()


def article_fields(article: Article) -> dict[str, Any]:
    return {
        "format": article.source_format,
        "headline": article.headline,
        "dateline": article.dateline.cities if article.dateline else [],
        "body_start": _clip_start(article.body),
        "body_end": _clip_end(article.body),
        "paragraphs": len(article.body),
        "version": article.version,
        "story_id": article.story_id,
        "article_id": article.article_id,
        "pub_status": article.pub_status,
        "embargoed_until": (
            article.embargoed_until.isoformat() if article.embargoed_until else None
        ),
    }


def render_text(outcome: Outcome) -> str:
    if outcome.error is not None:
        return (
            f"\u2716 {outcome.name}  [{outcome.format}]\n"
            f"  rejected [{outcome.error.code}] {outcome.error.message}"
        )
    lines = []
    for i, article in enumerate(outcome.articles):
        f = article_fields(article)
        item = f"  item {i + 1}/{len(outcome.articles)}" if len(outcome.articles) > 1 else ""
        status = "" if article.pub_status == "usable" else f"  {article.pub_status.upper()}"
        lines += [
            f"\u2714 {outcome.name}  [{f['format']}]{item}{status}",
            f"  headline  {f['headline']}",
            f"  dateline  {', '.join(f['dateline']) or '(none)'}",
            f"  body      {f['paragraphs']} paragraphs: "
            f"{f['body_start']!r} \u2026 {f['body_end']!r}",
            f"  version   {f['version']} {' '.join(article.version_tags)}".rstrip(),
            f"  story     {f['story_id']}",
        ]
        if f["embargoed_until"]:
            lines.append(f"  embargo   until {f['embargoed_until']}")
    return "\n".join(lines)


def render_json(outcome: Outcome) -> list[str]:
    if outcome.error is not None:
        entry = {
            "input": outcome.name,
            "status": "rejected",
            "format": outcome.format,
            "code": outcome.error.code,
            "reason": outcome.error.message,
        }
        return [orjson.dumps(entry).decode()]
    # The whole article, every field untruncated: this output is for checking a parser.
    return [
        orjson.dumps(
            {
                "input": outcome.name,
                "status": "parsed",
                "format": article.source_format,
                "item": index,
                "items": len(outcome.articles),
                "article": article.model_dump(mode="json"),
            }
        ).decode()
        for index, article in enumerate(outcome.articles, 1)
    ]


def summarise(outcomes: list[Outcome]) -> dict[str, FormatCounts]:
    counts: dict[str, FormatCounts] = defaultdict(FormatCounts)
    for outcome in outcomes:
        row = counts[outcome.format]
        if outcome.error is not None:
            row.rejected[f"{outcome.error.code} {type(outcome.error).__name__}"] += 1
        else:
            row.parsed += 1
            row.articles += len(outcome.articles)
    return dict(sorted(counts.items()))


def render_summary(counts: dict[str, FormatCounts]) -> str:
    width = max([len("format"), *(len(name) for name in counts)])
    lines = [f"{'format':<{width}}  {'parsed':>6}  {'items':>6}  {'rejected':>8}  reasons"]
    for name, row in counts.items():
        reasons = ", ".join(f"{why} x{n}" for why, n in sorted(row.rejected.items()))
        rejected = sum(row.rejected.values())
        row_text = f"{name:<{width}}  {row.parsed:>6}  {row.articles:>6}  {rejected:>8}"
        lines.append(f"{row_text}  {reasons}".rstrip())
    total_parsed = sum(r.parsed for r in counts.values())
    total_rejected = sum(sum(r.rejected.values()) for r in counts.values())
    total_items = sum(r.articles for r in counts.values())
    lines.append(f"{'total':<{width}}  {total_parsed:>6}  {total_items:>6}  {total_rejected:>8}")
    return "\n".join(lines)


def summary_json(counts: dict[str, FormatCounts]) -> str:
    return orjson.dumps(
        {
            "summary": {
                name: {
                    "parsed": row.parsed,
                    "items": row.articles,
                    "rejected": sum(row.rejected.values()),
                    "reasons": dict(sorted(row.rejected.items())),
                }
                for name, row in counts.items()
            }
        }
    ).decode()


def parse(
    paths: WirePaths,
    format_hint: FormatHint = None,
    summary: Annotated[
        bool, typer.Option("--summary", help="End with a table of counts per format.")
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="One JSON object per item, holding the whole parsed article (every field, "
            "untruncated), or the code and reason of a rejection; then the summary.",
        ),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any wire is rejected.")
    ] = False,
) -> None:
    """Parse wires and report what came out: no Kafka, no model.

    Per wire: its format, headline, dateline city, the start and end of its
    body, version and story id, or the reason it was rejected with its code.
    Exit code 0 even when wires are rejected (this is a report), unless --strict.
    """
    cfg = settings()
    try:
        format_for_hint(format_hint)
    except WirestreamError as exc:
        fail(exc)
    now = datetime.now(UTC)
    outcomes: list[Outcome] = []
    for item in iter_inputs(
        paths, stdin=typer.get_binary_stream("stdin"), max_bytes=cfg.max_wire_bytes
    ):
        outcome = parse_input(item, format_hint=format_hint, now=now)
        outcomes.append(outcome)
        if as_json:
            for line in render_json(outcome):
                typer.echo(line)
        else:
            typer.echo(render_text(outcome))
    if summary:
        counts = summarise(outcomes)
        typer.echo(summary_json(counts) if as_json else "\n" + render_summary(counts))
    if strict and any(o.error is not None for o in outcomes):
        raise typer.Exit(1)


__all__ = ["Outcome", "parse", "parse_input", "summarise"]
