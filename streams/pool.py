"""The process pool that runs every CPU-bound stage, so the event loop never does.

Parsing, entity extraction, tagging and story fingerprints all run here.

The agents hand it whole batches (from ``stream.take_events``); each worker
process loads the model once, in its initializer. Workers are started with
``spawn`` so they do not inherit the asyncio loop or Kafka sockets of the
Faust worker.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import pickle
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from schemas import Article, Entity, RawWire
from streams import pipeline
from streams.cluster.minhash import Fingerprint, fingerprint
from streams.errors import CODE_UNEXPECTED, WirestreamError
from streams.nlp import EntityInput, extract_entities, load_model, model_tag

_NLP: Any = None


def _init_worker(models: tuple[str, ...], ner: str) -> None:
    global _NLP
    _NLP = load_model(models, ner=ner)


def _worker_model_tag() -> str:
    return model_tag(_NLP)


def _worker_entities(batch: list[EntityInput]) -> list[list[Entity]]:
    return extract_entities(_NLP, batch)


def _worker_topics(batch: list[pipeline.TopicsInput]) -> list[pipeline.TopicsResult]:
    return [pipeline.tag(item) for item in batch]


def _worker_fingerprints(batch: list[tuple[str, str]]) -> list[Fingerprint]:
    return [fingerprint(headline=h, body=b) for h, b in batch]


def _portable(exc: Exception) -> BaseException:
    # Results go back to the agent pickled; one exception that does not
    # survive that would fail the whole batch, so it travels as a
    # WirestreamError with the same text instead.
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return WirestreamError(f"{type(exc).__name__}: {exc}", code=CODE_UNEXPECTED)
    return exc


def _worker_parse(batch: list[RawWire]) -> list[list[Article] | BaseException]:
    results: list[list[Article] | BaseException] = []
    for raw in batch:
        try:
            results.append(pipeline.parse(raw))
        except Exception as exc:  # one bad wire must not take its batch down
            results.append(_portable(exc))
    return results


class StagePool:
    """Runs the CPU-bound stages (parse, entities, tagging, fingerprints) in worker processes."""

    def __init__(self, *, models: Sequence[str], ner: str, processes: int = 1) -> None:
        self._models = tuple(models)
        self._ner = ner
        self._processes = processes
        self._executor: ProcessPoolExecutor | None = None
        self._model_tag: str | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self._processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(self._models, self._ner),
            )
        return self._executor

    async def _run(self, fn: Any, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool(), fn, *args)
        except BrokenProcessPool:
            # A worker died (killed, out of memory). Start a fresh pool so the
            # next batch has somewhere to run, and let the caller isolate the
            # article that did it.
            self.close()
            raise

    async def start(self) -> str:
        """Start the workers and load the model; returns the model tag."""
        if self._model_tag is None:
            self._model_tag = await self._run(_worker_model_tag)
        return self._model_tag

    async def entities(self, batch: Sequence[EntityInput]) -> list[list[Entity]]:
        result: list[list[Entity]] = await self._run(_worker_entities, list(batch))
        return result

    async def topics(self, batch: Sequence[pipeline.TopicsInput]) -> list[pipeline.TopicsResult]:
        result: list[pipeline.TopicsResult] = await self._run(_worker_topics, list(batch))
        return result

    async def fingerprints(self, batch: Sequence[tuple[str, str]]) -> list[Fingerprint]:
        """MinHash fingerprints of (headline, body) pairs, for story clustering."""
        result: list[Fingerprint] = await self._run(_worker_fingerprints, list(batch))
        return result

    async def parse(self, batch: Sequence[RawWire]) -> list[list[Article] | BaseException]:
        """Parse wires off the event loop: per wire, its articles or the error it raised.

        A large XML wire takes about a second to parse; in here it does not
        stall the agents. A worker process that dies mid-batch raises
        ``BrokenProcessPool`` for the whole batch, as the other stages do.
        """
        result: list[list[Article] | BaseException] = await self._run(_worker_parse, list(batch))
        return result

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
