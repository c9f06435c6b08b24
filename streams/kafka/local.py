"""A KRaft Apache Kafka broker that Wirestream provisions itself: one node, or a local cluster.

The jars come from Maven Central (``mvn dependency:copy-dependencies`` on the
pom in ``broker/``) into ``<cache_dir>/kafka-<version>/libs``, outside the
repository and shared by every checkout. Config, data and logs live in
``Settings.broker_dir``. The broker runs detached in its own session so it
outlives the command that started it; ``broker.pid`` records it.

Layout of ``broker_dir``::

    config/server.properties  config/log4j2.yaml   (rewritten on every start)
    data/                                            (KRaft metadata and topics)
    logs/server.log  logs/stdout.log                 (previous run: *.1)
    broker.pid

A local cluster (:class:`LocalCluster`, ``wirestream broker start --nodes 3``)
is N such brokers, each in ``broker_dir/node-<id>`` with its own ports, all
voters of one controller quorum; ``broker_dir/cluster.json`` records the
nodes so ``status``, ``stop`` and ``logs`` find every one of them.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import fcntl
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

from streams.kafka.admin import cluster_reachable, parse_bootstrap
from streams.kafka.errors import (
    ALTERNATIVES,
    BrokerStartError,
    JarFetchError,
    JavaMissingError,
    KafkaSetupError,
    MavenMissingError,
    with_tail,
)
from streams.settings import Settings

MIN_JAVA = 17
SCALA_VERSION = "2.13"
LOG_TAIL_LINES = 20

Which = Callable[[str], str | None]
"""Looks an executable up by name, like :func:`shutil.which`."""

_T = TypeVar("_T")
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_JAVA_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')
_HAVE_PROC = Path("/proc/self/cmdline").exists()


DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"


@dataclass(frozen=True)
class BrokerStatus:
    """What :meth:`LocalBroker.status` found."""

    running: bool
    pid: int | None
    bootstrap: str
    kafka_version: str
    log_path: Path
    fetched: bool
    port_in_use: bool
    """Something accepts connections on the broker port, ours or not."""


_SCRAM_UNSAFE = re.compile(r'[,\[\]="\s]')


@dataclass(frozen=True)
class SaslSslListener:
    """A second listener speaking SASL_SSL with SCRAM users, beside the PLAINTEXT one.

    For trying a secured setup (TLS and SCRAM passwords) on one machine; the
    broker's own traffic and its readiness check stay on PLAINTEXT. The
    keystore (PKCS12, key and certificate under one password) is made by
    whoever asks for the listener, e.g. with the JDK's ``keytool``; the users
    are written into the metadata when the storage is formatted, so they
    must be given before the broker's first start.
    """

    port: int
    keystore: Path
    keystore_password: str
    users: tuple[tuple[str, str], ...]
    """(name, password) pairs."""
    mechanism: str = "SCRAM-SHA-512"

    def __post_init__(self) -> None:
        for name, password in self.users:
            # kafka-storage parses "[name=...,password=...]" without quoting rules.
            if _SCRAM_UNSAFE.search(name) or _SCRAM_UNSAFE.search(password):
                raise ValueError(f'SCRAM user {name!r}: no spaces or any of , [ ] = " allowed')

    def properties(self, *, broker_port: int, controller_port: int) -> str:
        """Lines appended to server.properties; later keys win over the template's."""
        prefix = "listener.name.sasl_ssl"
        keystore = _property_value(self.keystore.as_posix())
        password = _property_value(self.keystore_password)
        return "\n".join(
            [
                "",
                "# SASL_SSL listener (LocalBroker(sasl_ssl=...)), SCRAM users from format time.",
                f"listeners=PLAINTEXT://127.0.0.1:{broker_port},"
                f"CONTROLLER://127.0.0.1:{controller_port},SASL_SSL://127.0.0.1:{self.port}",
                f"advertised.listeners=PLAINTEXT://127.0.0.1:{broker_port},"
                f"SASL_SSL://127.0.0.1:{self.port}",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,"
                "SASL_SSL:SASL_SSL",
                f"sasl.enabled.mechanisms={self.mechanism}",
                f"{prefix}.sasl.enabled.mechanisms={self.mechanism}",
                f"{prefix}.{self.mechanism.lower()}.sasl.jaas.config="
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                f"{prefix}.ssl.keystore.type=PKCS12",
                f"{prefix}.ssl.keystore.location={keystore}",
                f"{prefix}.ssl.keystore.password={password}",
                f"{prefix}.ssl.key.password={password}",
                "",
            ]
        )

    def scram_arguments(self) -> list[str]:
        """``kafka-storage format`` arguments that create the users."""
        arguments: list[str] = []
        for name, password in self.users:
            arguments += ["--add-scram", f"{self.mechanism}=[name={name},password={password}]"]
        return arguments


@dataclass(frozen=True)
class ClusterNode:
    """What makes one broker a node of a local cluster rather than a cluster of its own.

    Rendered as lines appended to the single-node ``server.properties`` (later
    keys win), so the single-node template stays the one place for every
    other broker setting.
    """

    node_id: int
    cluster_id: str
    voters: str
    """``controller.quorum.voters``: ``1@127.0.0.1:port,2@...`` of every node."""
    replication_factor: int
    min_insync_replicas: int

    def properties(self) -> str:
        replicas = str(self.replication_factor)
        min_isr = str(self.min_insync_replicas)
        return "\n".join(
            [
                "",
                f"# Node {self.node_id} of a local cluster (LocalCluster): its id, the quorum",
                "# of every node, and internal topics replicated like the pipeline's.",
                f"node.id={self.node_id}",
                f"controller.quorum.voters={self.voters}",
                f"default.replication.factor={replicas}",
                f"min.insync.replicas={min_isr}",
                f"offsets.topic.replication.factor={replicas}",
                f"transaction.state.log.replication.factor={replicas}",
                f"transaction.state.log.min.isr={min_isr}",
                f"share.coordinator.state.topic.replication.factor={replicas}",
                f"share.coordinator.state.topic.min.isr={min_isr}",
                "",
            ]
        )


class LocalBroker:
    """The local development broker described by ``settings``.

    ``which`` replaces :func:`shutil.which` for finding ``java`` and ``mvn``
    (tests use it to simulate a machine without them). ``sasl_ssl`` adds a
    SASL_SSL listener with SCRAM users (:class:`SaslSslListener`). ``node``
    makes it one node of a :class:`LocalCluster`.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        which: Which | None = None,
        sasl_ssl: SaslSslListener | None = None,
        node: ClusterNode | None = None,
    ) -> None:
        self.settings = settings
        self._which = which
        self.sasl_ssl = sasl_ssl
        self.node = node
        # Relative to the directory the command runs in, fixed now so a later
        # chdir does not move the broker.
        self.broker_dir = settings.broker_dir.expanduser().absolute()
        self.version_dir = (
            settings.cache_dir.expanduser().absolute() / f"kafka-{settings.kafka_version}"
        )
        self._process: subprocess.Popen[bytes] | None = None
        self._java: str | None = None

    # --- paths and identity ---------------------------------------------

    @property
    def kafka_version(self) -> str:
        """Apache Kafka version this broker runs (``Settings.kafka_version``)."""
        return self.settings.kafka_version

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.settings.broker_port}"

    @property
    def libs_dir(self) -> Path:
        return self.version_dir / "libs"

    @property
    def kafka_jar(self) -> Path:
        return self.libs_dir / f"kafka_{SCALA_VERSION}-{self.kafka_version}.jar"

    @property
    def config_dir(self) -> Path:
        return self.broker_dir / "config"

    @property
    def data_dir(self) -> Path:
        return self.broker_dir / "data"

    @property
    def logs_dir(self) -> Path:
        return self.broker_dir / "logs"

    @property
    def log_path(self) -> Path:
        return self.logs_dir / "server.log"

    @property
    def stdout_path(self) -> Path:
        return self.logs_dir / "stdout.log"

    @property
    def pid_path(self) -> Path:
        return self.broker_dir / "broker.pid"

    @property
    def server_properties_path(self) -> Path:
        return self.config_dir / "server.properties"

    @property
    def log4j_config_path(self) -> Path:
        return self.config_dir / "log4j2.yaml"

    @property
    def _marker_path(self) -> Path:
        return self.version_dir / "libs.complete.json"

    def serves(self, bootstrap: str) -> bool:
        """Whether ``bootstrap`` names this broker (loopback host, our port)."""
        try:
            addresses = parse_bootstrap(bootstrap)
        except KafkaSetupError:
            return False
        return all(
            _is_loopback(host) and port == self.settings.broker_port for host, port in addresses
        )

    # --- configuration ----------------------------------------------------

    def render_server_properties(self) -> str:
        rendered = _render(
            _template("server.properties"),
            broker_port=str(self.settings.broker_port),
            controller_port=str(self.settings.controller_port),
            data_dir=_property_value(self.data_dir.as_posix()),
            partitions=str(self.settings.partitions),
        )
        if self.node is not None:
            rendered += self.node.properties()
        if self.sasl_ssl is not None:
            rendered += self.sasl_ssl.properties(
                broker_port=self.settings.broker_port,
                controller_port=self.settings.controller_port,
            )
        return rendered

    def render_log4j_config(self) -> str:
        # A JSON string is a valid YAML scalar, whatever the path contains.
        return _render(_template("log4j2.yaml"), log_file=json.dumps(str(self.log_path)))

    def write_config(self) -> None:
        """(Re)write server.properties and log4j2.yaml from the current settings."""
        for directory in (self.config_dir, self.data_dir, self.logs_dir):
            directory.mkdir(parents=True, exist_ok=True)
        self.server_properties_path.write_text(self.render_server_properties(), encoding="utf-8")
        self.log4j_config_path.write_text(self.render_log4j_config(), encoding="utf-8")

    # --- prerequisites ----------------------------------------------------

    def _find(self, name: str) -> str | None:
        # Looked up at call time so tests can monkeypatch shutil.which.
        which = self._which or shutil.which
        return which(name)

    def check_java(self) -> str:
        """Path of a Java >= 17 runtime, or :class:`JavaMissingError`."""
        if self._java is not None:
            return self._java
        java = self._find("java")
        if java is None:
            raise JavaMissingError(
                f"the local Kafka {self.kafka_version} broker needs Java {MIN_JAVA} or newer, "
                "and `java` is not on PATH. Install a JRE/JDK "
                f"(e.g. `apt-get install openjdk-{MIN_JAVA}-jre-headless`). {ALTERNATIVES}"
            )
        try:
            probe = subprocess.run(
                [java, "-version"], capture_output=True, text=True, timeout=60, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise JavaMissingError(f"cannot run {java} -version: {exc}. {ALTERNATIVES}") from exc
        # `java -version` reports on stderr; some wrappers use stdout.
        major = java_major_version(probe.stderr + probe.stdout)
        if major is None or major < MIN_JAVA:
            found = f"Java {major}" if major is not None else "an unrecognised Java version"
            raise JavaMissingError(
                f"{java} is {found}; the local Kafka {self.kafka_version} broker needs "
                f"Java {MIN_JAVA} or newer. {ALTERNATIVES}"
            )
        self._java = java
        return java

    def check_maven(self) -> str:
        """Path of ``mvn``, or :class:`MavenMissingError`."""
        mvn = self._find("mvn")
        if mvn is None:
            raise MavenMissingError(
                f"Maven (`mvn`) fetches the Apache Kafka {self.kafka_version} jars for the local "
                "broker and is not on PATH. Install it (e.g. `apt-get install maven`). "
                f"{ALTERNATIVES}"
            )
        return mvn

    # --- fetch --------------------------------------------------------------

    def is_fetched(self) -> bool:
        """Whether a complete jar set for :attr:`kafka_version` is in :attr:`libs_dir`."""
        try:
            marker = json.loads(self._marker_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        if not isinstance(marker, dict) or marker.get("kafka_version") != self.kafka_version:
            return False
        jars = marker.get("jars")
        if not isinstance(jars, list) or not self.kafka_jar.is_file():
            return False
        return all((self.libs_dir / str(jar)).is_file() for jar in jars)

    def fetch(self, *, quiet: bool = True) -> Path:
        """Download the broker's jars (once per version); return :attr:`libs_dir`.

        ``quiet=False`` passes Maven's output through to stderr.
        """
        if self.is_fetched():
            return self.libs_dir
        self.check_java()
        mvn = self.check_maven()
        self.version_dir.mkdir(parents=True, exist_ok=True)
        with _file_lock(self.version_dir / ".lock"):
            if self.is_fetched():  # another process fetched while we waited
                return self.libs_dir
            # Start from an empty directory so an interrupted run cannot leave
            # a jar of another resolution on the class path.
            shutil.rmtree(self.libs_dir, ignore_errors=True)
            # Maven writes next to the pom; the copy keeps the installed package clean.
            pom = self.version_dir / "pom.xml"
            pom.write_text(_template("pom.xml"), encoding="utf-8")
            command = [
                mvn,
                "-B",
                "-ntp",
                "-Dstyle.color=never",
                *(["-q"] if quiet else []),
                "-f",
                str(pom),
                # Pinned: an unpinned prefix resolves to whatever plugin
                # version a machine happens to have, so runs would differ.
                f"{DEPENDENCY_PLUGIN}:copy-dependencies",
                "-DincludeScope=runtime",
                f"-DoutputDirectory={self.libs_dir}",
                f"-Dkafka.version={self.kafka_version}",
            ]
            code, tail = _run_capturing_tail(command, echo=not quiet)
            if code != 0:
                raise JarFetchError(
                    with_tail(
                        f"Maven could not fetch Apache Kafka {self.kafka_version} (exit code "
                        f"{code}). Check the version exists and Maven Central is reachable.",
                        tail,
                        source="mvn output",
                    )
                    + f"\n{ALTERNATIVES}"
                )
            if not self.kafka_jar.is_file():
                raise JarFetchError(
                    f"Maven succeeded but {self.kafka_jar.name} is not in {self.libs_dir}"
                )
            jars = sorted(path.name for path in self.libs_dir.glob("*.jar"))
            marker = {"kafka_version": self.kafka_version, "jars": jars}
            _write_atomically(self._marker_path, json.dumps(marker, indent=2) + "\n")
        return self.libs_dir

    # --- format -------------------------------------------------------------

    def is_formatted(self) -> bool:
        return (self.data_dir / "meta.properties").is_file()

    def format(self) -> None:
        """Format the KRaft storage in :attr:`data_dir` unless that was done before."""
        if self.is_formatted():
            return
        java = self.check_java()
        self.fetch()
        self.write_config()
        if self.node is not None:  # every node of a cluster shares one id
            cluster_id = self.node.cluster_id
        else:
            cluster_id = self._storage_tool(java, "random-uuid").strip()
        scram = self.sasl_ssl.scram_arguments() if self.sasl_ssl is not None else []
        self._storage_tool(
            java, "format", "-t", cluster_id, "-c", str(self.server_properties_path), *scram
        )

    def _storage_tool(self, java: str, *args: str) -> str:
        command = [java, "-cp", self._classpath(), "kafka.tools.StorageTool", *args]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=120, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BrokerStartError(f"kafka-storage {args[0]} failed: {exc}") from exc
        if result.returncode != 0:
            output = (result.stdout + result.stderr).splitlines()
            raise BrokerStartError(
                with_tail(
                    f"kafka-storage {args[0]} exited with code {result.returncode}",
                    output[-LOG_TAIL_LINES:],
                    source="its output",
                )
            )
        return result.stdout

    # --- run ------------------------------------------------------------------

    def start(self, *, timeout: float = 60) -> None:
        """Start the broker and wait until it answers metadata requests.

        Fetches and formats first when needed; does nothing if it already runs.
        A broker that is not ready within ``timeout`` seconds is stopped again.
        """
        pid = self.launch()
        if pid is not None:
            self._wait_until_ready(pid, timeout)

    def launch(self) -> int | None:
        """Start the broker process without waiting for it; its pid, None if it already runs.

        A node of a cluster cannot become ready before a quorum of its peers
        runs, so :class:`LocalCluster` launches every node first, then waits.
        """
        if self.status().running:
            return None
        java = self.check_java()
        self.fetch()
        self.broker_dir.mkdir(parents=True, exist_ok=True)
        with _file_lock(self.broker_dir / ".lock"):
            pid = self._broker_pid()
            if pid is None:
                return self._launch(java)
            if not self._config_is_current():
                # Waiting would only time out: it listens where the old settings said.
                raise BrokerStartError(
                    f"the broker in {self.broker_dir} (pid {pid}) runs with other settings "
                    "(ports?); stop it first with `wirestream broker stop`"
                )
            # Another command launched it and may still be waiting for it.
            return pid

    def wait_until_ready(self, pid: int, timeout: float) -> None:
        """Wait until the broker ``pid`` answers metadata requests; stop it after ``timeout``."""
        self._wait_until_ready(pid, timeout)

    def _config_is_current(self) -> bool:
        try:
            written = self.server_properties_path.read_text(encoding="utf-8")
        except OSError:
            return False
        return written == self.render_server_properties()

    def _launch(self, java: str) -> int:
        for name, port in (
            ("broker", self.settings.broker_port),
            ("controller", self.settings.controller_port),
        ):
            if _tcp_open("127.0.0.1", port):
                raise BrokerStartError(
                    f"the {name} port {port} is already in use by another process. If that is "
                    f"a Kafka broker, point WIRESTREAM_KAFKA_BOOTSTRAP at it; otherwise choose "
                    "free ports with WIRESTREAM_BROKER_PORT and WIRESTREAM_CONTROLLER_PORT."
                )
        self.write_config()
        self.format()
        for path in (self.log_path, self.stdout_path):
            if path.exists():
                path.replace(path.with_name(path.name + ".1"))
        command = [
            java,
            f"-Xmx{self.settings.broker_heap}",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.log4j_config_path}",
            "-cp",
            self._classpath(),
            "kafka.Kafka",
            str(self.server_properties_path),
        ]
        with self.stdout_path.open("wb") as output:
            # Own session: Ctrl-C in the terminal that ran `broker start` must
            # not reach the broker, and it must outlive that command.
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=self.broker_dir,
                start_new_session=True,
            )
        _write_atomically(self.pid_path, f"{self._process.pid}\n")
        return self._process.pid

    def _wait_until_ready(self, pid: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if not self._alive(pid):
                self.pid_path.unlink(missing_ok=True)
                code = self._process.returncode if self._process is not None else None
                exited = f" with code {code}" if code is not None else ""
                raise BrokerStartError(self._with_log_tail(f"the Kafka broker exited{exited}"))
            remaining = deadline - time.monotonic()
            if _tcp_open("127.0.0.1", self.settings.broker_port) and _run_coroutine(
                cluster_reachable(self.bootstrap, timeout=max(1.0, min(5.0, remaining)))
            ):
                return
            if time.monotonic() >= deadline:
                self._terminate(pid, timeout=10)
                self.pid_path.unlink(missing_ok=True)
                raise BrokerStartError(
                    self._with_log_tail(
                        f"the Kafka broker was not ready after {timeout:g}s and was stopped"
                    )
                )
            time.sleep(0.25)

    def _with_log_tail(self, message: str) -> str:
        # JVM failures (bad heap size, missing class) never reach log4j and
        # land in stdout.log instead, so that is shown as a fallback.
        path = self.log_path
        lines = tail(path, LOG_TAIL_LINES)
        if not lines and self.stdout_path.is_file() and self.stdout_path.stat().st_size:
            path = self.stdout_path
            lines = tail(path, LOG_TAIL_LINES)
        return with_tail(f"{message}; log: {self.log_path}", lines, source=path)

    def stop(self, *, timeout: float = 30) -> bool:
        """Stop the broker (SIGTERM, then SIGKILL after ``timeout`` s). False if none ran."""
        pid = self._broker_pid()
        stopped = pid is not None and self._terminate(pid, timeout=timeout)
        self.pid_path.unlink(missing_ok=True)
        self._process = None
        return stopped

    def kill(self) -> bool:
        """SIGKILL the broker, as a crashed machine would stop it. False if none ran."""
        pid = self._broker_pid()
        if pid is None:
            return False
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        self._wait_for_exit(pid, 10)
        return True

    def _terminate(self, pid: int, *, timeout: float) -> bool:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return False
        # SIGTERM starts Kafka's controlled shutdown, which flushes logs and
        # makes the next start fast; SIGKILL only if it hangs.
        if self._wait_for_exit(pid, timeout):
            return True
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        self._wait_for_exit(pid, 10)
        return True

    def _wait_for_exit(self, pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self._alive(pid):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)
        return True

    def status(self) -> BrokerStatus:
        pid = self._broker_pid()
        port_in_use = _tcp_open("127.0.0.1", self.settings.broker_port)
        return BrokerStatus(
            running=pid is not None and port_in_use,
            pid=pid,
            bootstrap=self.bootstrap,
            kafka_version=self.kafka_version,
            log_path=self.log_path,
            fetched=self.is_fetched(),
            port_in_use=port_in_use,
        )

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> list[str]:
        return tail(self.log_path, lines)

    # --- process bookkeeping ------------------------------------------------

    def read_pid(self) -> int | None:
        try:
            return int(self.pid_path.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return None

    def _broker_pid(self) -> int | None:
        """The recorded pid if it is alive and still this broker's process."""
        pid = self.read_pid()
        if pid is None or not self._alive(pid):
            return None
        # Pids are reused: never signal a process just because its number is
        # in our pid file. Where /proc exists, check it runs our config.
        cmdline = Path(f"/proc/{pid}/cmdline")
        if _HAVE_PROC:
            try:
                arguments = cmdline.read_bytes().split(b"\0")
            except OSError:
                return None
            expected = os.fsencode(self.server_properties_path)
            if b"kafka.Kafka" not in arguments or expected not in arguments:
                return None
        return pid

    def _alive(self, pid: int) -> bool:
        if self._process is not None and self._process.pid == pid:
            return self._process.poll() is None
        with contextlib.suppress(ChildProcessError):
            # A child of this process that exited stays a zombie, which
            # os.kill(pid, 0) reports as alive, until it is reaped here.
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # alive, but another user's
            return True
        return True

    def _classpath(self) -> str:
        # The JVM expands "dir/*" itself; no shell is involved.
        return str(self.libs_dir / "*")


CLUSTER_FILE = "cluster.json"


@dataclass(frozen=True)
class NodePorts:
    """Where one node of a local cluster listens."""

    node_id: int
    broker_port: int
    controller_port: int


class LocalCluster:
    """A KRaft cluster of ``nodes`` local brokers, every one of them also a controller.

    Node ``i`` (from 1) lives in ``broker_dir/node-<i>`` and, unless ``ports``
    says otherwise, listens on ``broker_port + 2(i-1)`` and
    ``controller_port + 2(i-1)``. The first start records the layout and the
    cluster id in ``broker_dir/cluster.json``; later commands read it from
    there, so ``status`` and ``stop`` need no ``--nodes``. Each JVM gets
    ``broker_heap``. Topics and internal topics are replicated as
    ``Settings.replication_factor`` and ``min_insync_replicas`` say (capped at
    the node count).
    """

    def __init__(
        self,
        settings: Settings,
        nodes: int | None = None,
        *,
        ports: list[NodePorts] | None = None,
        which: Which | None = None,
    ) -> None:
        self.settings = settings
        self.broker_dir = settings.broker_dir.expanduser().absolute()
        recorded = self._recorded()
        if ports is None and recorded is not None:
            if nodes not in (None, len(recorded[1])):
                # Its nodes' storage was formatted for that quorum; a node
                # more or less would not agree with the others on who votes.
                raise KafkaSetupError(
                    f"{self.broker_dir} holds a local cluster of {len(recorded[1])} nodes, not "
                    f"{nodes}; start it with --nodes {len(recorded[1])}, or stop it and use "
                    "another WIRESTREAM_BROKER_DIR"
                )
            cluster_id, ports = recorded
        else:
            cluster_id = recorded[0] if recorded is not None else _new_cluster_id()
        count = len(ports) if ports is not None else (nodes or settings.broker_nodes)
        if count < 1:
            raise KafkaSetupError(f"a cluster needs at least one node, not {count}")
        if ports is None:
            ports = [
                NodePorts(i + 1, settings.broker_port + 2 * i, settings.controller_port + 2 * i)
                for i in range(count)
            ]
        self.ports = ports
        self.cluster_id = cluster_id
        voters = ",".join(f"{p.node_id}@127.0.0.1:{p.controller_port}" for p in ports)
        replicas = min(settings.replication_factor, count)
        min_isr = min(settings.min_insync_replicas, replicas)
        self.brokers = [
            LocalBroker(
                settings.model_copy(
                    update={
                        "broker_dir": self.broker_dir / f"node-{p.node_id}",
                        "broker_port": p.broker_port,
                        "controller_port": p.controller_port,
                    }
                ),
                which=which,
                node=ClusterNode(p.node_id, cluster_id, voters, replicas, min_isr),
            )
            for p in ports
        ]

    @classmethod
    def recorded(cls, settings: Settings) -> LocalCluster | None:
        """The cluster recorded in ``broker_dir``, or None if none was ever started there."""
        path = settings.broker_dir.expanduser().absolute() / CLUSTER_FILE
        return cls(settings) if path.is_file() else None

    @property
    def layout_path(self) -> Path:
        return self.broker_dir / CLUSTER_FILE

    @property
    def bootstrap(self) -> str:
        return ",".join(broker.bootstrap for broker in self.brokers)

    def _recorded(self) -> tuple[str, list[NodePorts]] | None:
        try:
            layout = json.loads((self.broker_dir / CLUSTER_FILE).read_text(encoding="utf-8"))
            nodes = [NodePorts(**node) for node in layout["nodes"]]
            return str(layout["cluster_id"]), nodes
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def node(self, node_id: int) -> LocalBroker:
        for broker in self.brokers:
            if broker.node is not None and broker.node.node_id == node_id:
                return broker
        raise KeyError(node_id)

    def start(self, *, timeout: float = 90) -> None:
        """Start every node that is not running and wait until each answers.

        All are launched before any is waited for: no node is ready before
        a majority of the controller quorum runs.
        """
        self.broker_dir.mkdir(parents=True, exist_ok=True)
        layout = {
            "cluster_id": self.cluster_id,
            "nodes": [vars(p) for p in self.ports],
        }
        _write_atomically(self.layout_path, json.dumps(layout, indent=2) + "\n")
        launched = [(broker, broker.launch()) for broker in self.brokers]
        deadline = time.monotonic() + timeout
        try:
            for broker, pid in launched:
                if pid is not None:
                    broker.wait_until_ready(pid, max(1.0, deadline - time.monotonic()))
        except KafkaSetupError:
            self.stop(timeout=10)
            raise

    def stop(self, *, timeout: float = 30) -> int:
        """Stop every node (a clean shutdown each); how many were running."""
        # In parallel: the last nodes of a quorum wait for each other to shut
        # down cleanly, so one after the other takes much longer.
        with ThreadPoolExecutor(max_workers=len(self.brokers)) as pool:
            stopped = list(pool.map(lambda broker: broker.stop(timeout=timeout), self.brokers))
        return sum(stopped)

    def status(self) -> list[BrokerStatus]:
        return [broker.status() for broker in self.brokers]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on now, for a broker started for a run (benchmarks, tests)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _new_cluster_id() -> str:
    # KRaft cluster ids are 16 random bytes in URL-safe base64 without padding,
    # what `kafka-storage random-uuid` prints; made here to spare a JVM start.
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode("ascii").rstrip("=")


# --- helpers -----------------------------------------------------------------


def java_major_version(version_output: str) -> int | None:
    """Major version from ``java -version`` output (``1.8.0_x`` is 8, ``17.0.2`` is 17)."""
    match = _JAVA_VERSION.search(version_output)
    if match is None:
        return None
    major = int(match.group(1))
    if major == 1 and match.group(2) is not None:
        return int(match.group(2))
    return major


def tail(path: Path, lines: int) -> list[str]:
    """The last ``lines`` lines of a text file; [] if it does not exist."""
    if lines <= 0:
        return []
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return []
    with handle:
        # Read backwards in blocks: server.log of a long-running broker can be
        # large and only its end is wanted.
        end = handle.seek(0, os.SEEK_END)
        data = b""
        while end > 0 and data.count(b"\n") <= lines:
            step = min(64 * 1024, end)
            end -= step
            handle.seek(end)
            data = handle.read(step) + data
    return data.decode("utf-8", errors="replace").splitlines()[-lines:]


def _template(name: str) -> str:
    return files("streams.kafka").joinpath("broker", name).read_text(encoding="utf-8")


def _render(template: str, **values: str) -> str:
    """Fill ``{{name}}`` placeholders; a missing value is a bug, so it raises KeyError."""
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def _property_value(value: str) -> str:
    # Backslash is the escape character of .properties files.
    return value.replace("\\", "\\\\")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _tcp_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _run_coroutine(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run ``coroutine`` to completion from synchronous code, even inside a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    # asyncio.run refuses to nest; a private thread gets its own loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _run_capturing_tail(command: list[str], *, echo: bool, keep: int = 40) -> tuple[int, list[str]]:
    """Run ``command``; return its exit code and last ``keep`` output lines."""
    last: deque[str] = deque(maxlen=keep)
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
    except OSError as exc:
        return 127, [str(exc)]
    assert process.stdout is not None
    with process:
        for line in process.stdout:
            last.append(line.rstrip("\n"))
            if echo:
                sys.stderr.write(line)
    return process.returncode, list(last)


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Exclusive lock between processes (two test sessions starting one broker)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
