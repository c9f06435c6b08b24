"""The metric definitions and the calls agents record with."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pytest
from prometheus_client.parser import text_string_to_metric_families

from streams import observe
from streams.errors import WirestreamError


def value(name: str, **labels: str) -> float:
    found = observe.REGISTRY.get_sample_value(name, labels)
    return 0.0 if found is None else found


@pytest.fixture()
def unwatched() -> Iterator[None]:
    yield
    observe.watch_lag(None)
    observe.watch_tables(None)


def test_a_batch_counts_its_records_in_and_its_size() -> None:
    before_in = value("wirestream_records_in_total", stage="t-batch")
    before_count = value("wirestream_batch_size_count", stage="t-batch")

    observe.batch_started("t-batch", 5)

    assert value("wirestream_records_in_total", stage="t-batch") == before_in + 5
    assert value("wirestream_batch_size_count", stage="t-batch") == before_count + 1
    assert value("wirestream_batch_size_bucket", stage="t-batch", le="4.0") == 0
    assert value("wirestream_batch_size_bucket", stage="t-batch", le="8.0") >= 1


def test_dead_letters_are_counted_by_stage_and_code() -> None:
    observe.dead_letter("t-dlq", "W101")
    observe.dead_letter("t-dlq", "W101")
    observe.dead_letter("t-dlq", "W999")

    assert value("wirestream_dead_letters_total", stage="t-dlq", code="W101") == 2
    assert value("wirestream_dead_letters_total", stage="t-dlq", code="W999") == 1


def test_a_pool_call_is_queued_while_it_runs_and_timed_even_when_it_fails() -> None:
    depth = value("wirestream_pool_queue_depth")
    timed = value("wirestream_stage_batch_seconds_count", stage="t-pool")

    with pytest.raises(RuntimeError), observe.pool_call("t-pool"):
        assert value("wirestream_pool_queue_depth") == depth + 1
        raise RuntimeError("worker died")

    assert value("wirestream_pool_queue_depth") == depth
    assert value("wirestream_stage_batch_seconds_count", stage="t-pool") == timed + 1


def test_the_exposition_parses_and_reports_lag_and_table_sizes_from_the_watched_sources(
    unwatched: None,
) -> None:
    observe.watch_lag(lambda: [("wires.raw", 0, 7), ("wires.raw", 2, 0)])
    observe.watch_tables(lambda: [("story-versions", 12)])

    families = {
        family.name: family
        for family in text_string_to_metric_families(observe.exposition().decode())
    }

    lag = {
        (s.labels["topic"], s.labels["partition"]): s.value
        for s in families["wirestream_consumer_lag"].samples
    }
    assert lag == {("wires.raw", "0"): 7.0, ("wires.raw", "2"): 0.0}
    tables = {s.labels["table"]: s.value for s in families["wirestream_table_entries"].samples}
    assert tables == {"story-versions": 12.0}
    assert families["wirestream_records_in"].type == "counter"
    assert families["wirestream_stage_batch_seconds"].type == "histogram"


def test_without_a_running_worker_lag_and_tables_are_empty(unwatched: None) -> None:
    families = {f.name: f for f in text_string_to_metric_families(observe.exposition().decode())}

    assert families["wirestream_consumer_lag"].samples == []
    assert families["wirestream_table_entries"].samples == []


@dataclass
class _Message:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes


@dataclass
class _Event:
    value: bytes
    message: _Message


def _events(*values: bytes) -> list[_Event]:
    return [_Event(v, _Message("wires.x", 0, i, b"k", v)) for i, v in enumerate(values)]


async def test_process_batch_counts_in_out_and_dead_letters_by_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from streams.agents.batching import commit_items, run_batch
    from streams.outbox import DirectBackend, Outbox

    dead: list[bytes | None] = []

    async def send(topic: str, key: bytes | None, value: bytes | None, p: int | None) -> None:
        dead.append(value)

    outbox = Outbox(DirectBackend(send))

    async def run(batch: Sequence[str]) -> list[str]:
        if "poison" in batch:
            raise WirestreamError("cannot read", code="W123")
        return [item.upper() for item in batch]

    stage = "t-process"
    outbox.register(stage, topics=["wires.x"])
    outbox.assign({("wires.x", 0)})
    items = await run_batch(
        _events(b"a", b"\xff", b"poison", b"b"),  # type: ignore[arg-type]
        stage=stage,
        outbox=outbox,
        decode=lambda raw: raw.decode("utf-8"),
        to_input=lambda text: text,
        run=run,
    )
    done: list[str] = []
    await commit_items(
        items,
        stage=stage,
        outbox=outbox,
        pipeline_version="test",
        emit=lambda tx, item: done.append(item.result),  # type: ignore[func-returns-value]
    )

    assert done == ["A", "B"]
    assert len(dead) == 2
    assert value("wirestream_records_in_total", stage=stage) == 4
    assert value("wirestream_records_out_total", stage=stage) == 2
    assert value("wirestream_dead_letters_total", stage=stage, code="W901") == 1
    assert value("wirestream_dead_letters_total", stage=stage, code="W123") == 1
    assert value("wirestream_stage_batch_seconds_count", stage=stage) == 1
    assert value("wirestream_pool_queue_depth") == 0


def test_alert_matches_resends_and_transaction_retries_are_counted_by_their_label() -> None:
    observe.alert_matched("t-kind")
    observe.alert_matched("t-kind")
    observe.resend("t-resend")
    observe.transaction_retried("t-txn")

    assert value("wirestream_alert_matches_total", kind="t-kind") == 2
    assert value("wirestream_resends_total", stage="t-resend") == 1
    assert value("wirestream_transaction_retries_total", stage="t-txn") == 1


def test_a_webhook_outcome_outside_the_four_is_refused() -> None:
    with pytest.raises(ValueError, match="not one of"):
        observe.webhook_delivery("lost")  # type: ignore[arg-type]
