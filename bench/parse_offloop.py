"""How long a large XML wire holds the event loop: parsed inline versus in the process pool.

    .venv/bin/python bench/parse_offloop.py [--mb 4.5] [--wires 4]

Builds a NewsML-G2 wire of about ``--mb`` megabytes (an invented story, many
paragraphs), then parses ``--wires`` copies of it twice while a ticker on the
event loop wakes every 10 ms and records how late it woke:

- inline: ``pipeline.parse`` called on the loop, as the parse agent used to;
- pool: ``StagePool.parse`` with the whole batch, as the parse agent does now.

Prints the parse time per wire and the longest and total ticker delay of each
run; the longest delay is how long every agent of a worker would have stalled.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable
from datetime import UTC, datetime

from schemas import RawWire
from streams import pipeline
from streams.ingest import wire_id
from streams.pool import StagePool
from streams.settings import Settings

PARAGRAPH = (
    "<p>The harbour authority said on Tuesday that the new ferry terminal would open "
    "in the spring, after engineers finished testing the floating pontoons and the "
    "ticket hall, and that services to the outer islands would run every forty minutes "
    "during the summer season, paragraph {n}.</p>\n"
)
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:bench.test:ferry-{k}"
    version="1" standard="NewsML-G2" standardversion="2.33">
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:BENCH"><name>Bench Agency</name></provider>
    <versionCreated>2026-03-01T10:15:00Z</versionCreated>
    <pubStatus qcode="stat:usable"/>
  </itemMeta>
  <contentMeta><headline>Harbour ferry terminal to open in spring</headline></contentMeta>
  <contentSet>
    <inlineXML contenttype="application/nitf+xml">
      <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.content>
"""
TAIL = """      </body.content></body></nitf>
    </inlineXML>
  </contentSet>
</newsItem>
"""


def large_wire(megabytes: float, k: int) -> RawWire:
    paragraphs: list[str] = []
    size = 0
    n = 0
    while size < megabytes * 1024 * 1024:
        text = PARAGRAPH.format(n=n)
        paragraphs.append(text)
        size += len(text)
        n += 1
    content = (HEAD.format(k=k) + "".join(paragraphs) + TAIL).encode()
    return RawWire(
        wire_id=wire_id(content),
        content=content,
        source="file",
        format_hint="newsml-g2",
        received_at=datetime.now(UTC),
    )


async def ticker(delays: list[float], stop: asyncio.Event, period: float = 0.01) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        before = loop.time()
        await asyncio.sleep(period)
        delays.append(max(0.0, loop.time() - before - period))


async def measure(name: str, work: Awaitable[object]) -> None:
    delays: list[float] = []
    stop = asyncio.Event()
    tick = asyncio.create_task(ticker(delays, stop))
    started = time.perf_counter()
    await work
    elapsed = time.perf_counter() - started
    stop.set()
    await tick
    print(
        f"{name:<7} {elapsed:6.2f} s for the batch; loop stalled at most "
        f"{max(delays, default=0) * 1000:7.1f} ms, {sum(delays):5.2f} s in all"
    )


async def main(megabytes: float, count: int) -> None:
    wires = [large_wire(megabytes, k) for k in range(count)]
    print(f"{count} NewsML-G2 wires of {len(wires[0].content) / 1024 / 1024:.2f} MB each")
    started = time.perf_counter()
    articles = pipeline.parse(wires[0])
    print(
        f"one wire parsed in {time.perf_counter() - started:.2f} s "
        f"({len(articles[0].body)} paragraphs)"
    )

    async def inline() -> None:
        for raw in wires:
            pipeline.parse(raw)
            await asyncio.sleep(0)

    pool = StagePool(models=Settings().nlp_models, ner=Settings().nlp_ner, processes=1)
    try:
        await pool.start()  # the worker process and its model are up before measuring
        await measure("inline", inline())
        await measure("pool", pool.parse(wires))
    finally:
        pool.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.5, help="Size of each wire in MB.")
    parser.add_argument("--wires", type=int, default=4, help="How many wires in the batch.")
    args = parser.parse_args()
    asyncio.run(main(args.mb, args.wires))
