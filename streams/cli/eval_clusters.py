"""`wirestream eval clusters`: precision and recall of story clustering on labelled pairs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from streams.cli.common import fail
from streams.errors import WirestreamError

HELP = (
    "Precision and recall of story-cluster assignment on labelled pairs of texts.\n\n"
    'FILE is JSON lines {"a": TEXT, "b": TEXT, "same": true|false}; a text is a string (first '
    "line = headline) or an object with headline and body. For each pair, a is put into a "
    'fresh cluster index and b an hour later; the pair is predicted "same story" when both '
    "get one cluster id.\n\n"
    "Example: wirestream eval clusters tests/cluster/pairs.jsonl"
)


def clusters(
    file: Annotated[Path, typer.Argument(help="Labelled pairs, JSON lines.")],
    show: Annotated[
        bool, typer.Option("--show", help="List every pair with its prediction.")
    ] = False,
) -> None:
    """Precision and recall of same-story decisions on labelled pairs."""
    from streams.eval.clusters import read_pairs, score_pairs

    try:
        pairs = read_pairs(file)
        scores, judged = score_pairs(pairs)
    except WirestreamError as exc:
        fail(exc)
    if not pairs:
        fail(f"{file} has no pairs")
    same = sum(p.same for p in pairs)
    typer.echo(f"{file}: {len(pairs)} pairs ({same} same story, {len(pairs) - same} different)")
    typer.echo(f"precision  {scores.precision:.3f}  ({scores.tp} of {scores.tp + scores.fp})")
    typer.echo(f"recall     {scores.recall:.3f}  ({scores.tp} of {scores.tp + scores.fn})")
    typer.echo(f"F1         {scores.f1:.3f}")
    if show:
        for pair, predicted in judged:
            mark = "ok" if predicted == pair.same else "XX"
            verdict = "same" if predicted else "different"
            typer.echo(f"{mark} {verdict:<9} {pair.a.headline[:40]!r} / {pair.b.headline[:40]!r}")


clusters.__doc__ = HELP
