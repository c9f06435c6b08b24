"""`wirestream schemas`: export or check the JSON Schema files of the records."""

from __future__ import annotations

from typing import Annotated

import typer

from schemas.export import path_for, stale, write_all


def schemas(
    check: Annotated[
        bool, typer.Option("--check", help="Only report files that differ from the models.")
    ] = False,
) -> None:
    """Write schemas/json/*.schema.json from the pydantic models (the subscriber contract)."""
    if check:
        names = stale()
        for name in names:
            typer.echo(f"stale: {path_for(name)}", err=True)
        raise typer.Exit(1 if names else 0)
    for path in write_all():
        typer.echo(f"wrote {path}")
