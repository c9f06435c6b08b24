"""The percolator: subscriptions indexed by the terms they require.

Each query is reduced to an *anchor*: a set of index keys of which every
article the query matches has at least one (:func:`anchor`). A term's anchor
is its own keys; an AND needs only one of its parts, so it takes the
cheapest; an OR needs all of its parts' anchors together; a NOT gives none.
A query with no anchor (``NOT source:kcna``, ``urgency<=2 OR NOT
version:update``) goes on the always-check list.

Matching an article looks up each of its keys (its words, entity names and
QIDs, topics and their broader topics, facts) in the index, and evaluates
only the subscriptions found there plus the always-check list. A query with
an empty anchor (``urgency<1``) can never match and is never checked.

Which part of an AND anchors a query is a guess about how common its keys
are: the default costs rank a word or an entity far below a language or an
entity type. Pass ``key_cost`` (e.g. document frequencies measured on a
sample of articles) to choose better.
"""

from __future__ import annotations

from collections.abc import Callable

from streams.alerts.document import Document
from streams.alerts.query import And, Node, Not, Or, Query, Term

#: Rough share of articles that carry a key of each kind: cheap keys anchor best.
DEFAULT_COSTS: dict[str, float] = {
    "w": 0.02,  # a word (the longest word of a phrase)
    "e": 0.01,  # an entity name
    "q": 0.01,  # an entity QID
    "g": 0.02,  # a GeoNames id
    "tp": 0.15,  # an IPTC topic
    "c": 0.3,  # a country
    "s": 0.3,  # a source agency
    "u": 0.2,  # one urgency value
    "t": 0.8,  # an entity type
    "k": 0.8,  # an entity kind
    "l": 0.9,  # a language
    "v": 0.6,  # a version kind
}


def default_cost(key: str) -> float:
    return DEFAULT_COSTS.get(key.split(":", 1)[0], 1.0)


def anchor(node: Node, cost: Callable[[str], float] = default_cost) -> frozenset[str] | None:
    """Index keys of which every matching article has one; None when there are none."""
    if isinstance(node, Term):
        return node.keys()
    if isinstance(node, Not):
        return None
    if isinstance(node, And):
        options = [a for a in (anchor(item, cost) for item in node.items) if a is not None]
        if not options:
            return None
        return min(options, key=lambda keys: (sum(cost(k) for k in keys), sorted(keys)))
    if isinstance(node, Or):
        union: set[str] = set()
        for item in node.items:
            part = anchor(item, cost)
            if part is None:
                return None
            union |= part
        return frozenset(union)
    return None


class _Group:
    """Subscriptions with the same query (after normalisation): evaluated once per article."""

    __slots__ = ("anchor", "ids", "query")

    def __init__(self, query: Query, keys: frozenset[str] | None) -> None:
        self.query = query
        self.anchor = keys
        self.ids: set[str] = set()


class Percolator:
    """Subscriptions by id, indexed by their anchors. Not thread-safe; one per worker.

    Subscriptions whose queries read the same (``Node.describe``) share one
    evaluation: popular queries ("entity:Samsung") are common, and they are the
    ones that match most articles.
    """

    def __init__(self, cost: Callable[[str], float] = default_cost) -> None:
        self._cost = cost
        self._queries: dict[str, Query] = {}
        self._group_of: dict[str, str] = {}
        self._groups: dict[str, _Group] = {}
        self._postings: dict[str, set[str]] = {}
        self._always: set[str] = set()

    def __len__(self) -> int:
        return len(self._queries)

    def __contains__(self, subscription_id: object) -> bool:
        return subscription_id in self._queries

    def get(self, subscription_id: str) -> Query | None:
        return self._queries.get(subscription_id)

    def ids(self) -> list[str]:
        return sorted(self._queries)

    def add(self, subscription_id: str, query: Query) -> None:
        """Index a subscription (replacing one with the same id)."""
        self.remove(subscription_id)
        canonical = query.root.describe()
        group = self._groups.get(canonical)
        if group is None:
            keys = anchor(query.root, self._cost)
            group = self._groups[canonical] = _Group(query, keys)
            if keys is None:
                self._always.add(canonical)
            else:
                for key in keys:
                    self._postings.setdefault(key, set()).add(canonical)
        group.ids.add(subscription_id)
        self._queries[subscription_id] = query
        self._group_of[subscription_id] = canonical

    def remove(self, subscription_id: str) -> bool:
        """Drop a subscription; False when it was not there."""
        if subscription_id not in self._queries:
            return False
        del self._queries[subscription_id]
        canonical = self._group_of.pop(subscription_id)
        group = self._groups[canonical]
        group.ids.discard(subscription_id)
        if group.ids:
            return True
        del self._groups[canonical]
        if group.anchor is None:
            self._always.discard(canonical)
        else:
            for key in group.anchor:
                bucket = self._postings.get(key)
                if bucket is not None:
                    bucket.discard(canonical)
                    if not bucket:
                        del self._postings[key]
        return True

    def _candidate_groups(self, doc: Document) -> set[str]:
        out = set(self._always)
        postings = self._postings
        keys = doc.keys
        if len(keys) <= len(postings):
            for key in keys:
                bucket = postings.get(key)
                if bucket:
                    out |= bucket
        else:
            for key, bucket in postings.items():
                if key in keys:
                    out |= bucket
        return out

    def candidates(self, doc: Document) -> set[str]:
        """The subscriptions worth evaluating on ``doc``: a superset of its matches."""
        out: set[str] = set()
        for canonical in self._candidate_groups(doc):
            out |= self._groups[canonical].ids
        return out

    def match(self, doc: Document) -> list[str]:
        """The ids of every subscription whose query matches ``doc``, sorted."""
        out: list[str] = []
        groups = self._groups
        for canonical in self._candidate_groups(doc):
            group = groups[canonical]
            if group.query.root.matches(doc):
                out.extend(group.ids)
        out.sort()
        return out

    def brute_force(self, doc: Document) -> list[str]:
        """Every subscription evaluated on ``doc``, no index: what :meth:`match` must equal."""
        return sorted(sid for sid, q in self._queries.items() if q.root.matches(doc))
