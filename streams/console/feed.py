"""What the console holds in memory and how it pushes it to open pages.

:class:`StoryBuffer` keeps the latest released stories (bounded, oldest
first out), the raw wires they came from and the latest alerts; :class:`Hub`
fans events out to every open page's event stream. Both are plain objects the
Kafka readers (:mod:`streams.console.readers`) fill and the web views read,
so tests fill them by hand.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from schemas import Alert, EnrichedArticle, RawWire


class StoryBuffer:
    """The latest released stories by article id, in arrival order, at most ``size``."""

    def __init__(self, size: int, *, alerts: int = 500) -> None:
        self.size = size
        self._stories: OrderedDict[str, EnrichedArticle] = OrderedDict()
        self._raw: OrderedDict[str, RawWire] = OrderedDict()
        self._alerts: deque[Alert] = deque(maxlen=alerts)

    def __len__(self) -> int:
        return len(self._stories)

    def add(self, record: EnrichedArticle) -> None:
        """Add a released story; a re-release of the same article moves it to the front."""
        key = record.article.article_id
        self._stories.pop(key, None)
        self._stories[key] = record
        while len(self._stories) > self.size:
            self._stories.popitem(last=False)

    def add_raw(self, wire: RawWire) -> None:
        self._raw.pop(wire.wire_id, None)
        self._raw[wire.wire_id] = wire
        # Raw wires come before their stories, and some never become one
        # (dead letters, kills); twice the stories is room enough for both.
        while len(self._raw) > 2 * self.size:
            self._raw.popitem(last=False)

    def kill(self, story_id: str) -> list[str]:
        """Forget every version of a killed story; the article ids dropped."""
        gone = [k for k, r in self._stories.items() if r.article.story_id == story_id]
        for key in gone:
            del self._stories[key]
        return gone

    def add_alert(self, alert: Alert) -> None:
        self._alerts.append(alert)

    def newest(self, limit: int | None = None) -> list[EnrichedArticle]:
        out = list(reversed(self._stories.values()))
        return out if limit is None else out[:limit]

    def __iter__(self) -> Iterator[EnrichedArticle]:
        return iter(list(self._stories.values()))

    def get(self, article_id: str) -> EnrichedArticle | None:
        return self._stories.get(article_id)

    def raw(self, wire_id: str) -> RawWire | None:
        return self._raw.get(wire_id)

    def cluster(self, cluster_id: str) -> list[EnrichedArticle]:
        """Every story of a cluster, newest first."""
        return [r for r in self.newest() if (r.cluster_id or r.article.story_id) == cluster_id]

    def alerts(self, subscription_id: str | None = None) -> list[Alert]:
        """The latest alerts, newest first (of one subscription when given)."""
        return [
            a
            for a in reversed(self._alerts)
            if subscription_id is None or a.subscription_id == subscription_id
        ]


@dataclass(frozen=True)
class Event:
    """One server-sent event: its type and its JSON data."""

    name: str
    data: dict[str, Any]

    def encode(self) -> bytes:
        # JSON has no raw line breaks, so the data is always one 'data:' line.
        payload = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))
        return f"event: {self.name}\ndata: {payload}\n\n".encode()


#: Put on a listener's queue when it fell too far behind: its page reloads the state.
OVERFLOW = Event("overflow", {})
#: Put on every listener's queue when the worker stops: the stream ends and the page reconnects.
CLOSING = Event("closing", {})


class Hub:
    """Fans events out to listeners, each an asyncio queue of its own.

    A listener that falls ``backlog`` events behind (a page left open on a
    stalled connection) is dropped with :data:`OVERFLOW` rather than letting
    its queue grow without bound.
    """

    def __init__(self, backlog: int = 1000) -> None:
        self.backlog = backlog
        self._listeners: set[asyncio.Queue[Event]] = set()

    def __len__(self) -> int:
        return len(self._listeners)

    def listen(self) -> asyncio.Queue[Event]:
        # Room for the backlog plus OVERFLOW or CLOSING.
        queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=self.backlog + 2)
        self._listeners.add(queue)
        return queue

    def leave(self, queue: asyncio.Queue[Event]) -> None:
        self._listeners.discard(queue)

    def close(self) -> None:
        """End every open stream (a stopping web server waits for open requests)."""
        for queue in list(self._listeners):
            queue.put_nowait(CLOSING)
        self._listeners.clear()

    def publish(self, event: Event) -> None:
        for queue in list(self._listeners):
            if queue.qsize() >= self.backlog:
                self._listeners.discard(queue)
                queue.put_nowait(OVERFLOW)
            else:
                queue.put_nowait(event)
