"""Sending RawWire records to ``wires.raw`` with an idempotent producer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaProducer

from schemas import RawWire
from streams.ingest.errors import DeliveryError
from streams.kafka import client_kwargs
from streams.settings import Settings
from streams.topology import RAW


@asynccontextmanager
async def raw_producer(settings: Settings) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        # Idempotence makes the producer's own retries safe: a record that was
        # written but whose ack was lost is not written twice.
        enable_idempotence=True,
        acks="all",
        max_request_size=2 * 1024 * 1024,
        **client_kwargs(settings),
    )
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


async def send_raw(
    producer: AIOKafkaProducer, settings: Settings, raw: RawWire, *, timeout: float = 30
) -> None:
    """Send one wire and wait for the broker's acknowledgement."""
    try:
        await asyncio.wait_for(
            producer.send_and_wait(
                settings.topic(RAW.name), key=raw.wire_id.encode(), value=raw.to_json()
            ),
            timeout,
        )
    except Exception as exc:
        raise DeliveryError(f"{raw.filename or raw.wire_id}: not acknowledged: {exc!r}") from exc
