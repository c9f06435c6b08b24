"""Once per story: which subscriptions hear about a story version, and as what kind of alert.

The state is one small entry per story (the alerts agent keeps it in a table
keyed by story id, co-partitioned with ``wires.released``). The rules:

- A subscription gets one ``new`` alert per story: the first version of the
  story that its query matches (whatever version that is).
- A later version (LEAD, ROUNDUP, write-through; a re-sent version too) gives
  an ``update`` alert only to the subscriptions alerted on the story that
  asked for updates, whether or not the new version matches on its own: they
  follow the story they were told about.
- A correction reaches every subscription alerted on the story (``correction``),
  and a kill every one of them (``kill``), asked for updates or not. A
  subscription whose query asks for kills (``version:kill``) gets the kill too.
- An article already handled for the story (a redelivery after a restart)
  alerts nobody again. After a kill nothing more is alerted for the story.
- Subscriptions deleted since they were alerted are skipped.

Entries older than the retention (``WIRESTREAM_ALERTS_STATE_RETENTION_HOURS``)
are dropped (:func:`expired`); a story that comes back after that is new again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from schemas import AlertKind
from streams.alerts.document import Document

#: How many handled article ids a story keeps for recognising redeliveries.
MAX_REMEMBERED_ARTICLES = 32


@dataclass(frozen=True)
class StoryAlerts:
    """What has been alerted for one story."""

    partition: int
    #: subscription id -> alerts sent for the story.
    alerted: dict[str, int]
    articles: tuple[str, ...]
    killed: bool
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "partition": self.partition,
            "alerted": dict(self.alerted),
            "articles": list(self.articles),
            "killed": self.killed,
            "updated_at": self.updated_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoryAlerts:
        return cls(
            partition=int(data["partition"]),
            alerted={str(k): int(v) for k, v in dict(data["alerted"]).items()},
            articles=tuple(str(a) for a in data["articles"]),
            killed=bool(data["killed"]),
            updated_at=datetime.fromisoformat(str(data["updated_at"])),
        )


@dataclass(frozen=True)
class Decision:
    #: (subscription id, kind) of every alert to send, in subscription order.
    alerts: list[tuple[str, AlertKind]]
    #: The story's state after them (unchanged when nothing was alerted or seen).
    state: StoryAlerts


def decide(
    state: StoryAlerts | None,
    doc: Document,
    matched: Collection[str],
    *,
    wants_updates: Mapping[str, bool],
    partition: int,
    now: datetime,
) -> Decision:
    """The alerts for ``doc`` given the subscriptions its query matched (``matched``).

    ``wants_updates`` holds every subscription in force (id -> asked for
    updates); alerted subscriptions missing from it were deleted.
    """
    if state is None:
        state = StoryAlerts(partition, {}, (), False, now)
    if state.killed or doc.article_id in state.articles:
        return Decision([], state)
    alerted = state.alerted
    out: dict[str, AlertKind] = {}
    if doc.kind in ("kill", "correction"):
        for sid in alerted:
            if sid in wants_updates:
                out[sid] = doc.kind
    else:
        for sid in alerted:
            if wants_updates.get(sid):
                out[sid] = "update"
    for sid in matched:
        if sid not in alerted and sid in wants_updates:
            out[sid] = "kill" if doc.kind == "kill" else "new"
    new_alerted = dict(alerted)
    for sid in out:
        new_alerted[sid] = new_alerted.get(sid, 0) + 1
    articles = (*state.articles, doc.article_id)[-MAX_REMEMBERED_ARTICLES:]
    after = replace(
        state,
        alerted=new_alerted,
        articles=articles,
        killed=state.killed or doc.kind == "kill",
        updated_at=now,
    )
    return Decision(sorted(out.items()), after)


def decide_lookback(
    state: StoryAlerts | None,
    *,
    subscription_id: str,
    partition: int,
    now: datetime,
) -> tuple[bool, StoryAlerts]:
    """Whether a look-back alert for the story goes out, and the story's state after it.

    A look-back (``--since``) alert is a ``new`` alert like any other: it goes out
    unless the subscription was already alerted on the story (the live matcher got
    there first) or the story was killed, and once out, later versions give the
    subscription an update, never a second ``new``. The article is not remembered:
    other subscriptions have not seen it.
    """
    if state is None:
        state = StoryAlerts(partition, {}, (), False, now)
    if state.killed or subscription_id in state.alerted:
        return False, state
    return True, replace(state, alerted={**state.alerted, subscription_id: 1}, updated_at=now)


def expired(state: StoryAlerts, now: datetime, retention: timedelta) -> bool:
    """Whether the story's entry is older than the retention and may be dropped."""
    return now - state.updated_at > retention


class RateLimiter:
    """At most N new alerts per subscription per hour, counted by this worker.

    Each worker counts the stories of its own partitions, so with W workers a
    subscription may get up to W x N: a cap against floods, not a quota.
    """

    def __init__(self) -> None:
        self._sent: dict[str, list[datetime]] = {}

    def allow(self, subscription_id: str, limit: int | None, now: datetime) -> bool:
        if limit is None:
            return True
        hour_ago = now - timedelta(hours=1)
        recent = [t for t in self._sent.get(subscription_id, []) if t > hour_ago]
        if len(recent) >= limit:
            self._sent[subscription_id] = recent
            return False
        recent.append(now)
        self._sent[subscription_id] = recent
        return True
