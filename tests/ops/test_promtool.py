"""The /metrics exposition passes Prometheus' own linter, ``promtool check metrics``.

promtool comes with Debian's ``prometheus`` package (``.ci/run`` installs it).
Without it the test is skipped locally and fails under CI=true.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from streams import observe
from streams.settings import Settings

HOW_TO_GET_IT = "promtool is not installed: `sudo apt-get install prometheus` provides it"


@pytest.fixture()
def promtool() -> str:
    found = shutil.which("promtool")
    if found is not None:
        return found
    if Settings().ci:
        pytest.fail(f"CI: {HOW_TO_GET_IT}", pytrace=False)
    pytest.skip(HOW_TO_GET_IT)


@pytest.fixture()
def every_family_recorded() -> Iterator[bytes]:
    """The exposition after every metric family was recorded at least once."""
    observe.batch_started("t-promtool", 4)
    observe.records_out("t-promtool", 3)
    observe.dead_letter("t-promtool", "W101")
    with observe.pool_call("t-promtool"):
        pass
    observe.alert_matched("new")
    for outcome in observe.WEBHOOK_OUTCOMES:
        observe.webhook_delivery(outcome)
    observe.resend("t-promtool")
    observe.transaction_retried("t-promtool")
    observe.watch_lag(lambda: [("wires.raw", 0, 3)])
    observe.watch_tables(lambda: [("story-versions", 2)])
    try:
        yield observe.exposition()
    finally:
        observe.watch_lag(None)
        observe.watch_tables(None)


def test_the_exposition_with_every_family_recorded_passes_promtool_check_metrics(
    promtool: str, every_family_recorded: bytes
) -> None:
    text = every_family_recorded.decode()
    empty = [f.name for f in text_string_to_metric_families(text) if not f.samples]
    assert empty == [], f"record these in the fixture too: {empty}"

    checked = subprocess.run(
        [promtool, "check", "metrics"],
        input=every_family_recorded,
        capture_output=True,
        timeout=30,
        check=False,
    )

    assert checked.returncode == 0, (checked.stdout + checked.stderr).decode()
