"""POST /wires on a real worker's web server, onto the real broker."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from schemas import EnrichedArticle, RawWire
from streams.ingest import wire_id
from streams.settings import Settings
from streams.topology import ENRICHED, RAW
from tests.conftest import EXAMPLES
from tests.integration.conftest import WebEndpoint, offsets_now, wait_for_record

pytestmark = pytest.mark.integration


async def _post(
    url: str, body: bytes, *, token: str | None, method: str = "POST"
) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    deadline = time.monotonic() + 90
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.request(method, url, data=body, headers=headers) as response:
                    try:
                        payload = await response.json(content_type=None)
                    except ValueError:
                        payload = await response.text()
                    return response.status, payload
            except aiohttp.ClientConnectionError:
                # The worker's web server starts with the worker; give it time.
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)


def test_a_posted_wire_is_acknowledged_on_wires_raw_and_comes_out_enriched(
    kafka_settings: Settings, worker: Path, web_endpoint: WebEndpoint
) -> None:
    content = (
        (EXAMPLES / "plain-20260220-central-bank.txt")
        .read_bytes()
        .replace(b"steady", b"steady (posted)")
    )
    enriched_start = offsets_now(kafka_settings, ENRICHED.name)

    status, answer = asyncio.run(
        _post(f"{web_endpoint.url}/wires?format=text", content, token=web_endpoint.token)
    )

    assert status == 202, answer
    assert answer["key"] == wire_id(content)
    assert answer["topic"] == kafka_settings.topic(RAW.name)
    start = {answer["partition"]: answer["offset"]}
    raw = wait_for_record(
        kafka_settings, RAW.name, lambda r: r.key == answer["key"].encode(), start=start
    )
    record = RawWire.model_validate_json(raw.value)
    assert (record.content, record.source, record.format_hint) == (content, "http", "text")
    enriched = wait_for_record(
        kafka_settings,
        ENRICHED.name,
        lambda r: EnrichedArticle.model_validate_json(r.value).article.wire_id == answer["key"],
        start=enriched_start,
        log=worker,
    )
    article = EnrichedArticle.model_validate_json(enriched.value).article
    assert article.headline == "Central bank holds rates steady (posted) as inflation cools"


def test_bad_token_wrong_method_and_empty_body_are_refused(
    kafka_settings: Settings, worker: Path, web_endpoint: WebEndpoint
) -> None:
    url = f"{web_endpoint.url}/wires"
    raw_start = offsets_now(kafka_settings, RAW.name)

    async def requests() -> list[tuple[int, Any]]:
        return [
            await _post(url, b"HEADLINE\n\nbody", token="not-the-token"),
            await _post(url, b"HEADLINE\n\nbody", token=None),
            await _post(url, b"", token=web_endpoint.token, method="GET"),
            await _post(url, b"", token=web_endpoint.token),
            await _post(url, b"x" * (kafka_settings.max_wire_bytes + 1), token=web_endpoint.token),
            await _post(f"{url}?format=telex", b"HEADLINE\n\nbody", token=web_endpoint.token),
        ]

    answers = asyncio.run(requests())

    assert [status for status, _ in answers] == [401, 401, 405, 400, 413, 400]
    assert "Bearer" in answers[0][1]["error"]
    assert "telex" in answers[5][1]["error"]
    offsets_after = offsets_now(kafka_settings, RAW.name)
    refused_keys = {wire_id(b"HEADLINE\n\nbody").encode(), wire_id(b"").encode()}

    async def keys_since() -> set[bytes]:
        from streams.reader import read_topic

        return {
            r.key
            async for r in read_topic(
                kafka_settings,
                kafka_settings.topic(RAW.name),
                start_offsets=raw_start,
                idle_timeout=2,
            )
            if r.key is not None
        }

    if offsets_after != raw_start:
        assert not (asyncio.run(keys_since()) & refused_keys), "a refused wire reached Kafka"
