"""``/metrics``, ``/healthz`` and ``/readyz`` on the worker's web server.

``/healthz`` answers 200 while the process serves HTTP at all (liveness).
``/readyz`` answers 200 only when the worker holds partitions (no rebalance
in progress), its tables are recovered and its NLP pool has loaded the
model; otherwise 503 with what it is waiting for. A worker of a group with
more workers than partitions never becomes ready, which is right: it would
process nothing.

Faust keeps consumer offsets and table recovery state in attributes it does
not document; they are read here, defensively, and nowhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from streams.observe import metrics
from streams.observe.health import Readiness

log = logging.getLogger(__name__)

METRICS_PATH = "/metrics"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"


class WorkerProbe:
    """Reads what the probes and gauges need from a running Faust app."""

    def __init__(
        self,
        app: Any,
        *,
        tables: Callable[[], Iterable[tuple[str, int]]] | None = None,
        tables_ready: Callable[[], bool] | None = None,
    ) -> None:
        self._app = app
        self._tables = tables
        self._tables_ready = tables_ready
        self.pool_warm = False

    def _assignment(self) -> set[Any]:
        try:
            return set(self._app.consumer.assignment())
        except Exception:  # the consumer is not started yet
            return set()

    def _changelogs(self) -> set[str]:
        return {str(table.changelog_topic_name) for table in self._app.tables.values()}

    def readiness(self) -> Readiness:
        app = self._app
        assigned = bool(self._assignment()) and not app.rebalancing
        if self._tables_ready is not None:
            return Readiness(
                assigned=assigned, tables_recovered=self._tables_ready(), pool_warm=self.pool_warm
            )
        try:
            recovery = app.tables.recovery
            recovered = recovery.completed.is_set() and not recovery.in_recovery
        except AttributeError:
            recovered = False
        return Readiness(assigned=assigned, tables_recovered=recovered, pool_warm=self.pool_warm)

    def lag(self) -> Iterator[tuple[str, int, int]]:
        """(topic, partition, lag) of each assigned stream partition; changelogs left out."""
        consumer = self._app.consumer
        changelogs = self._changelogs()
        read_offsets = getattr(consumer, "_read_offset", {})
        committed = getattr(consumer, "_committed_offset", {})
        for tp in sorted(self._assignment()):
            if tp.topic in changelogs:
                continue
            try:
                end = consumer.highwater(tp)
            except Exception:
                continue
            if end is None:
                continue
            # Faust's read offset is the last record read (after a seek: the
            # next to read, so a fresh seek under-reports by one until a read);
            # unset, nothing was read since the assignment and the committed
            # offset says where consumption stands.
            last_read = read_offsets.get(tp)
            consumed = last_read + 1 if last_read is not None else committed.get(tp) or 0
            yield tp.topic, tp.partition, max(0, int(end) - int(consumed))

    def table_sizes(self) -> Iterator[tuple[str, int]]:
        if self._tables is not None:
            yield from self._tables()
            return
        for name, table in sorted(self._app.tables.items()):
            yield str(name), len(table.data)


def register_observability(
    app: Any,
    *,
    pool: Any,
    tables: Callable[[], Iterable[tuple[str, int]]] | None = None,
    tables_ready: Callable[[], bool] | None = None,
) -> WorkerProbe:
    """Add the three routes to ``app``'s web server and start watching lag and tables.

    ``pool`` is the stage pool; a task started with the app warms it so that
    /readyz can tell when the model is loaded.
    """
    from faust.web import View  # late: the module stays importable without a web stack

    probe = WorkerProbe(app, tables=tables, tables_ready=tables_ready)
    metrics.watch_lag(probe.lag)
    metrics.watch_tables(probe.table_sizes)

    async def warm_pool() -> None:
        try:
            await pool.start()
        except Exception:
            log.exception("the NLP pool did not start; /readyz stays 503")
            return
        probe.pool_warm = True
        log.info("NLP pool warm: /readyz may now answer ready")

    app.task(warm_pool)

    class Metrics(View):
        async def get(self, request: Any) -> Any:
            # As a header: aiohttp refuses a charset in its content_type argument.
            return self.bytes(metrics.exposition(), headers={"Content-Type": metrics.CONTENT_TYPE})

    class Health(View):
        async def get(self, request: Any) -> Any:
            return self.json({"alive": True})

    class Ready(View):
        async def get(self, request: Any) -> Any:
            state = probe.readiness()
            return self.json(state.as_json(), status=200 if state.ready else 503)

    app.page(METRICS_PATH, name="metrics")(Metrics)
    app.page(HEALTH_PATH, name="healthz")(Health)
    app.page(READY_PATH, name="readyz")(Ready)
    return probe
