"""A real headless Chromium against a real worker on the real broker.

The browser is Debian's ``chromium`` driven through its ``chromidriver``
(``apt-get install chromium chromium-driver``); nothing is downloaded. Without
them the browser tests are skipped with that command, except in CI, where
``.ci/run`` installs them and their absence fails the run. Each step saves a
screenshot to ``tests/browser/screenshots/`` (ignored by git) for a person to
look at.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from streams.kafka import ensure_topics
from streams.settings import Settings
from tests.integration.conftest import start_worker, stop_worker

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = Path(__file__).parent / "screenshots"
HOW_TO_GET_ONE = (
    "no Chromium for the browser tests: install Debian's with "
    "`sudo apt-get install chromium chromium-driver` (no browser is ever downloaded)"
)


def _browser_missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists() and shutil.which(path.name) is None:
            return HOW_TO_GET_ONE
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed: `make setup` installs the dev dependencies"
    return None


@pytest.fixture(scope="session")
def chromium_available() -> None:
    missing = _browser_missing()
    if missing is None:
        return
    if Settings().ci:
        pytest.fail(f"CI: {missing}", pytrace=False)
    pytest.skip(missing)


@dataclass(frozen=True)
class ConsoleWorker:
    """A worker with its web server on: where, and the tokens it takes."""

    cfg: Settings
    url: str
    ingest_token: str
    console_token: str
    log: Path

    def post_wire(self, content: bytes) -> None:
        request = urllib.request.Request(
            f"{self.url}/wires?format=text",
            data=content,
            method="POST",
            headers={"Authorization": f"Bearer {self.ingest_token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 202, response.read()

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/readyz", timeout=5) as response:
                return bool(json.loads(response.read()).get("ready", response.status == 200))
        except (urllib.error.URLError, OSError, ValueError):
            return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def console_worker(
    chromium_available: None, kafka_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ConsoleWorker]:
    """A pipeline of the browser tests alone (own topics and group), console open."""
    run = uuid.uuid4().hex[:8]
    cfg = kafka_settings.model_copy(
        update={
            "topic_prefix": f"test-console-{run}.",
            "app_id": f"wirestream-console-{run}",
            "data_dir": tmp_path_factory.mktemp("console-worker"),
        }
    )
    asyncio.run(ensure_topics(cfg))
    port = _free_port()
    worker = ConsoleWorker(
        cfg,
        f"http://127.0.0.1:{port}",
        "ingest-" + uuid.uuid4().hex,
        "console-" + uuid.uuid4().hex,
        tmp_path_factory.mktemp("console-logs") / "worker.log",
    )
    proc = start_worker(
        cfg,
        worker.log,
        env={
            "WIRESTREAM_WEB_ENABLED": "true",
            "WIRESTREAM_WEB_PORT": str(port),
            "WIRESTREAM_INGEST_TOKEN": worker.ingest_token,
            "WIRESTREAM_CONSOLE_TOKEN": worker.console_token,
        },
    )
    try:
        deadline = time.monotonic() + 180
        while not worker.ready():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker never became ready:\n{worker.log.read_text()[-3000:]}")
            time.sleep(1)
        yield worker
    finally:
        stop_worker(proc)


@pytest.fixture(scope="session")
def browser(chromium_available: None) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium"))
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1440,900",
    ):
        options.add_argument(arg)
    driver_path = CHROMEDRIVER if CHROMEDRIVER.exists() else Path(str(shutil.which("chromedriver")))
    driver = webdriver.Chrome(service=Service(executable_path=str(driver_path)), options=options)
    driver.set_window_size(1440, 900)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def screenshot() -> Any:
    SCREENSHOTS.mkdir(exist_ok=True)

    def save(driver: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        driver.save_screenshot(str(path))
        return path

    return save
