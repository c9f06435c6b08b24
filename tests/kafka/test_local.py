"""LocalBroker without a real broker: missing tools, fetch/format idempotence, failed starts.

java and mvn are replaced by small shell scripts (or by nothing at all), so
these tests run anywhere with /bin/sh.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from streams.kafka import (
    BrokerStartError,
    JarFetchError,
    JavaMissingError,
    KafkaSetupError,
    LocalBroker,
    MavenMissingError,
)
from streams.settings import Settings
from tests.kafka.conftest import JAVA_17, FakeTool

ALTERNATIVES = ("WIRESTREAM_KAFKA_BOOTSTRAP", "KAFKA_BOOTSTRAP", "docker compose up -d kafka")


def nothing_on_path(name: str) -> str | None:
    return None


def tools(**found: Path) -> Callable[[str], str | None]:
    """An executable lookup that knows only the given tools."""
    return lambda name: str(found[name]) if name in found else None


def pretend_fetched(broker: LocalBroker) -> None:
    broker.libs_dir.mkdir(parents=True)
    broker.kafka_jar.touch()
    marker = {"kafka_version": broker.kafka_version, "jars": [broker.kafka_jar.name]}
    (broker.version_dir / "libs.complete.json").write_text(json.dumps(marker))


def pretend_formatted(broker: LocalBroker) -> None:
    broker.data_dir.mkdir(parents=True)
    (broker.data_dir / "meta.properties").write_text("node.id=1\n")


# --- prerequisites -------------------------------------------------------


def test_missing_java_names_the_alternatives(make_settings: Callable[..., Settings]) -> None:
    broker = LocalBroker(make_settings(), which=nothing_on_path)

    with pytest.raises(JavaMissingError) as raised:
        broker.fetch()

    assert raised.value.code == "W401"
    assert str(raised.value).startswith("[W401] ")
    assert isinstance(raised.value, KafkaSetupError)
    for alternative in ALTERNATIVES:
        assert alternative in raised.value.message


def test_missing_java_is_found_through_shutil_which(
    make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", nothing_on_path)

    with pytest.raises(JavaMissingError):
        LocalBroker(make_settings()).start(timeout=5)


def test_old_java_is_rejected(make_settings: Callable[..., Settings], fake_tool: FakeTool) -> None:
    java = fake_tool("java", "echo 'java version \"1.8.0_392\"' >&2\n")
    broker = LocalBroker(make_settings(), which=tools(java=java))

    with pytest.raises(JavaMissingError, match=r"Java 8; .* needs Java 17 or newer"):
        broker.check_java()


def test_missing_maven_names_the_alternatives(
    make_settings: Callable[..., Settings], fake_tool: FakeTool
) -> None:
    broker = LocalBroker(make_settings(), which=tools(java=fake_tool("java", JAVA_17)))

    with pytest.raises(MavenMissingError) as raised:
        broker.fetch()

    assert raised.value.code == "W402"
    for alternative in ALTERNATIVES:
        assert alternative in raised.value.message


# --- fetch ---------------------------------------------------------------


def test_failed_maven_run_shows_the_tail_of_its_output(
    make_settings: Callable[..., Settings], fake_tool: FakeTool
) -> None:
    mvn = fake_tool("mvn", 'for n in $(seq 1 100); do echo "maven line $n"; done\nexit 1\n')
    broker = LocalBroker(make_settings(), which=tools(java=fake_tool("java", JAVA_17), mvn=mvn))

    with pytest.raises(JarFetchError) as raised:
        broker.fetch()

    message = raised.value.message
    assert raised.value.code == "W403"
    assert "maven line 100" in message
    assert "maven line 1\n" not in message
    assert not broker.is_fetched()


def test_fetch_passes_the_version_and_runs_once(
    make_settings: Callable[..., Settings], fake_tool: FakeTool, tmp_path: Path
) -> None:
    calls = tmp_path / "mvn-calls"
    # Creates the jars copy-dependencies would, in the directory it is given.
    mvn = fake_tool(
        "mvn",
        f"""echo "$@" >> {calls}
for arg in "$@"; do
  case "$arg" in
    -DoutputDirectory=*) out="${{arg#*=}}" ;;
    -Dkafka.version=*) version="${{arg#*=}}" ;;
  esac
done
mkdir -p "$out" && touch "$out/kafka_2.13-$version.jar" "$out/kafka-clients-$version.jar"
""",
    )
    broker = LocalBroker(
        make_settings(kafka_version="4.2.1"), which=tools(java=fake_tool("java", JAVA_17), mvn=mvn)
    )

    assert broker.fetch() == broker.libs_dir
    assert broker.fetch() == broker.libs_dir

    invocations = calls.read_text().splitlines()
    assert len(invocations) == 1
    assert "-Dkafka.version=4.2.1" in invocations[0].split()
    assert broker.is_fetched()
    assert (broker.libs_dir / "kafka_2.13-4.2.1.jar").is_file()


def test_fetch_is_skipped_when_the_marker_says_complete(
    make_settings: Callable[..., Settings],
) -> None:
    broker = LocalBroker(make_settings(), which=nothing_on_path)
    pretend_fetched(broker)

    assert broker.fetch() == broker.libs_dir  # no java or mvn needed


def test_a_missing_jar_invalidates_the_marker(make_settings: Callable[..., Settings]) -> None:
    broker = LocalBroker(make_settings(), which=nothing_on_path)
    pretend_fetched(broker)
    broker.kafka_jar.unlink()

    assert not broker.is_fetched()
    with pytest.raises(JavaMissingError):
        broker.fetch()


def test_format_is_skipped_when_meta_properties_exists(
    make_settings: Callable[..., Settings],
) -> None:
    broker = LocalBroker(make_settings(), which=nothing_on_path)
    pretend_formatted(broker)

    broker.format()  # no java needed


# --- start / stop / status -------------------------------------------------


def prepared_broker(settings: Settings, java: Path) -> LocalBroker:
    broker = LocalBroker(settings, which=tools(java=java))
    pretend_fetched(broker)
    pretend_formatted(broker)
    return broker


def test_broker_that_exits_raises_with_its_log(
    make_settings: Callable[..., Settings], fake_tool: FakeTool
) -> None:
    java = fake_tool("java", JAVA_17 + "echo 'FATAL: cannot bind, bad things' \nexit 3\n")
    broker = prepared_broker(make_settings(), java)

    with pytest.raises(BrokerStartError) as raised:
        broker.start(timeout=20)

    message = raised.value.message
    assert raised.value.code == "W404"
    assert "exited with code 3" in message
    assert "FATAL: cannot bind, bad things" in message
    assert str(broker.log_path) in message
    assert not broker.pid_path.exists()


def test_broker_that_never_answers_is_stopped_after_the_timeout(
    make_settings: Callable[..., Settings], fake_tool: FakeTool
) -> None:
    java = fake_tool("java", JAVA_17 + "exec sleep 60\n")
    broker = prepared_broker(make_settings(), java)

    with pytest.raises(BrokerStartError, match="not ready after 1s"):
        broker.start(timeout=1)

    assert not broker.pid_path.exists()
    assert not broker.status().running


def test_status_without_a_broker(make_settings: Callable[..., Settings]) -> None:
    broker = LocalBroker(make_settings(kafka_version="4.1.1"), which=nothing_on_path)

    status = broker.status()

    assert not status.running
    assert status.pid is None
    assert status.kafka_version == "4.1.1"
    assert status.bootstrap == broker.bootstrap
    assert status.log_path == broker.log_path
    assert not status.fetched
    assert broker.stop() is False


def test_stale_pid_file_is_ignored_and_removed(make_settings: Callable[..., Settings]) -> None:
    broker = LocalBroker(make_settings())
    exited = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    broker.broker_dir.mkdir(parents=True)
    broker.pid_path.write_text(exited.stdout)

    assert broker.status().pid is None
    assert broker.stop() is False
    assert not broker.pid_path.exists()


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_a_reused_pid_is_never_signalled(make_settings: Callable[..., Settings]) -> None:
    broker = LocalBroker(make_settings())
    broker.broker_dir.mkdir(parents=True)
    broker.pid_path.write_text(f"{os.getpid()}\n")  # alive, but not a broker

    assert broker.status().pid is None
    assert broker.stop(timeout=1) is False  # and this test process is still here


def test_stop_kills_a_broker_that_ignores_sigterm(
    make_settings: Callable[..., Settings], fake_tool: FakeTool
) -> None:
    stubborn = "trap '' TERM\nwhile true; do sleep 0.1; done\n"
    broker = prepared_broker(make_settings(), fake_tool("java", JAVA_17 + stubborn))
    pid = broker._launch(broker.check_java())
    try:
        # Another LocalBroker finds it through the pid file once it has exec'd
        # (just after exec /proc briefly shows no command line).
        other = LocalBroker(broker.settings)
        deadline = time.monotonic() + 5
        while other.status().pid != pid and time.monotonic() < deadline:
            time.sleep(0.05)
        assert other.status().pid == pid

        assert broker.stop(timeout=0.5) is True
        assert not broker.pid_path.exists()
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
