"""Helpers for the Kafka unit tests: isolated settings and fake java/mvn executables."""

from __future__ import annotations

import socket
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from streams.settings import Settings

FakeTool = Callable[[str, str], Path]


def free_port() -> int:
    """A port nothing listens on (bound and released, so it is free right now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings whose broker and cache directories live in tmp_path, on free ports."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "broker_port": free_port(),
            "controller_port": free_port(),
            "broker_dir": tmp_path / "broker",
            "cache_dir": tmp_path / "cache",
            "security_protocol": "PLAINTEXT",
        }
        values.update(overrides)
        # No .env: a developer's local file must not change what is tested.
        return Settings(_env_file=None, **values)

    return make


@pytest.fixture
def fake_tool(tmp_path: Path) -> FakeTool:
    """Write an executable shell script ``bin/<name>`` with the given body."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)

    def write(name: str, body: str) -> Path:
        path = bin_dir / name
        path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
        return path

    return write


JAVA_17 = """\
if [ "$1" = "-version" ]; then
  echo 'openjdk version "17.0.15" 2025-04-15' >&2
  exit 0
fi
"""
"""A java that reports version 17; append what it does when run otherwise."""
