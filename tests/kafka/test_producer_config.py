"""The worker's Faust producer asks for acks=all with idempotence, in or out of transactions."""

from __future__ import annotations

from collections.abc import Callable

from streams.app import create_app
from streams.settings import Settings


def test_the_worker_producer_waits_for_all_in_sync_replicas_and_is_idempotent(
    make_settings: Callable[..., Settings],
) -> None:
    app = create_app(make_settings(kafka_bootstrap="127.0.0.1:1,127.0.0.1:2", broker_nodes=3))

    extra = app.producer._settings_extra()

    assert extra["acks"] == "all"
    assert extra["enable_idempotence"] is True
    assert [url.port for url in app.conf.broker] == [1, 2]
