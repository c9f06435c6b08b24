"""Fault harness: seeded wires with poison, a paced feeder, worker processes and the check.

Used by the fault tests (``tests/faults``) and by ``bench/chaos.py``, so nothing
here imports pytest.

- :func:`generate_wires` makes ``count`` short wires of our own invented text in
  formats the parsers accept (plain text, ninjs, NITF, IPTC 7901), each one
  story, and mixes in poison records that must end on ``wires.dlq``.
- :class:`Feeder` sends them to ``wires.raw`` in the background, paced, the way
  ``wirestream ingest`` does (``to_raw`` + ``send_raw`` on ``raw_producer``).
- :class:`WorkerProcess` runs ``wirestream worker`` as a subprocess with its own
  environment and can SIGKILL, SIGTERM and restart it.
- :func:`read_outputs` reads ``wires.enriched``, ``wires.dlq`` and
  ``wires.released`` to their ends with a ``read_committed`` consumer.
- :func:`check_exactly_once` maps every input to its outputs by wire id and
  says what was lost, duplicated or misrouted.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from streams.ingest import WireInput, to_raw, wire_id
from streams.ingest.producer import raw_producer, send_raw
from streams.kafka import client_kwargs
from streams.settings import Settings
from streams.topology import (
    CLUSTERING,
    DLQ,
    ENRICHED,
    ENTITIES,
    PARSED,
    PARSED_URGENT,
    RAW,
    RELEASED,
)

#: Environment variable that fixes the seed of a fault run (printed on failure).
SEED_ENV = "WIRESTREAM_FAULT_SEED"

GOOD_KINDS = ("plain", "ninjs", "nitf", "iptc7901")
#: Poison: bytes on wires.raw that the parse stage must dead-letter.
#: ``binary`` and ``no-headline`` are RawWire records whose content does not
#: parse (W102, W104), ``bad-hint`` names a format that does not exist (W103),
#: ``not-a-record`` is not a RawWire at all (undecodable value, W002-style).
POISON_KINDS = ("binary", "bad-hint", "no-headline", "not-a-record")

OUTPUT_TOPICS = (ENRICHED.name, DLQ.name, RELEASED.name)
#: The way a wire goes before its output, to find where a lost one stopped.
STAGE_TOPICS = (RAW.name, PARSED.name, PARSED_URGENT.name, ENTITIES.name, CLUSTERING.name)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --- the wires -------------------------------------------------------------

_PLACES = ["OSLO", "LAGOS", "LIMA", "HANOI", "PERTH", "QUITO", "RIGA", "TUNIS", "DAKAR", "BERN"]
_SUBJECTS = [
    "Harbour pilots",
    "The city council",
    "A regional rail operator",
    "Grain traders",
    "The nurses' union",
    "The water authority",
    "A budget airline",
    "A copper miner",
    "The fishing fleet",
    "The state university",
]
_VERBS = ["approves", "rejects", "delays", "announces", "questions", "extends", "trims", "widens"]
_OBJECTS = [
    "a new budget",
    "night shifts",
    "the harbour plan",
    "a tariff deal",
    "bridge repairs",
    "pension changes",
    "an export quota",
    "a safety review",
    "a wage offer",
    "the winter timetable",
]
_NAMES = ["Ana Okafor", "Mira Berg", "Lena Tran", "Tomas Reyes", "Ines Haddad", "Yuki Sato"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


@dataclass(frozen=True)
class Wire:
    """One input of a fault run.

    ``content`` is what a sender would hand to ``ingest`` (the RawWire's bytes);
    for the ``not-a-record`` poison it is the whole record value instead.
    ``wire_id`` is the Kafka key and the id every output is mapped back by.
    """

    index: int
    kind: str
    content: bytes
    format_hint: str | None = None

    @property
    def poison(self) -> bool:
        return self.kind in POISON_KINDS

    @property
    def wire_id(self) -> str:
        return wire_id(self.content)


def fault_seed(env: Mapping[str, str], default: int | None = None) -> int:
    """``WIRESTREAM_FAULT_SEED`` from ``env``, else ``default``, else a random seed."""
    given = env.get(SEED_ENV, "").strip()
    if given:
        return int(given)
    if default is not None:
        return default
    return random.SystemRandom().randrange(1, 2**31)


def _story(rng: random.Random, i: int, tag: str) -> tuple[str, str, list[str]]:
    """Headline, place and body paragraphs of story number ``i`` (unique by ``tag`` and ``i``)."""
    subject, verb, obj = rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_OBJECTS)
    place = rng.choice(_PLACES)
    headline = f"{subject} {verb} {obj}, {tag} item {i}"
    body = [
        f"{subject} in {place.title()} {verb} {obj} on {rng.choice(_DAYS)}, "
        f"officials said, after {rng.randrange(2, 9)} weeks of talks.",
        f"Spokeswoman {rng.choice(_NAMES)} said the figures would be published "
        f"within {rng.randrange(2, 30)} days and that talks with {rng.choice(_SUBJECTS).lower()} "
        "would go on.",
    ]
    return headline, place, body


def _plain(rng: random.Random, i: int, tag: str) -> bytes:
    headline, place, body = _story(rng, i, tag)
    day = 1 + rng.randrange(28)
    lead = f"{place}, March {day} (Wirestream Test Wire) -- {body[0]}"
    return ("\n\n".join([headline, lead, body[1]]) + "\n").encode()


def _ninjs(rng: random.Random, i: int, tag: str) -> bytes:
    headline, place, body = _story(rng, i, tag)
    item = {
        "standard": {"name": "ninjs", "version": "3.0"},
        "uri": f"https://wirestream.example/items/{tag}-{i}",
        "type": "text",
        "version": "1",
        "firstCreated": f"2026-03-{1 + rng.randrange(28):02d}T07:30:00+00:00",
        "pubStatus": "usable",
        "language": "en",
        "slugline": f"{tag}-{i}",
        # Some flashes, so the urgent lane (and urgent wires published ahead of
        # their parse batch) goes through every fault too.
        "urgency": 1 if i % 5 == 0 else 5,
        "headlines": [{"role": "main", "value": headline}],
        "bodies": [
            {
                "role": "text",
                "contentType": "text/plain",
                "value": f"{place} (Wirestream) - {body[0]}\n\n{body[1]}",
            }
        ],
    }
    return orjson.dumps(item)


def _nitf(rng: random.Random, i: int, tag: str) -> bytes:
    headline, place, body = _story(rng, i, tag)
    day = 1 + rng.randrange(28)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<nitf version="-//IPTC//DTD NITF 3.6//EN">\n'
        f"<head><title>{headline}</title>"
        '<docdata management-status="usable">'
        f'<doc-id regsrc="Wirestream" id-string="WS-{tag}-{i}"/>'
        f'<date.issue norm="202603{day:02d}T083000+0000"/></docdata></head>\n'
        f"<body><body.head><hedline><hl1>{headline}</hl1></hedline></body.head>\n"
        f"<body.content><p>{place}, March {day} (Wirestream) -- {body[0]}</p>"
        f"<p>{body[1]}</p></body.content></body></nitf>\n"
    ).encode()


def _iptc7901(rng: random.Random, i: int, tag: str) -> bytes:
    headline, place, body = _story(rng, i, tag)
    lines = [
        f"\x01wsa{i % 10000:04d} 3 i 310  wst 0112",
        f"\x02Wirestream/{tag}/item{i}/",
        headline,
        "By Wirestream correspondents =",
        "",
        f"{place.title()} (dpa) - {body[0]}",
        "",
        body[1],
        "",
        "wst xy ab",
        "\x03",
    ]
    return "\r\n".join(lines).encode()


_GOOD = {"plain": _plain, "ninjs": _ninjs, "nitf": _nitf, "iptc7901": _iptc7901}


def _poison(rng: random.Random, kind: str, i: int, tag: str) -> tuple[bytes, str | None]:
    if kind == "binary":
        # A NUL byte early: binary for certain (W102).
        return b"\x00" + rng.randbytes(120) + f"{tag}-{i}".encode(), None
    if kind == "bad-hint":
        headline, _, body = _story(rng, i, tag)
        return ("\n\n".join([headline, *body]) + "\n").encode(), "teletext-9000"
    if kind == "no-headline":
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<nitf><head><docdata><doc-id id-string="WS-{tag}-{i}"/></docdata></head>'
            "<body></body></nitf>\n"
        ).encode(), None
    # not-a-record: the record value itself is garbage (no RawWire JSON).
    return b"\xff\xfe{not a wire " + rng.randbytes(40) + f" {tag}-{i}".encode(), None


def generate_wires(count: int, seed: int, *, poison_share: float = 0.05) -> list[Wire]:
    """``count`` distinct wires for a fault run; about ``poison_share`` of them poison.

    The same seed gives the same wires (bytes and ids) in the same order; at
    least one poison record of every kind is in when ``count`` allows it.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    rng = random.Random(seed)
    tag = f"s{seed}"
    poison_count = max(len(POISON_KINDS), round(count * poison_share)) if count >= 20 else 0
    poison_at = set(rng.sample(range(count), poison_count))
    poison_kinds = [POISON_KINDS[k % len(POISON_KINDS)] for k in range(poison_count)]
    rng.shuffle(poison_kinds)
    wires: list[Wire] = []
    for i in range(count):
        if i in poison_at:
            kind = poison_kinds.pop()
            content, hint = _poison(rng, kind, i, tag)
            wires.append(Wire(i, kind, content, hint))
        else:
            kind = GOOD_KINDS[rng.randrange(len(GOOD_KINDS))]
            wires.append(Wire(i, kind, _GOOD[kind](rng, i, tag)))
    return wires


# --- feeding ----------------------------------------------------------------


@dataclass
class FeedLog:
    """What the feeder did: wire ids sent, when, and sends that failed for good."""

    sent: list[str] = field(default_factory=list)
    sent_at: list[float] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    retries: int = 0  # sends tried again (a broker away)
    started_at: float = 0.0
    finished_at: float = 0.0


class Feeder:
    """Sends wires to ``wires.raw`` at ``rate`` per second, in a background thread.

    Good wires and the RawWire poison go out as ``wirestream ingest`` sends
    them (``to_raw`` then ``send_raw`` on ``raw_producer``); ``not-a-record``
    poison is written as bare bytes with its wire id as key. A send that
    fails (a broker down) is retried until ``retry_for`` seconds have passed.
    """

    def __init__(
        self,
        cfg: Settings,
        wires: Sequence[Wire],
        *,
        rate: float,
        retry_for: float = 120.0,
    ) -> None:
        self.cfg = cfg
        self.wires = list(wires)
        self.rate = rate
        self.retry_for = retry_for
        self.log = FeedLog()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def sent_count(self) -> int:
        return len(self.log.sent)

    def start(self) -> Feeder:
        self._thread = threading.Thread(target=self._run, name="fault-feeder", daemon=True)
        self._thread.start()
        return self

    def wait_sent(self, count: int, timeout: float) -> None:
        """Block until ``count`` wires are sent (or the feeder ended)."""
        deadline = time.monotonic() + timeout
        while self.sent_count < count and time.monotonic() < deadline:
            if self._thread is not None and not self._thread.is_alive():
                return
            time.sleep(0.05)

    def join(self, timeout: float | None = None) -> FeedLog:
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise TimeoutError("the feeder did not finish in time")
        if self._error is not None:
            raise self._error
        return self.log

    def _run(self) -> None:
        try:
            asyncio.run(self._feed())
        except BaseException as exc:  # handed to join()
            self._error = exc

    async def _feed(self) -> None:
        topic = self.cfg.topic(RAW.name)
        async with raw_producer(self.cfg) as producer:
            self.log.started_at = time.time()
            start = time.monotonic()
            for n, wire in enumerate(self.wires):
                delay = start + n / self.rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                error = await self._send_retrying(producer, topic, wire)
                if error is None:
                    self.log.sent.append(wire.wire_id)
                    self.log.sent_at.append(time.time())
                else:
                    self.log.failed.append((wire.wire_id, error))
            self.log.finished_at = time.time()

    async def _send_retrying(
        self, producer: AIOKafkaProducer, topic: str, wire: Wire
    ) -> str | None:
        deadline = time.monotonic() + self.retry_for
        while True:
            try:
                if wire.kind == "not-a-record":
                    await asyncio.wait_for(
                        producer.send_and_wait(
                            topic, key=wire.wire_id.encode(), value=wire.content
                        ),
                        30,
                    )
                else:
                    item = WireInput(f"fault-{wire.index}", "fault", content=wire.content)
                    raw = to_raw(item, format_hint=wire.format_hint, now=datetime.now(UTC))
                    await send_raw(producer, self.cfg, raw)
                return None
            except Exception as exc:  # the broker may be down on purpose
                if time.monotonic() > deadline:
                    return repr(exc)
                self.log.retries += 1
                await asyncio.sleep(0.5)


# --- workers ----------------------------------------------------------------

_READY_LINE = re.compile(r"Worker ready")
STATE_READY = re.compile(
    r"state ready: stage=(?P<stage>\S+) partition=(?P<partition>\d+) "
    r"seconds=(?P<seconds>[0-9.eE+-]+) entries=(?P<entries>\d+)"
)


def worker_env(
    cfg: Settings, *, data_dir: Path, web_port: int, session_timeout: float = 6.0
) -> dict[str, str]:
    """The environment of one fault-run worker: the test broker and topics, its own state."""
    env = dict(os.environ)
    # A seed or other harness variables are not the worker's business.
    env.pop(SEED_ENV, None)
    env.update(
        {
            "WIRESTREAM_KAFKA_BOOTSTRAP": cfg.kafka_bootstrap,
            "WIRESTREAM_TOPIC_PREFIX": cfg.topic_prefix,
            "WIRESTREAM_APP_ID": cfg.app_id,
            "WIRESTREAM_DATA_DIR": str(data_dir),
            "WIRESTREAM_PARTITIONS": str(cfg.partitions),
            "WIRESTREAM_SESSION_TIMEOUT": f"{session_timeout:g}",
            # The web server gives /readyz; a port of its own avoids collisions.
            "WIRESTREAM_WEB_ENABLED": "true",
            "WIRESTREAM_WEB_PORT": str(web_port),
            "WIRESTREAM_ALERTS_ENABLED": "false",
        }
    )
    return env


@dataclass(frozen=True)
class LogLine:
    at: float  # time.time() when the harness saw it
    text: str


class WorkerProcess:
    """One ``wirestream worker`` subprocess that a fault run can kill and restart.

    The process runs in a session of its own (signals go to its whole process
    group: the worker and its NLP pool). Its output goes to ``log_path``
    (appended across restarts) and is followed line by line, with the time
    each line was seen, so recovery and restore figures can be read off it.
    """

    def __init__(
        self,
        cfg: Settings,
        work_dir: Path,
        *,
        name: str = "worker",
        session_timeout: float = 6.0,
        loglevel: str = "info",
        extra_env: Mapping[str, str] | None = None,
    ) -> None:
        self.cfg = cfg
        self.name = name
        self.data_dir = work_dir / name / "data"
        self.log_path = work_dir / name / "worker.log"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.web_port = free_port()
        self.session_timeout = session_timeout
        self.loglevel = loglevel
        self.extra_env = dict(extra_env or {})
        self.proc: subprocess.Popen[bytes] | None = None
        self.lines: list[LogLine] = []
        self.started_at: list[float] = []
        self._follower: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- life cycle --

    def start(self) -> WorkerProcess:
        if self.alive:
            raise RuntimeError(f"{self.name} runs already (pid {self.pid})")
        env = worker_env(
            self.cfg,
            data_dir=self.data_dir,
            web_port=self.web_port,
            session_timeout=self.session_timeout,
        )
        env.update(self.extra_env)
        with self.log_path.open("ab") as log:
            log.write(f"--- {self.name} start at {time.time():.3f}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streams.cli.main", "worker", "--loglevel", self.loglevel],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started_at.append(time.time())
        if self._follower is None:
            self._follower = threading.Thread(
                target=self._follow, name=f"{self.name}-log", daemon=True
            )
            self._follower.start()
        return self

    def restart(self) -> WorkerProcess:
        self.wait_exit(30)
        return self.start()

    def kill(self) -> float:
        """SIGKILL the worker and its pool; returns when that happened."""
        return self._signal(signal.SIGKILL)

    def terminate(self, timeout: float = 60) -> float:
        """SIGTERM (a clean leave), SIGKILL if it has not exited after ``timeout``."""
        at = self._signal(signal.SIGTERM)
        if not self.wait_exit(timeout):
            self._signal(signal.SIGKILL)
            self.wait_exit(10)
        return at

    def stop(self) -> None:
        """End the worker if it runs (cleanly if it can)."""
        if self.alive:
            self.terminate(30)

    def _signal(self, sig: signal.Signals) -> float:
        at = time.time()
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
        if sig == signal.SIGKILL:
            self.wait_exit(10)
        return at

    def wait_exit(self, timeout: float) -> bool:
        if self.proc is None:
            return True
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    # -- readiness --

    def ready(self) -> bool:
        """True when /readyz answers 200: the worker holds its partitions, the model is loaded."""
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.web_port}/readyz", timeout=2
            ) as answer:
                return bool(answer.status == 200)
        except (OSError, urllib.error.HTTPError):
            return False

    def wait_ready(self, timeout: float) -> float:
        """Wait for /readyz; returns when it first answered 200. Raises with the log tail."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            if self.ready():
                return time.time()
            time.sleep(0.3)
        raise TimeoutError(f"{self.name} not ready after {timeout:g} s:\n{self.log_tail()}")

    # -- the log --

    def _follow(self) -> None:
        while not self.log_path.exists():
            time.sleep(0.1)
        with self.log_path.open("rb") as log:
            partial = b""
            while True:
                chunk = log.readline()
                if not chunk:
                    time.sleep(0.1)
                    continue
                partial += chunk
                if not partial.endswith(b"\n"):
                    continue
                text = partial.decode("utf-8", errors="replace").rstrip("\n")
                partial = b""
                with self._lock:
                    self.lines.append(LogLine(time.time(), text))

    def log_lines(self, since: float = 0.0) -> list[LogLine]:
        with self._lock:
            return [line for line in self.lines if line.at >= since]

    def first_line_after(self, pattern: re.Pattern[str], since: float) -> LogLine | None:
        return next((line for line in self.log_lines(since) if pattern.search(line.text)), None)

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


@dataclass(frozen=True)
class StateReady:
    """One ``state ready:`` line of a worker log: a table partition back after a start."""

    stage: str
    partition: int
    seconds: float
    entries: int
    at: float


def state_ready_lines(lines: Iterable[LogLine]) -> list[StateReady]:
    """The table restore lines (``state ready: stage=… partition=… seconds=… entries=…``)."""
    found: list[StateReady] = []
    for line in lines:
        match = STATE_READY.search(line.text)
        if match:
            found.append(
                StateReady(
                    match["stage"],
                    int(match["partition"]),
                    float(match["seconds"]),
                    int(match["entries"]),
                    line.at,
                )
            )
    return found


# --- reading the outputs ---------------------------------------------------------


@dataclass(frozen=True)
class OutputRecord:
    """One output record, reduced to the input it came from."""

    topic: str  # the pipeline name (wires.enriched), without the prefix
    wire_id: str
    story_id: str | None
    partition: int
    offset: int
    timestamp_ms: int


@dataclass
class Outputs:
    records: list[OutputRecord] = field(default_factory=list)

    def on(self, topic: str) -> list[OutputRecord]:
        return [r for r in self.records if r.topic == topic]


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def wire_of_dead_letter(value: bytes, key: bytes | None) -> str:
    """The wire id a dead letter stands for.

    The parse stage's letters carry the RawWire (``wire_id``) as ``original``;
    later stages' carry an Article (``wire_id``) or an EnrichedArticle
    (``article.wire_id``). A value that was no record at all is known by its
    Kafka key, which the harness set to the wire id of those bytes.
    """
    letter = orjson.loads(value)
    with contextlib.suppress(orjson.JSONDecodeError, ValueError, TypeError, AttributeError):
        original = orjson.loads(_b64(letter["original"]))
        if isinstance(original, dict):
            found = original.get("wire_id") or (original.get("article") or {}).get("wire_id")
            if found:
                return str(found)
    source_key = letter.get("source_key")
    if source_key:
        return _b64(source_key).decode(errors="replace")
    return key.decode(errors="replace") if key else ""


def _reduce(topic: str, value: bytes, key: bytes | None) -> tuple[str, str | None]:
    if topic == DLQ.name:
        return wire_of_dead_letter(value, key), None
    if topic == RAW.name:
        return (key or b"").decode(errors="replace"), None
    record = orjson.loads(value)
    # wires.parsed carries an Article; the later stages an EnrichedArticle.
    article = record.get("article", record)
    return str(article["wire_id"]), str(article["story_id"])


async def read_outputs(
    cfg: Settings,
    topics: Sequence[str] = OUTPUT_TOPICS,
    *,
    timeout: float = 60.0,
) -> Outputs:
    """Every committed record of ``topics`` (pipeline names), read to the end.

    The end is each partition's last stable offset as a ``read_committed``
    consumer sees it when the read starts: records of open transactions are
    not there yet, those of aborted ones never are.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=cfg.kafka_bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        **client_kwargs(cfg),
    )
    await consumer.start()
    try:
        full = {cfg.topic(t): t for t in topics}
        parts: list[TopicPartition] = []
        for name in full:
            await consumer._client.add_topic(name)
            found = consumer.partitions_for_topic(name)
            if not found:
                raise LookupError(f"topic {name!r} does not exist")
            parts.extend(TopicPartition(name, p) for p in sorted(found))
        consumer.assign(parts)
        ends = await consumer.end_offsets(parts)
        for tp in parts:
            await consumer.seek_to_beginning(tp)
        pending = {tp for tp in parts if ends[tp] > 0}
        outputs = Outputs()
        deadline = time.monotonic() + timeout
        while pending:
            if time.monotonic() > deadline:
                raise TimeoutError(f"outputs not read to the end in {timeout:g} s: {pending}")
            batches = await consumer.getmany(*pending, timeout_ms=500)
            for tp, messages in batches.items():
                for message in messages:
                    if message.offset >= ends[tp] or message.value is None:
                        continue
                    wid, story = _reduce(full[tp.topic], message.value, message.key)
                    outputs.records.append(
                        OutputRecord(
                            full[tp.topic],
                            wid,
                            story,
                            tp.partition,
                            message.offset,
                            message.timestamp,
                        )
                    )
            for tp in list(pending):
                if await consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)
        return outputs
    finally:
        await consumer.stop()


# --- the check ----------------------------------------------------------------


@dataclass
class Report:
    """What a fault run gave: lost, duplicated and misrouted inputs, counts per topic."""

    seed: int
    inputs: int
    poison: int
    counts: dict[str, int]
    lost: list[str]
    duplicated: dict[str, int]  # wire id -> records on wires.enriched + wires.dlq
    in_both: list[str]  # enriched and dead-lettered
    poison_enriched: list[str]
    good_dead: list[str]
    released_missing: list[str]
    released_duplicated: dict[str, int]  # story id -> records on wires.released
    unexpected: list[str]  # output wire ids that match no input
    notes: list[str] = field(default_factory=list)  # diagnostics added by the caller

    @property
    def ok(self) -> bool:
        return not (
            self.lost
            or self.duplicated
            or self.in_both
            or self.poison_enriched
            or self.good_dead
            or self.released_missing
            or self.released_duplicated
            or self.unexpected
        )

    @property
    def duplicate_records(self) -> int:
        """Records beyond the first, on wires.enriched + wires.dlq."""
        return sum(n - 1 for n in self.duplicated.values())

    def summary(self) -> str:
        counts = ", ".join(f"{topic} {n}" for topic, n in sorted(self.counts.items()))

        def few(items: Iterable[object], limit: int = 8) -> str:
            shown = list(items)
            more = f" (+{len(shown) - limit} more)" if len(shown) > limit else ""
            return ", ".join(str(x) for x in shown[:limit]) + more

        lines = [
            f"seed {self.seed} ({SEED_ENV}={self.seed} re-runs it): "
            f"{self.inputs} inputs ({self.poison} poison); out: {counts}",
            f"  lost: {len(self.lost)} {few(self.lost)}",
            f"  duplicated on enriched/dlq: {len(self.duplicated)} wires, "
            f"{self.duplicate_records} extra records "
            f"{few(f'{w} x{n}' for w, n in self.duplicated.items())}",
            f"  enriched and dead-lettered: {len(self.in_both)} {few(self.in_both)}",
            f"  poison enriched: {len(self.poison_enriched)} {few(self.poison_enriched)}",
            f"  good wires dead-lettered: {len(self.good_dead)} {few(self.good_dead)}",
            f"  released missing: {len(self.released_missing)} {few(self.released_missing)}",
            f"  released duplicated: {len(self.released_duplicated)} stories "
            f"{few(f'{s} x{n}' for s, n in self.released_duplicated.items())}",
            f"  unexpected outputs: {len(self.unexpected)} {few(self.unexpected)}",
            *(f"  {note}" for note in self.notes),
        ]
        return "\n".join(lines)


def check_exactly_once(inputs: Sequence[Wire], outputs: Outputs, *, seed: int = 0) -> Report:
    """Map every input to its outputs by wire id and find what is missing or twice.

    Expected: each input once on ``wires.enriched`` or ``wires.dlq`` (poison on
    the dead-letter topic, good wires enriched), and each good wire's story
    once on ``wires.released`` (the generated stories are usable and not
    embargoed, so every one is released).
    """
    by_id = {wire.wire_id: wire for wire in inputs}
    enriched = Counter(r.wire_id for r in outputs.on(ENRICHED.name))
    dead = Counter(r.wire_id for r in outputs.on(DLQ.name))
    released_records = outputs.on(RELEASED.name)
    released_wires = Counter(r.wire_id for r in released_records)
    released_stories = Counter(r.story_id or r.wire_id for r in released_records)
    either = enriched + dead
    good = [w for w in inputs if not w.poison]
    return Report(
        seed=seed,
        inputs=len(inputs),
        poison=sum(1 for w in inputs if w.poison),
        counts={topic: len(outputs.on(topic)) for topic in OUTPUT_TOPICS},
        lost=[w.wire_id for w in inputs if w.wire_id not in either],
        duplicated={wid: n for wid, n in either.items() if n > 1 and wid in by_id},
        in_both=sorted(set(enriched) & set(dead) & set(by_id)),
        poison_enriched=[w.wire_id for w in inputs if w.poison and w.wire_id in enriched],
        good_dead=[w.wire_id for w in good if w.wire_id in dead],
        released_missing=[w.wire_id for w in good if w.wire_id not in released_wires],
        released_duplicated={s: n for s, n in released_stories.items() if n > 1},
        unexpected=sorted({r.wire_id for r in outputs.records if r.wire_id not in by_id}, key=str),
    )


def accounted_for(inputs: Sequence[Wire], outputs: Outputs) -> bool:
    """Every input has an output (and every good wire a release): the run may stop waiting."""
    either = {r.wire_id for r in outputs.records if r.topic in (ENRICHED.name, DLQ.name)}
    released = {r.wire_id for r in outputs.on(RELEASED.name)}
    return all(w.wire_id in either and (w.poison or w.wire_id in released) for w in inputs)


def collect_outputs(
    cfg: Settings,
    inputs: Sequence[Wire],
    *,
    timeout: float,
    settle: float = 3.0,
    poll: float = 2.0,
) -> Outputs:
    """Read the outputs until every input is accounted for (or ``timeout``), then once more.

    The last read, ``settle`` seconds later, catches a duplicate written just
    after the first copy.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            outputs = asyncio.run(read_outputs(cfg, timeout=max(10.0, poll * 5)))
        except (TimeoutError, LookupError, OSError):
            outputs = None
        if outputs is not None and accounted_for(inputs, outputs):
            break
        if time.monotonic() > deadline:
            return outputs or asyncio.run(read_outputs(cfg, timeout=60))
        time.sleep(poll)
    time.sleep(settle)
    return asyncio.run(read_outputs(cfg, timeout=60))


def where_lost(cfg: Settings, wire_ids: Iterable[str]) -> str:
    """How far the lost wires got: on which intermediate topics they are (committed)."""
    lost = set(wire_ids)
    if not lost:
        return ""
    try:
        seen = asyncio.run(read_outputs(cfg, STAGE_TOPICS, timeout=60))
    except (TimeoutError, LookupError, OSError) as exc:
        return f"(could not read the stage topics: {exc!r})"
    found = ", ".join(
        f"{topic} {len({r.wire_id for r in seen.on(topic)} & lost)}" for topic in STAGE_TOPICS
    )
    return f"the {len(lost)} lost wires are on: {found}"


def raw_copies(cfg: Settings) -> int:
    """Records on ``wires.raw`` beyond the first per wire id.

    The feeder retries a send that failed (a broker away); if the first try
    was written after all, the wire is on ``wires.raw`` twice, which is a
    resend, not a pipeline fault. Reported beside the check, never hidden.
    """
    raw = asyncio.run(read_outputs(cfg, (RAW.name,), timeout=60))
    counts = Counter(r.wire_id for r in raw.records)
    return sum(n - 1 for n in counts.values())
