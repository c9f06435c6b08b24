"""The ``wirestream`` command."""

from __future__ import annotations

import typer

from streams import __version__
from streams.cli import (
    alerts,
    broker,
    build,
    demo,
    dlq,
    enrich,
    eval,
    ingest,
    match,
    parse_cmd,
    replay,
    schemas_cmd,
    status,
    subscribe,
    tail,
    train,
    watch,
    worker,
)

app = typer.Typer(
    name="wirestream",
    help="Wirestream: news agency wires into Kafka, parsed and enriched by Faust agents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(broker.app, name="broker", help="Run the embedded single-node Kafka broker.")
app.add_typer(eval.app, name="eval", help="Measure accuracy against labelled data.")
app.add_typer(alerts.app, name="alerts", help="Follow the alerts made for subscriptions.")
app.add_typer(dlq.app, name="dlq", help="List, show and redrive dead letters.")
app.add_typer(train.app, name="train", help="Train the models Wirestream ships.")
app.add_typer(build.app, name="build", help="Rebuild the data files Wirestream ships.")
app.command()(demo.demo)
app.command()(ingest.ingest)
app.command()(enrich.enrich)
app.command()(tail.tail)
app.command()(worker.worker)
app.command()(schemas_cmd.schemas)
app.command()(parse_cmd.parse)
app.command()(watch.watch)
app.command()(status.status)
app.command()(match.match)
app.command()(subscribe.subscribe)
app.command()(subscribe.unsubscribe)
app.command()(subscribe.subscriptions)
app.command()(replay.replay)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wirestream {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Wirestream: news agency wires into Kafka, parsed and enriched by Faust agents."""


def main() -> None:
    app()


if __name__ == "__main__":
    main()
