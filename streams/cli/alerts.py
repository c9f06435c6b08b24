"""`wirestream alerts tail`: follow the alerts on ``alerts.matches``."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from aiokafka.errors import KafkaError
from pydantic import ValidationError

from schemas import Alert
from streams.cli.common import fail, settings
from streams.errors import WirestreamError
from streams.settings import Settings
from streams.topology import MATCHES
from streams.transports.alerts_kafka import follow

app = typer.Typer(no_args_is_help=True, help="Alerts produced for subscriptions.")


def describe_alert(alert: Alert) -> str:
    flag = " (backfill)" if alert.backfill else ""
    lines = [
        f"\u2691 {alert.kind}{flag}: {alert.headline}",
        f"  {alert.subscription_id} ({alert.subscriber})  story {alert.story_id} "
        f"v{alert.version}  {alert.source_agency or '?'}",
        f"  {alert.reason}",
    ]
    return "\n".join(lines)


async def _tail(
    cfg: Settings,
    *,
    subscription: str | None,
    from_beginning: bool,
    idle: float | None,
    limit: int | None,
    pretty: bool,
) -> None:
    count = 0
    async for m in follow(
        cfg, cfg.topic(MATCHES.name), from_beginning=from_beginning, idle_timeout=idle
    ):
        if subscription is not None and m.key != subscription.encode():
            continue
        if pretty:
            try:
                typer.echo(describe_alert(Alert.model_validate_json(m.value)) + "\n")
            except ValidationError:
                typer.echo(m.value.decode("utf-8", errors="replace"))
        else:
            typer.echo(m.value.decode("utf-8", errors="replace"))
        count += 1
        if limit is not None and count >= limit:
            return


@app.command()
def tail(
    subscription: Annotated[
        str | None, typer.Option("--subscription", "-s", help="Only this subscription's.")
    ] = None,
    from_beginning: Annotated[
        bool, typer.Option("--from-beginning/--new", help="Start at the oldest alert, or new ones.")
    ] = False,
    idle: Annotated[
        float | None,
        typer.Option("--idle", help="Stop after this many quiet seconds (default: follow)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--max", "-n", min=1, help="Stop after this many alerts.")
    ] = None,
    pretty: Annotated[
        bool, typer.Option("--pretty", help="Readable summaries instead of JSON lines.")
    ] = False,
) -> None:
    """Print alerts as they are made (committed records only), one JSON object per line."""
    try:
        asyncio.run(
            _tail(
                settings(),
                subscription=subscription,
                from_beginning=from_beginning,
                idle=idle,
                limit=limit,
                pretty=pretty,
            )
        )
    except (WirestreamError, LookupError, TimeoutError, KafkaError) as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        pass
