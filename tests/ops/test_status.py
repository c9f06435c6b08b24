"""`wirestream status`: the pieces it computes, its output, and a cluster that does not answer."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from typer.testing import CliRunner

from schemas import DeadLetter, ReplayCounts, ReplayState
from streams.cli.main import app
from streams.cli.status import (
    BrokerInfo,
    DeadLetterCounts,
    GroupInfo,
    MemberInfo,
    StatusReport,
    TableInfo,
    TopicInfo,
    count_dead_letters,
    count_live_keys,
    render,
    retention_text,
    security_text,
    unfinished_replays,
)
from streams.settings import Settings, get_settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _letter(code: str, failed_at: datetime) -> bytes:
    return DeadLetter(
        pipeline_version="test",
        stage="parse",
        error_code=code,
        error_type="ParseError",
        message="cannot parse",
        source_topic="wires.raw",
        source_partition=0,
        source_offset=1,
        source_key=None,
        original=b"x",
        failed_at=failed_at,
    ).to_json()


def test_dead_letters_are_counted_by_code_in_total_and_within_the_last_hour() -> None:
    values = [
        _letter("W101", NOW - timedelta(minutes=5)),
        _letter("W101", NOW - timedelta(hours=3)),
        _letter("W999", NOW - timedelta(minutes=59)),
        b"not a dead letter",
    ]

    counts = count_dead_letters(values, now=NOW)

    assert counts.total == {"W101": 2, "W999": 1, "unreadable": 1}
    assert counts.last_hour == {"W101": 1, "W999": 1}


@pytest.mark.parametrize(
    ("ms", "text"),
    [("604800000", "7d"), ("-1", "forever"), ("3600000", "1h"), ("1500", "1500ms"), (None, None)],
)
def test_retention_is_shown_in_the_largest_whole_unit(ms: str | None, text: str | None) -> None:
    assert retention_text(ms) == text


def _secured() -> Settings:
    return Settings(
        _env_file=None,
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="wirestream",
        sasl_password="s3cret-do-not-print",
    )


def test_the_rendered_status_names_the_user_but_never_the_password() -> None:
    cfg = _secured()
    report = StatusReport(
        broker=BrokerInfo(
            bootstrap="kafka:9093",
            cluster_id="abc",
            controller_id=1,
            brokers=["1@kafka:9093"],
            protocol="Produce v13, Fetch v18 (75 APIs)",
            release=None,
            security=security_text(cfg),
        ),
        topics=[
            TopicInfo("wires.raw", True, 3, "7d", "delete", 10),
            TopicInfo("wires.dlq", False),
        ],
        groups=[GroupInfo("wirestream", "Stable", [MemberInfo("faust", "10.0.0.2", 9)], {"a": 4})],
        dead_letters=DeadLetterCounts(total={"W101": 2}, last_hour={}),
        tables=[TableInfo("story-versions", "wirestream-story-versions-changelog", 3, "wires.x")],
    )

    text = render(report, cfg)

    assert "SASL_SSL SCRAM-SHA-512 as wirestream" in text
    assert "s3cret" not in text
    assert "wires.dlq" in text and "missing" in text
    assert "last hour: none" in text and "total:     W101 2" in text
    assert "Stable, 1 member(s)" in text


def test_a_table_holds_the_keys_whose_last_record_is_not_a_tombstone() -> None:
    records = [
        (0, b"a", b"1"),
        (0, b"b", b"1"),
        (0, b"a", None),  # a deleted
        (1, b"c", None),
        (1, b"c", b"2"),  # c deleted, then written again
        (1, b"d", b"1"),
        (1, b"d", b"2"),  # d updated: still one entry
        (2, None, b"x"),  # no key: no entry
    ]

    assert count_live_keys(records) == 3  # b, c, d


def test_an_empty_or_all_deleted_changelog_holds_no_entries() -> None:
    assert count_live_keys([]) == 0
    assert count_live_keys([(0, b"a", b"1"), (0, b"a", None)]) == 0


def _state(replay_id: str, *, finished: bool, position: int = 0, minutes: int = 0) -> bytes:
    return ReplayState(
        kind="replay",
        replay_id=replay_id,
        mode="re-enrich",
        source_topic="wires.raw",
        target_topic="wires.parsed",
        window_from=NOW - timedelta(days=1),
        window_to=NOW,
        pipeline_version="test",
        started_at=NOW + timedelta(minutes=minutes),
        updated_at=NOW + timedelta(minutes=minutes + 1),
        finished=finished,
        positions={0: position, 1: 40},
        ends={0: 100, 1: 50},
        counts=ReplayCounts(read=position + 40, produced=position, dead_lettered=1),
    ).to_json()


def test_only_replays_whose_latest_checkpoint_is_unfinished_are_listed_oldest_first() -> None:
    records = [
        (0, b"r-done", _state("r-done", finished=False, position=10)),
        (0, b"r-late", _state("r-late", finished=False, position=5, minutes=30)),
        (0, b"r-open", _state("r-open", finished=False, position=20)),
        (0, b"r-done", _state("r-done", finished=True, position=100)),  # reached its end
        (0, b"r-gone", _state("r-gone", finished=False)),
        (0, b"r-gone", None),  # forgotten
        (0, b"r-junk", b"not a replay state"),
        (0, b"r-open", _state("r-open", finished=False, position=60)),  # latest wins
    ]

    replays = unfinished_replays(records)

    assert [r.replay_id for r in replays] == ["r-open", "r-late"]
    first = replays[0]
    assert first.offsets_left == (100 - 60) + (50 - 40)
    assert (first.read, first.produced, first.dead_lettered) == (100, 60, 1)
    assert first.mode == "re-enrich" and first.target_topic == "wires.parsed"


def _report(**changes: object) -> StatusReport:
    fields: dict[str, object] = {
        "broker": BrokerInfo(
            "localhost:9092", "abc", 1, ["1@localhost:9092"], "p", None, "PLAINTEXT"
        ),
        "topics": [],
        "groups": [],
        "dead_letters": DeadLetterCounts(total={}, last_hour={}),
    }
    fields.update(changes)
    return StatusReport(**fields)  # type: ignore[arg-type]


def test_table_sizes_and_unfinished_replays_are_rendered() -> None:
    [replay] = unfinished_replays([(0, b"r1", _state("r1", finished=False, position=60))])
    report = _report(
        tables=[
            TableInfo("story-versions", "ws-story-versions-changelog", 3, "wires.parsed", 1234),
            TableInfo("alert-state", "ws-alert-state-changelog", None, "wires.released"),
        ],
        replays=[replay],
    )

    lines = render(report, Settings(_env_file=None)).splitlines()

    [versions] = [line for line in lines if line.startswith("story-versions")]
    assert versions.split()[1:4] == ["ws-story-versions-changelog", "3", "1234"]
    [alerts] = [line for line in lines if line.startswith("alert-state")]
    assert alerts.split()[2:4] == ["missing", "-"]
    assert "unfinished replays: 1" in lines[-2]
    assert lines[-1].split()[0] == "r1" and "50 offsets left" in lines[-1]


def test_no_unfinished_replay_is_said_so() -> None:
    lines = render(_report(), Settings(_env_file=None)).splitlines()

    assert lines[-1] == "unfinished replays: none"


def test_json_status_carries_table_entries_and_unfinished_replays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [replay] = unfinished_replays([(0, b"r1", _state("r1", finished=False, position=60))])
    report = _report(
        tables=[TableInfo("story-versions", "c", 3, "wires.parsed", 7)], replays=[replay]
    )

    async def gathered(cfg: Settings, *, timeout: float = 30) -> StatusReport:
        return report

    monkeypatch.setattr("streams.cli.status.gather", gathered)
    result = CliRunner().invoke(app, ["status", "--json"])

    assert result.exit_code == 0, result.output
    shown = orjson.loads(result.output)
    assert shown["tables"][0]["entries"] == 7
    assert shown["replays"][0]["replay_id"] == "r1"
    assert shown["replays"][0]["offsets_left"] == 50


@pytest.fixture()
def nothing_listening(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    bootstrap = f"127.0.0.1:{port}"
    monkeypatch.setenv("WIRESTREAM_KAFKA_BOOTSTRAP", bootstrap)
    get_settings.cache_clear()
    yield bootstrap
    get_settings.cache_clear()


def test_status_says_the_cluster_does_not_answer_and_exits_non_zero(
    nothing_listening: str,
) -> None:
    result = CliRunner().invoke(app, ["status", "--timeout", "5"])

    assert result.exit_code == 2
    assert f"no Kafka cluster answers at {nothing_listening}" in result.output
    assert "Traceback" not in result.output


def test_resends_are_summed_from_the_last_value_of_each_wire_id() -> None:
    from streams.cli.status import count_resends

    records = [
        (0, b"w1", b'{"at": "2026-12-01T00:00:00+00:00"}'),
        (0, b"w1", b'{"at": "2026-12-01T00:00:00+00:00", "resends": 2}'),
        (1, b"w2", b'{"at": "2026-12-01T00:00:00+00:00", "resends": 1}'),
        (1, b"w2", None),  # swept: its resends leave the window with it
        (2, b"w3", b'{"at": "2026-12-01T00:00:00+00:00", "resends": 3}'),
        (2, b"w4", b"not json"),
    ]
    assert count_resends(records) == 5
