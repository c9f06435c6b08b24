"""`wirestream worker`: run the Faust agents."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from streams import logs
from streams.cli.common import fail, settings
from streams.errors import WirestreamError
from streams.kafka import ensure_broker, ensure_topics


def worker(
    loglevel: Annotated[
        str, typer.Option("--loglevel", "-l", help="Log level: debug, info, warning, error.")
    ] = "info",
    log_format: Annotated[
        str,
        typer.Option(
            "--log-format",
            help="'text' (readable) or 'json' (one object per line, for log shippers); "
            "either way one line per event, on stderr, secrets masked.",
        ),
    ] = "text",
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
    serves POST /wires (HTTP push, WIRESTREAM_INGEST_TOKEN), /metrics
    (Prometheus), /healthz and /readyz.
    """
    if log_format not in logs.FORMATS:
        raise typer.BadParameter(
            f"{log_format!r} is not a log format; choose text or json", param_hint="--log-format"
        )
    fmt: logs.LogFormat = "json" if log_format == "json" else "text"
    cfg = settings()
    logs.configure(fmt, loglevel, cfg)
    try:
        asyncio.run(ensure_broker(cfg, start_local=local_broker))
        asyncio.run(ensure_topics(cfg))
    except WirestreamError as exc:
        fail(exc)
    # Imported only now: creating the app reads settings and registers agents.
    import streams.agents  # noqa: F401
    from streams.app import app

    # Faust sets logging up itself when the worker starts; this makes it ours.
    app.conf.logging_config = logs.logging_config(fmt, loglevel, cfg)
    # --quiet drops Faust's start-up banner, which is not one JSON object per line.
    quiet = ["--quiet"] if fmt == "json" else []
    sys.argv = ["wirestream", *quiet, "worker", "--loglevel", loglevel]
    app.main()
