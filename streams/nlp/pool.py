"""A process pool for the CPU-bound stages, so the event loop never runs NLP.

The agents hand it whole batches (from ``stream.take_events``); each worker
process loads the model once, in its initializer. Workers are started with
``spawn`` so they do not inherit the asyncio loop or Kafka sockets of the
Faust worker.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from schemas import Entity, TopicTag
from streams.classify import classify
from streams.nlp.entities import EntityInput, extract_entities
from streams.nlp.model import load_model, model_tag

_NLP: Any = None


def _init_worker(models: tuple[str, ...]) -> None:
    global _NLP
    _NLP = load_model(models)


def _worker_model_tag() -> str:
    return model_tag(_NLP)


def _worker_entities(batch: list[EntityInput]) -> list[list[Entity]]:
    return extract_entities(_NLP, batch)


def _worker_topics(batch: list[tuple[str, str]]) -> list[list[TopicTag]]:
    return [classify(headline=h, body=b) for h, b in batch]


class NlpPool:
    """Runs entity extraction and topic tagging in worker processes."""

    def __init__(self, *, models: Sequence[str], processes: int = 1) -> None:
        self._models = tuple(models)
        self._processes = processes
        self._executor: ProcessPoolExecutor | None = None
        self._model_tag: str | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self._processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(self._models,),
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

    async def topics(self, batch: Sequence[tuple[str, str]]) -> list[list[TopicTag]]:
        result: list[list[TopicTag]] = await self._run(_worker_topics, list(batch))
        return result

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
