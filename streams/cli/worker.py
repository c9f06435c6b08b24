"""`wirestream worker`: run the Faust agents."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from streams.cli.common import fail, settings
from streams.errors import WirestreamError
from streams.kafka import ensure_broker, ensure_topics


def worker(
    loglevel: Annotated[
        str, typer.Option("--loglevel", "-l", help="Log level: debug, info, warning, error.")
    ] = "info",
    local_broker: Annotated[
        bool,
        typer.Option(
            "--local-broker/--no-local-broker",
            help="Start the embedded local broker when no cluster answers at the bootstrap.",
        ),
    ] = False,
) -> None:
    """Run a worker: the parse, entities, topics, clusters and release agents.

    Creates the pipeline topics and the tables' changelog topics first if they
    are missing. Start as many workers as you like; Kafka spreads the
    partitions between them. With WIRESTREAM_WEB_ENABLED=true the worker also
    serves POST /wires (HTTP push, WIRESTREAM_INGEST_TOKEN).
    """
    cfg = settings()
    try:
        asyncio.run(ensure_broker(cfg, start_local=local_broker))
        asyncio.run(ensure_topics(cfg))
    except WirestreamError as exc:
        fail(exc)
    # Imported only now: creating the app reads settings and registers agents.
    import streams.agents  # noqa: F401
    from streams.app import app

    sys.argv = ["wirestream", "worker", "--loglevel", loglevel]
    app.main()
