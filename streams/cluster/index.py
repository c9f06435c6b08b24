"""The story-cluster index: which earlier story (if any) a new article repeats.

:class:`ClusterIndex` keeps one entry per story in a string-to-string mapping
(``store``): in the worker that is a Faust table, whose changelog restores it
after a restart; in tests and offline runs a dict. The LSH band buckets are
derived from the entries and rebuilt from the store whenever it does not match
what the index holds (first use, or after a restore), so the table stays one
small record per story.

Rules, all deterministic for a given order of arrival:

* the same ``story_id`` always gets the cluster it got first (every version of
  a story is one cluster); its entry is refreshed with the newest version;
* otherwise the stories sharing an LSH band whose article time is within
  ``window`` are judged on their full signatures (:func:`minhash.similar`);
  of those that match, the earliest (time, then story id) gives its cluster;
* no match founds a new cluster, whose id is derived from the founding story id
  (``cl-`` + 16 hex of its SHA-256), so a replay founds the same ids.

Memory is bounded: entries older than ``window`` before the newest article
time are evicted, and beyond ``max_stories`` the oldest go first.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from streams.cluster import minhash
from streams.cluster.minhash import Fingerprint

#: Estimated Jaccard similarity of word sets from which two articles are one story.
MIN_JACCARD = 0.28
#: Or: this share of the shorter article's words found in the longer one (a short
#: flash against the full story) ...
MIN_CONTAINMENT = 0.6
#: ... when the shorter one has at least this many distinct content words, and the
#: estimated Jaccard is at least this (a take that is a fifth of the full story's words
#: and wholly in it has 0.2). Without the floor, a short story matched long digests,
#: press reviews and transcripts of the same days: on 3,824 articles of nine outlets
#: (bench/cluster_external.py), 215 of 423 matches came by containment, most of those
#: under a Jaccard of 0.15 were different stories. The floor was chosen among 0, 0.10,
#: 0.15 and 0.20 on one half of our 55 labelled pairs (28, 4 negatives) and scored on the
#: other half (27, 4 negatives): precision 0.913, recall 0.913 there
#: (`bench/cluster_external.py --choose-floor 0,0.1,0.15,0.2`). Few pairs: a direction.
MIN_CONTAINMENT_JACCARD = 0.15
MIN_WORDS = 8
DEFAULT_WINDOW = timedelta(hours=48)
DEFAULT_MAX_STORIES = 5000


def cluster_id_for(story_id: str) -> str:
    """The id of the cluster that ``story_id`` founds."""
    return "cl-" + hashlib.sha256(story_id.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Entry:
    """What the index stores per story (one table record)."""

    story_id: str
    cluster_id: str
    at: float  # article time, POSIX seconds
    fingerprint: Fingerprint

    def to_json(self) -> str:
        return json.dumps(
            {
                "story_id": self.story_id,
                "cluster_id": self.cluster_id,
                "at": self.at,
                "size": self.fingerprint.size,
                "signature": minhash.encode(self.fingerprint.signature),
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Entry:
        data = json.loads(text)
        return cls(
            story_id=str(data["story_id"]),
            cluster_id=str(data["cluster_id"]),
            at=float(data["at"]),
            fingerprint=Fingerprint(minhash.decode(str(data["signature"])), int(data["size"])),
        )


@dataclass(frozen=True, slots=True)
class Assignment:
    """The cluster an article was put in, and why."""

    cluster_id: str
    #: The story it matched (None: same story seen before, or a new cluster).
    matched: str | None
    similarity: float
    founded: bool


class ClusterIndex:
    """Windowed MinHash/LSH index of recent stories backed by a string mapping."""

    def __init__(
        self,
        store: MutableMapping[str, str] | None = None,
        *,
        window: timedelta = DEFAULT_WINDOW,
        max_stories: int = DEFAULT_MAX_STORIES,
        min_jaccard: float = MIN_JACCARD,
        min_containment: float = MIN_CONTAINMENT,
        min_containment_jaccard: float = MIN_CONTAINMENT_JACCARD,
        min_words: int = MIN_WORDS,
    ) -> None:
        if max_stories < 1:
            raise ValueError("max_stories must be at least 1")
        self.store: MutableMapping[str, str] = {} if store is None else store
        self.window = window.total_seconds()
        self.max_stories = max_stories
        self.min_jaccard = min_jaccard
        self.min_containment = min_containment
        self.min_containment_jaccard = min_containment_jaccard
        self.min_words = min_words
        self._entries: dict[str, Entry] = {}
        self._bands: dict[bytes, list[str]] = {}
        self._band_keys: dict[str, list[bytes]] = {}
        # (time, story id) of every entry; stale pairs are skipped when popped.
        self._ages: list[tuple[float, str]] = []
        self._newest = float("-inf")

    def __len__(self) -> int:
        return len(self._entries)

    # --- derived state ---------------------------------------------------

    def _index(self, entry: Entry, keys: list[bytes] | None = None) -> None:
        self._entries[entry.story_id] = entry
        if keys is None:
            keys = minhash.index_keys(entry.fingerprint.signature)
        self._band_keys[entry.story_id] = keys
        for key in keys:
            self._bands.setdefault(key, []).append(entry.story_id)
        heapq.heappush(self._ages, (entry.at, entry.story_id))
        self._newest = max(self._newest, entry.at)

    def _unindex(self, story_id: str) -> Entry | None:
        entry = self._entries.pop(story_id, None)
        for key in self._band_keys.pop(story_id, ()):
            members = self._bands.get(key)
            if members is None:
                continue
            members.remove(story_id)
            if not members:
                del self._bands[key]
        return entry

    def rebuild(self) -> None:
        """Re-derive the buckets from the store (after a restore or a rebalance)."""
        self._entries.clear()
        self._bands.clear()
        self._band_keys.clear()
        self._ages.clear()
        self._newest = float("-inf")
        unreadable: list[str] = []
        for key in sorted(self.store):
            try:
                entry = Entry.from_json(self.store[key])
            except (KeyError, TypeError, ValueError):
                unreadable.append(key)
                continue
            self._index(entry)
        # An entry that cannot be read (a format from another release) is
        # forgotten: its story merely loses the chance of a match.
        for key in unreadable:
            del self.store[key]

    def _in_sync(self) -> bool:
        return len(self.store) == len(self._entries)

    # --- the rules ------------------------------------------------------

    def _evict(self) -> None:
        horizon = self._newest - self.window
        while self._ages:
            at, story_id = self._ages[0]
            entry = self._entries.get(story_id)
            if entry is None or entry.at != at:
                heapq.heappop(self._ages)  # stale: evicted or refreshed since
                continue
            if at >= horizon and len(self._entries) <= self.max_stories:
                break
            heapq.heappop(self._ages)
            self._unindex(story_id)
            self.store.pop(story_id, None)

    def _candidates(self, keys: list[bytes]) -> set[str]:
        found: set[str] = set()
        for key in keys:
            found.update(self._bands.get(key, ()))
        return found

    def assign(self, *, story_id: str, fingerprint: Fingerprint, at: datetime) -> Assignment:
        """Put an article in a cluster and remember it; returns the cluster and the evidence."""
        if not self._in_sync():
            self.rebuild()
        when = at.timestamp()
        keys = minhash.index_keys(fingerprint.signature)  # once: candidates and index
        known = self._entries.get(story_id)
        if known is not None:
            assignment = Assignment(known.cluster_id, None, 1.0, founded=False)
            self._unindex(story_id)
            entry = Entry(story_id, known.cluster_id, max(when, known.at), fingerprint)
        else:
            matches: list[tuple[float, str, float]] = []
            for other_id in self._candidates(keys):
                other = self._entries[other_id]
                if abs(other.at - when) > self.window:
                    continue
                same, similarity = minhash.similar(
                    fingerprint,
                    other.fingerprint,
                    min_jaccard=self.min_jaccard,
                    min_containment=self.min_containment,
                    min_containment_jaccard=self.min_containment_jaccard,
                    min_size=self.min_words,
                )
                if same:
                    matches.append((other.at, other_id, similarity))
            if matches:
                _, first_id, similarity = min(matches)
                cluster_id = self._entries[first_id].cluster_id
                assignment = Assignment(cluster_id, first_id, similarity, founded=False)
            else:
                cluster_id = cluster_id_for(story_id)
                assignment = Assignment(cluster_id, None, 0.0, founded=True)
            entry = Entry(story_id, cluster_id, when, fingerprint)
        self._index(entry, keys)
        self.store[story_id] = entry.to_json()
        self._evict()
        return assignment
