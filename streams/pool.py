"""The process pools that run every CPU-bound stage, so the event loop never does.

Two pools, so that short work never queues behind a batch of routine NER:

- the **NER pool** (``nlp_processes`` processes) runs routine entity
  extraction only: the bulk of the pipeline's CPU;
- the **light pool** (one process) runs parsing, topic tagging, story
  fingerprints and the whole entity stage (NER and tags) of urgent articles,
  each a few milliseconds an article. It takes one call at a time, urgent
  calls (urgent articles, fingerprints) before routine ones (parse, tags),
  and routine ones in short slices, so a flash's work waits at most for one
  slice (a few tens of ms), never for a routine NER batch or a queue of
  routine calls.

Both load the model once per process, in their initializer (the light one
needs it for urgent NER). The agents hand them whole batches. Workers are
started with ``spawn`` so they do not inherit the asyncio loop or Kafka
sockets of the Faust worker.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
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
from streams.nlp import EntityInput, entity_input, extract_entities, load_model, model_tag

_NLP: Any = None


#: Run once by every worker process as it starts: the first call of the models
#: (and of the topic classifier) allocates and loads lazily, several times a
#: later call's cost, which must not fall on the first flash.
_WARM_UP = pipeline.TopicsInput(
    "Central bank holds rates in London",
    ("LONDON, March 3 (Reuters) - The Bank of England held rates on Monday, Mark Carney said.",),
    "en",
)


def _init_worker(models: tuple[str, ...], ner: str) -> None:
    global _NLP
    _NLP = load_model(models, ner=ner)
    try:
        extract_entities(
            _NLP,
            [entity_input(headline=_WARM_UP.headline, paragraphs=_WARM_UP.paragraphs)],
        )
        pipeline.tag(_WARM_UP)
        fingerprint(headline=_WARM_UP.headline, body=_WARM_UP.body)
    except Exception:  # a warm-up only: the real calls report their own errors
        pass


def _worker_model_tag() -> str:
    return model_tag(_NLP)


def _worker_entities(batch: list[EntityInput]) -> list[list[Entity]]:
    return extract_entities(_NLP, batch)


def _worker_topics(batch: list[pipeline.TopicsInput]) -> list[pipeline.TopicsResult]:
    return [pipeline.tag(item) for item in batch]


def _worker_enrich(
    batch: list[tuple[EntityInput, pipeline.TopicsInput]],
) -> list[tuple[list[Entity], pipeline.TopicsResult]]:
    entities = extract_entities(_NLP, [e for e, _ in batch])
    return [(ents, pipeline.tag(t)) for ents, (_, t) in zip(entities, batch, strict=True)]


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


class PriorityGate:
    """One holder at a time; waiters marked ``first`` go before the others, each kind in order."""

    def __init__(self) -> None:
        self._held = False
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    @property
    def waiting(self) -> int:
        return sum(1 for _, _, f in self._waiting if not f.done())

    async def acquire(self, *, first: bool) -> None:
        if not self._held and not self.waiting:
            self._held = True
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (0 if first else 1, next(self._order), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # handed the gate as the wait was cancelled: pass it on
            raise

    def release(self) -> None:
        while self._waiting:
            _, _, future = heapq.heappop(self._waiting)
            if not future.done():
                future.set_result(None)  # the gate goes straight to this waiter
                return
        self._held = False


#: Routine calls in the light pool go in slices this long (articles), so an
#: urgent call waits at most for one slice: parse about 5 ms an article, tags 12.
PARSE_SLICE = 8
TAGS_SLICE = 4

#: What the entity stage gets for an article: its entities and its tags.
Enriched = tuple[list[Entity], pipeline.TopicsResult]


class StagePool:
    """The CPU-bound stages in worker processes: routine NER in one pool, the rest in another."""

    def __init__(self, *, models: Sequence[str], ner: str, processes: int = 1) -> None:
        self._models = tuple(models)
        self._ner = ner
        self._processes = processes
        self._executors: dict[bool, ProcessPoolExecutor] = {}
        self._model_tag: str | None = None
        self._gate = PriorityGate()

    def _pool(self, light: bool) -> ProcessPoolExecutor:
        executor = self._executors.get(light)
        if executor is None:
            executor = self._executors[light] = ProcessPoolExecutor(
                max_workers=1 if light else self._processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(self._models, self._ner),
            )
        return executor

    async def _run(self, fn: Any, *args: Any, light: bool) -> Any:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool(light), fn, *args)
        except BrokenProcessPool:
            # A worker died (killed, out of memory). Start a fresh pool so the
            # next batch has somewhere to run, and let the caller isolate the
            # article that did it.
            self._close(light)
            raise

    async def _light(self, fn: Any, *args: Any, urgent: bool) -> Any:
        """A call in the light pool, once the calls ahead of it are done (urgent ones go first)."""
        await self._gate.acquire(first=urgent)
        try:
            return await self._run(fn, *args, light=True)
        finally:
            self._gate.release()

    async def _light_slices(self, fn: Any, batch: Sequence[Any], size: int) -> list[Any]:
        """A routine call in the light pool, in slices of ``size``: urgent calls go in between."""
        out: list[Any] = []
        for start in range(0, len(batch), size):
            out.extend(await self._light(fn, list(batch[start : start + size]), urgent=False))
        return out

    async def start(self) -> str:
        """Start both pools' workers and load the model; returns the model tag."""
        if self._model_tag is None:
            tags = await asyncio.gather(
                self._run(_worker_model_tag, light=False),
                self._light(_worker_model_tag, urgent=True),
            )
            self._model_tag = str(tags[0])
        return self._model_tag

    async def entities(self, batch: Sequence[EntityInput]) -> list[list[Entity]]:
        """Routine NER, in the NER pool."""
        result: list[list[Entity]] = await self._run(_worker_entities, list(batch), light=False)
        return result

    async def enrich(
        self, batch: Sequence[tuple[EntityInput, pipeline.TopicsInput]], *, urgent: bool = False
    ) -> list[Enriched]:
        """Entities and tags of each article: the entity stage's work.

        Routine: NER in the NER pool while the light pool tags. Urgent: both in
        the light pool, which no routine NER batch holds up.
        """
        if urgent:
            done: list[Enriched] = await self._light(_worker_enrich, list(batch), urgent=True)
            return done
        entities, tags = await asyncio.gather(
            self.entities([e for e, _ in batch]), self.topics([t for _, t in batch])
        )
        return list(zip(entities, tags, strict=True))

    async def topics(self, batch: Sequence[pipeline.TopicsInput]) -> list[pipeline.TopicsResult]:
        result: list[pipeline.TopicsResult] = await self._light_slices(
            _worker_topics, batch, TAGS_SLICE
        )
        return result

    async def fingerprints(self, batch: Sequence[tuple[str, str]]) -> list[Fingerprint]:
        """MinHash fingerprints of (headline, body) pairs, for story clustering.

        Urgent in the light pool: about a millisecond an article, and every
        article (a flash too) passes the one clusters agent.
        """
        result: list[Fingerprint] = await self._light(
            _worker_fingerprints, list(batch), urgent=True
        )
        return result

    async def parse(
        self, batch: Sequence[RawWire], *, urgent: bool = False
    ) -> list[list[Article] | BaseException]:
        """Parse wires off the event loop: per wire, its articles or the error it raised.

        ``urgent``: the parse stage looking for a flash in a backlog (a few
        wires), ahead of routine calls.

        A large XML wire takes about a second to parse; in here it does not
        stall the agents. A worker process that dies mid-batch raises
        ``BrokenProcessPool`` for the whole batch, as the other stages do.
        """
        result: list[list[Article] | BaseException]
        if urgent:
            result = await self._light(_worker_parse, list(batch), urgent=True)
        else:
            result = await self._light_slices(_worker_parse, batch, PARSE_SLICE)
        return result

    def _close(self, light: bool) -> None:
        executor = self._executors.pop(light, None)
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._close(False)
        self._close(True)
