"""The outbox: what one stage's transaction holds, ownership, and the offsets Faust may commit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from streams.outbox import DirectBackend, NotOwned, Outbox, Stage, Tx
from streams.state import Table


def _stage(*tables: Table) -> Stage:
    return Stage("entities", frozenset({"wires.parsed"}), {t.name: t for t in tables})


def test_a_transaction_skips_records_below_the_checkpoint_and_claims_each_once() -> None:
    tx = Tx(_stage(), 0, {"wires.parsed": 10})
    assert not tx.take("wires.parsed", 9)
    assert tx.take("wires.parsed", 10)
    assert not tx.take("wires.parsed", 10), "the same record twice in one batch"
    assert tx.take("wires.parsed", 12)
    assert tx.offsets == {"wires.parsed": 13}


def test_reads_see_the_transactions_own_writes_first() -> None:
    table = Table("story-versions", changelog="c")
    table.apply(0, [(b"s1", b'{"v": 1}'), (b"s2", b'{"v": 2}')])
    tx = Tx(_stage(table), 0, {})
    tx.put("story-versions", "s1", {"v": 3})
    tx.delete("story-versions", "s2")
    tx.put("story-versions", "s3", {"v": 1})
    assert tx.get("story-versions", "s1") == {"v": 3}
    assert tx.get("story-versions", "s2") is None
    assert dict(tx.items("story-versions")) == {"s1": {"v": 3}, "s3": {"v": 1}}
    assert table.get("s1", partition=0) == {"v": 1}, "nothing applied before the commit"


def test_a_table_the_stage_does_not_have_is_an_error() -> None:
    tx = Tx(_stage(), 0, {})
    with pytest.raises(Exception, match="no table"):
        tx.put("nope", "k", 1)


async def test_a_transaction_for_a_partition_not_owned_is_refused() -> None:
    outbox = Outbox(DirectBackend(_no_send))
    outbox.register("entities", topics=["wires.parsed"])
    outbox.assign({("wires.parsed", 1)})
    with pytest.raises(NotOwned):
        async with outbox.transaction("entities", 0):
            pass


async def _no_send(
    topic: str, key: bytes | None, value: bytes | None, partition: int | None
) -> None:
    raise AssertionError("nothing to send")


async def test_direct_backend_sends_output_then_changelog_then_applies() -> None:
    sent: list[tuple[str, bytes | None, bytes | None, int | None]] = []

    async def send(
        topic: str, key: bytes | None, value: bytes | None, partition: int | None
    ) -> None:
        sent.append((topic, key, value, partition))

    table = Table("story-versions", changelog="app-story-versions-changelog")
    outbox = Outbox(DirectBackend(send))
    outbox.register("entities", topics=["wires.parsed"], tables=[table])
    outbox.assign({("wires.parsed", 2)})
    async with outbox.transaction("entities", 2) as tx:
        assert tx.take("wires.parsed", 0)
        tx.send("wires.entities", key=b"s1", value=b"out")
        tx.put("story-versions", "s1", {"v": 1})
    assert sent == [
        ("wires.entities", b"s1", b"out", None),
        ("app-story-versions-changelog", b"s1", b'{"v":1}', 2),
    ]
    assert table.get("s1", partition=2) == {"v": 1}


class _Checkpoints:
    exactly_once = True

    def __init__(self, marks: Mapping[tuple[str, int], Mapping[str, int] | None]) -> None:
        self.marks = marks

    def checkpoint(self, stage: Stage, partition: int) -> Mapping[str, int] | None:
        return self.marks.get((stage.name, partition))

    async def prepare(self, stage: Stage, partition: int) -> Mapping[str, int]:
        return {}

    async def commit(self, tx: Tx) -> None: ...
    def forget(self, stage: Stage, partition: int) -> None: ...
    def prepared(self, stage: Stage) -> list[int]:
        return []

    async def release(self, stage: Stage, partition: int) -> None: ...
    async def close(self) -> None: ...


def test_faust_commits_are_capped_at_every_reading_stages_checkpoint() -> None:
    marks: dict[tuple[str, int], Any] = {
        ("release", 0): {"wires.enriched": 50, "wires.kills": 7},
        ("alerts", 0): {"wires.released": 9, "wires.kills": 4},
        ("release", 1): {"wires.enriched": 3},
        ("alerts", 1): None,  # not prepared yet
    }
    outbox = Outbox(_Checkpoints(marks))
    outbox.register("release", topics=["wires.enriched", "wires.kills"])
    outbox.register("alerts", topics=["wires.released", "wires.kills"])

    safe = outbox.safe_offsets(
        {
            ("wires.enriched", 0): 40,
            ("wires.kills", 0): 7,
            ("wires.released", 0): 20,
            ("wires.enriched", 1): 10,
            ("wires.kills", 1): 2,
        }
    )

    assert safe == {
        ("wires.enriched", 0): 40,
        ("wires.kills", 0): 4,
        ("wires.released", 0): 9,
        ("wires.enriched", 1): 3,
    }


def test_at_least_once_commits_pass_unchanged() -> None:
    outbox = Outbox(DirectBackend(_no_send))
    outbox.register("release", topics=["wires.enriched"])
    assert outbox.safe_offsets({("wires.enriched", 0): 5}) == {("wires.enriched", 0): 5}


async def test_a_partition_lost_and_regained_is_prepared_afresh() -> None:
    prepares: list[tuple[str, int]] = []

    class Counting(DirectBackend):
        async def prepare(self, stage: Stage, partition: int) -> Mapping[str, int]:
            if self.checkpoint(stage, partition) is None:
                prepares.append((stage.name, partition))
            return await super().prepare(stage, partition)

    outbox = Outbox(Counting(_no_send))
    outbox.register("topics", topics=["wires.entities"])
    outbox.assign({("wires.entities", 0), ("wires.entities", 1)})
    for p in (0, 1):
        async with outbox.transaction("topics", p):
            pass
    outbox.revoke({("wires.entities", 0), ("wires.entities", 1)})
    outbox.assign({("wires.entities", 0)})  # 1 went to another worker
    outbox.revoke({("wires.entities", 0)})
    outbox.assign({("wires.entities", 0), ("wires.entities", 1)})  # and came back
    for p in (0, 1):
        async with outbox.transaction("topics", p):
            pass

    assert prepares == [("topics", 0), ("topics", 1), ("topics", 1)]


async def test_a_prepare_that_fails_while_the_broker_is_away_is_retried(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import streams.outbox as outbox_module

    monkeypatch.setattr(outbox_module, "_MAX_PREPARE_BACKOFF", 0.0)
    failures = [ConnectionError("broker away"), ConnectionError("still away")]

    class Flaky(DirectBackend):
        async def prepare(self, stage: Stage, partition: int) -> Mapping[str, int]:
            if failures:
                raise failures.pop(0)
            return await super().prepare(stage, partition)

    outbox = Outbox(Flaky(_no_send))
    outbox.register("topics", topics=["wires.entities"])
    outbox.assign({("wires.entities", 0)})
    async with outbox.transaction("topics", 0) as tx:
        assert tx.partition == 0
    assert failures == []
