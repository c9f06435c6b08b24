"""Parsing in the process pool: one result per wire, failures as values, not as a failed batch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import Article, RawWire
from streams import pool as pool_module
from streams.errors import WirestreamError
from streams.parse import ParseError
from streams.pool import StagePool
from streams.settings import Settings
from tests.conftest import EXAMPLES

NOW = datetime(2026, 2, 20, tzinfo=UTC)


def _raw(content: bytes, wid: str) -> RawWire:
    return RawWire(wire_id=wid, content=content, source="file", received_at=NOW)


def _batch() -> list[RawWire]:
    return [
        _raw((EXAMPLES / "plain-20260220-central-bank.txt").read_bytes(), "sha256:good"),
        _raw(b"\x00\x01\x02\xff" * 40, "sha256:binary"),
        _raw((EXAMPLES / "yonhap-20260114-port-strike.txt").read_bytes(), "sha256:yonhap"),
    ]


def test_worker_parse_returns_articles_or_the_error_for_each_wire() -> None:
    results = pool_module._worker_parse(_batch())

    assert len(results) == 3
    good, bad, yonhap = results
    assert isinstance(good, list) and good[0].wire_id == "sha256:good"
    assert isinstance(bad, ParseError) and bad.code == "W102"
    assert isinstance(yonhap, list) and yonhap[0].source_format == "yonhap-text"


def test_an_exception_that_cannot_cross_processes_keeps_its_text() -> None:
    class Unpicklable(Exception):
        def __reduce__(self) -> str | tuple[object, ...]:
            raise TypeError("no pickling")

    portable = pool_module._portable(Unpicklable("lxml said no"))

    assert isinstance(portable, WirestreamError)
    assert portable.code == "W999"
    assert portable.message == "Unpicklable: lxml said no"


def test_a_picklable_exception_crosses_as_it_is() -> None:
    exc = ParseError("bad layout", code="W104")
    assert pool_module._portable(exc) is exc


@pytest.mark.filterwarnings("ignore::ResourceWarning")
async def test_pool_parse_runs_in_a_worker_process_with_the_same_results() -> None:
    pool = StagePool(models=Settings().nlp_models, ner=Settings().nlp_ner, processes=1)
    try:
        results = await pool.parse(_batch())
    finally:
        pool.close()

    assert [type(r).__name__ for r in results] == ["list", "UndecodableWireError", "list"]
    first = results[0]
    assert isinstance(first, list) and isinstance(first[0], Article)
    assert first[0].headline == "Central bank holds rates steady as inflation cools"


async def test_the_gate_lets_one_in_at_a_time_and_urgent_waiters_first() -> None:
    import asyncio

    from streams.pool import PriorityGate

    gate = PriorityGate()
    order: list[str] = []

    async def call(name: str, *, urgent: bool) -> None:
        await gate.acquire(first=urgent)
        order.append(name)
        await asyncio.sleep(0)
        gate.release()

    await gate.acquire(first=False)  # a routine call is running
    waiting = [
        asyncio.create_task(call("routine 1", urgent=False)),
        asyncio.create_task(call("routine 2", urgent=False)),
        asyncio.create_task(call("flash", urgent=True)),
    ]
    await asyncio.sleep(0)
    assert gate.waiting == 3 and order == []
    gate.release()
    await asyncio.gather(*waiting)
    assert order == ["flash", "routine 1", "routine 2"]


async def test_a_cancelled_waiter_does_not_keep_the_gate() -> None:
    import asyncio

    from streams.pool import PriorityGate

    gate = PriorityGate()
    await gate.acquire(first=False)
    gone = asyncio.create_task(gate.acquire(first=True))
    await asyncio.sleep(0)
    gone.cancel()
    with pytest.raises(asyncio.CancelledError):
        await gone
    gate.release()
    await asyncio.wait_for(gate.acquire(first=False), timeout=1)  # free again
