"""The percolator: subscriptions indexed by the terms they require, compiled to set tests.

Every article is reduced once to a set of index keys (:attr:`Document.keys`:
its words, headline words, entity names and QIDs, place names, topics and
their broader topics, facts). Most query terms are *exact*: the term holds
exactly when the article has one of the term's keys (``entity:Samsung``,
``topic:…``, a keyword, ``urgency<=3``, ``country:KR`` …). A phrase, a
minimum relevance or a regional language (``language:en-gb``) are not: they
are evaluated on the document, after a check of the keys they require.

Adding a subscription compiles its query (:func:`plan`): the top-level AND is
split into clauses, each "one of these keys" (an exact term, or an OR of
exact terms), "none of these keys" (NOT of one) or a residual part evaluated
by a compiled closure. The index then files the query

- under each key of its *rarest* clause (level 1), and, when it has a second
  exact clause, under each key of the rarest of those (level 2), so that an
  article reaches only queries of which it already has two clauses;
- with what is left to check as one set test on the article's keys (``{…} <=
  keys``, ``isdisjoint``) or, with residual parts, one closure; a query with
  nothing left to check is *certain* there: its subscriptions are added with
  one set union, never evaluated.

A query with no anchor (``NOT source:kcna``) is checked on every article; one
that can never match (``urgency<1``) is never checked.

How rare a key is comes from :func:`default_cost`: a shipped table of how many
news snippets each word occurs in (``data/term_df.tsv``, built by
:mod:`streams.alerts.build_term_df`), scaled to an article's length, and rough
shares for the other kinds of key. A phrase is anchored on its rarest word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from streams.alerts.document import Document
from streams.alerts.query import (
    And,
    EntityTerm,
    EntityType,
    Fact,
    Node,
    Not,
    Or,
    Place,
    Query,
    Term,
    Text,
    Topic,
    Urgency,
)

KeyTest = Callable[[frozenset[str]], bool]
DocTest = Callable[[Document], bool]

#: Rough share of articles that carry a key of each kind (words come from the table).
DEFAULT_COSTS: dict[str, float] = {
    "q": 0.01,  # an entity QID
    "g": 0.02,  # a GeoNames id
    "tp": 0.1,  # an IPTC topic
    "c": 0.3,  # a country
    "s": 0.3,  # a source agency
    "u": 0.12,  # one urgency value
    "t": 0.8,  # an entity type
    "k": 0.8,  # an entity kind
    "l": 0.9,  # a language
    "v": 0.6,  # a version kind
}

TERM_TABLE = Path(__file__).with_name("data") / "term_df.tsv"
#: Words in a typical wire; the table counts snippets of a headline and a sentence or two.
ARTICLE_WORDS = 400
#: A headline holds about this share of an article's words.
HEADLINE_SHARE = 0.08


@dataclass(frozen=True)
class TermFrequencies:
    """Snippets per word in a sample of news, and what that says about a whole article."""

    counts: dict[str, int]
    snippets: int
    words: int

    @classmethod
    def read(cls, path: Path = TERM_TABLE) -> TermFrequencies:
        counts: dict[str, int] = {}
        meta: dict[str, int] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            word, _, count = line.partition("\t")
            if line.startswith("#"):
                if count:
                    meta[word[1:]] = int(count)
                continue
            counts[word] = int(count)
        return cls(counts, meta.get("snippets", 1), meta.get("words", 1))

    def share(self, word: str) -> float:
        """The estimated share of articles that contain ``word``.

        A word missing from the table (fewer than 3 snippets) counts as found in
        one; an article is taken as ``ARTICLE_WORDS / mean snippet length``
        independent snippets.
        """
        in_snippet = min(self.counts.get(word, 1), self.snippets) / self.snippets
        repeats = ARTICLE_WORDS * self.snippets / max(1, self.words)
        return 1.0 - (1.0 - in_snippet) ** repeats


@cache
def term_frequencies() -> TermFrequencies:
    """The shipped table, read once per process."""
    return TermFrequencies.read()


@cache
def default_cost(key: str) -> float:
    """The estimated share of articles that carry index key ``key``."""
    kind, _, value = key.partition(":")
    if kind == "w":
        return term_frequencies().share(value)
    if kind == "h":
        return min(1.0, term_frequencies().share(value) * HEADLINE_SHARE)
    if kind in ("e", "p"):
        # A name is in an article no more often than its rarest word.
        parts = value.split(" ")
        return min(term_frequencies().share(w) for w in parts) if parts else 0.01
    return DEFAULT_COSTS.get(kind, 1.0)


Cost = Callable[[str], float]


def exact_keys(term: Term) -> frozenset[str] | None:
    """Keys of which an article has one exactly when ``term`` holds; None when the
    term needs more than its keys (a phrase, a relevance, a regional language)."""
    if isinstance(term, Text):
        if len(term.words) != 1:
            return None
        return frozenset({("h:" if term.headline_only else "w:") + term.words[0]})
    if isinstance(term, EntityTerm):
        if term.min_relevance != 0 or term.op != ">=":
            return None
        if term.kind == "place":
            return frozenset("p:" + k for k in term.keyset)
        if term.kind is not None:
            return None
        return term.keys()
    if isinstance(term, Fact):
        if term.name == "language" and "-" in term.value:
            return None
        return term.keys()
    if isinstance(term, EntityType | Topic | Urgency | Place):
        return term.keys()
    return None


def _required(term: Term) -> frozenset[str]:
    """Keys of which an article that matches ``term`` has one (the term's own keys,
    a phrase's words, a place's place keys)."""
    exact = exact_keys(term)
    if exact is not None:
        return exact
    if isinstance(term, EntityTerm) and term.kind == "place":
        return frozenset("p:" + k for k in term.keyset)
    keys = term.keys()
    return keys if keys is not None else frozenset()


def _term_anchor(term: Term, cost: Cost) -> tuple[frozenset[str], float]:
    if isinstance(term, Text) and len(term.words) > 1:
        # Every word is required: the rarest stands for the phrase.
        prefix = "h:" if term.headline_only else "w:"
        key = min((prefix + w for w in term.words), key=lambda k: (cost(k), k))
        return frozenset({key}), cost(key)
    keys = _required(term)
    if not keys:
        return keys, 0.0
    if isinstance(term, EntityTerm):
        # Variants of one entity come together: the commonest says how common it is.
        return keys, max(cost(k) for k in keys)
    return keys, min(1.0, sum(cost(k) for k in keys))


def _anchor(node: Node, cost: Cost) -> tuple[frozenset[str], float] | None:
    if isinstance(node, Term):
        return _term_anchor(node, cost)
    if isinstance(node, Not):
        return None
    if isinstance(node, And):
        options = [a for a in (_anchor(item, cost) for item in node.items) if a is not None]
        if not options:
            return None
        return min(options, key=lambda a: (a[1], sorted(a[0])))
    if isinstance(node, Or):
        union: set[str] = set()
        total = 0.0
        for item in node.items:
            part = _anchor(item, cost)
            if part is None:
                return None
            union |= part[0]
            total += part[1]
        return frozenset(union), min(1.0, total)
    return None


def anchor(node: Node, cost: Cost = default_cost) -> frozenset[str] | None:
    """Index keys of which every matching article has one; None when there are none."""
    found = _anchor(node, cost)
    return None if found is None else found[0]


# --- compiling a query -------------------------------------------------------


def _exact_clause(node: Node, cost: Cost) -> tuple[frozenset[str], float] | None:
    """(keys, cost) when ``node`` holds exactly when the article has one of ``keys``."""
    if isinstance(node, Term):
        keys = exact_keys(node)
        return None if keys is None else _term_anchor(node, cost)
    if isinstance(node, Or):
        union: set[str] = set()
        total = 0.0
        for item in node.items:
            part = _exact_clause(item, cost)
            if part is None:
                return None
            union |= part[0]
            total += part[1]
        return frozenset(union), min(1.0, total)
    return None


def compile_node(node: Node) -> DocTest:
    """``node.matches`` as a closure: exact terms become set tests on the article's keys."""
    if isinstance(node, Term):
        keys = exact_keys(node)
        if keys is not None:
            if len(keys) == 1:
                (key,) = keys
                return lambda doc: key in doc.keys
            return lambda doc: not keys.isdisjoint(doc.keys)
        needed = (
            frozenset(("h:" if node.headline_only else "w:") + w for w in node.words)
            if isinstance(node, Text)
            else _required(node)
        )
        matches = node.matches
        if isinstance(node, Text):
            return lambda doc: needed <= doc.keys and matches(doc)
        return lambda doc: not needed.isdisjoint(doc.keys) and matches(doc)
    if isinstance(node, Not):
        inner = compile_node(node.item)
        return lambda doc: not inner(doc)
    if isinstance(node, And | Or):
        parts = tuple(compile_node(item) for item in node.children())
        if isinstance(node, And):
            if len(parts) == 2:
                a, b = parts
                return lambda doc: a(doc) and b(doc)
            return lambda doc: all(p(doc) for p in parts)
        if len(parts) == 2:
            a, b = parts
            return lambda doc: a(doc) or b(doc)
        return lambda doc: any(p(doc) for p in parts)
    return node.matches


def _conjuncts(node: Node) -> Iterable[Node]:
    if isinstance(node, And):
        for item in node.items:
            yield from _conjuncts(item)
    elif isinstance(node, Not) and isinstance(node.item, Not):
        yield from _conjuncts(node.item.item)
    else:
        yield node


@dataclass(frozen=True)
class Plan:
    """Where a query is filed and what is left to check there.

    ``first``: the level-1 keys (None: checked on every article; empty: never
    matches); ``second``: the level-2 keys, or None; ``key_test``/``doc_test``:
    what is left (both None: certain once filed keys are found).
    """

    first: frozenset[str] | None
    second: frozenset[str] | None
    key_test: KeyTest | None
    doc_test: DocTest | None


def plan(node: Node, cost: Cost = default_cost) -> Plan:
    """Compile a query for the index (see the module's docstring)."""
    positive: list[tuple[frozenset[str], float]] = []
    negative: set[str] = set()
    residual: list[tuple[DocTest, tuple[frozenset[str], float] | None]] = []
    for part in _conjuncts(node):
        clause = _exact_clause(part, cost)
        if clause is not None:
            positive.append(clause)
            continue
        if isinstance(part, Not):
            inner = _exact_clause(part.item, cost)
            if inner is not None:
                negative |= inner[0]
                continue
        residual.append((compile_node(part), _anchor(part, cost)))

    def rank(a: tuple[frozenset[str], float]) -> tuple[float, list[str]]:
        return a[1], sorted(a[0])

    options = [(c, i) for i, c in enumerate(positive)]
    options += [(a, -1 - i) for i, (_, a) in enumerate(residual) if a is not None]
    if not options:
        first: frozenset[str] | None = None
    else:
        best, _ = min(options, key=lambda o: rank(o[0]))
        first = best[0]
        chosen = next(i for c, i in options if c is best)
        if chosen >= 0:
            del positive[chosen]
    if any(not keys for keys, _ in positive):
        first = frozenset()  # an exact clause no article can satisfy
    second: frozenset[str] | None = None
    if first and positive:
        best = min(positive, key=rank)
        positive.remove(best)
        second = best[0]
    all_of = frozenset(next(iter(keys)) for keys, _ in positive if len(keys) == 1)
    any_of = tuple(keys for keys, _ in positive if len(keys) > 1)
    none_of = frozenset(negative)
    key_test = _key_test(all_of, any_of, none_of)
    doc_test: DocTest | None = None
    if residual:
        tests = [t for t, _ in residual]
        if key_test is not None:
            kt = key_test
            tests.insert(0, lambda doc: kt(doc.keys))
            key_test = None
        if len(tests) == 1:
            doc_test = tests[0]
        else:
            frozen = tuple(tests)
            doc_test = lambda doc: all(t(doc) for t in frozen)  # noqa: E731
    return Plan(first, second, key_test, doc_test)


def _key_test(
    all_of: frozenset[str], any_of: tuple[frozenset[str], ...], none_of: frozenset[str]
) -> KeyTest | None:
    if not any_of:
        if all_of and none_of:
            return lambda keys: all_of <= keys and none_of.isdisjoint(keys)
        if all_of:
            return all_of.issubset
        if none_of:
            return none_of.isdisjoint
        return None
    if len(any_of) == 1 and not all_of and not none_of:
        return _any(any_of[0])
    return lambda keys: (
        all_of <= keys
        and none_of.isdisjoint(keys)
        and not any(one.isdisjoint(keys) for one in any_of)
    )


def _any(one: frozenset[str]) -> KeyTest:
    return lambda keys: not one.isdisjoint(keys)


# --- the index ---------------------------------------------------------------


class _Bucket:
    """What is filed under one key: certain subscription ids, and groups to check."""

    __slots__ = ("certain", "doc_checks", "key_checks", "second")

    def __init__(self) -> None:
        self.certain: set[str] = set()
        self.key_checks: dict[str, tuple[KeyTest, set[str]]] = {}
        self.doc_checks: dict[str, tuple[DocTest, set[str]]] = {}
        self.second: dict[str, _Bucket] | None = None

    def empty(self) -> bool:
        return not (self.certain or self.key_checks or self.doc_checks or self.second)


class _Group:
    """Subscriptions with the same query (after normalisation): evaluated once per article."""

    __slots__ = ("ids", "plan", "query")

    def __init__(self, query: Query, plan: Plan) -> None:
        self.query = query
        self.plan = plan
        self.ids: set[str] = set()


class Percolator:
    """Subscriptions by id, indexed by their compiled queries. Not thread-safe; one per worker.

    Subscriptions whose queries read the same (``Node.describe``) share one
    evaluation: popular queries ("entity:Samsung") are common, and they are the
    ones that match most articles.
    """

    def __init__(self, cost: Cost = default_cost) -> None:
        self._cost = cost
        self._queries: dict[str, Query] = {}
        self._group_of: dict[str, str] = {}
        self._groups: dict[str, _Group] = {}
        self._postings: dict[str, _Bucket] = {}
        self._always = _Bucket()

    def __len__(self) -> int:
        return len(self._queries)

    def __contains__(self, subscription_id: object) -> bool:
        return subscription_id in self._queries

    def get(self, subscription_id: str) -> Query | None:
        return self._queries.get(subscription_id)

    def ids(self) -> list[str]:
        return sorted(self._queries)

    def _buckets(self, p: Plan, create: bool) -> list[_Bucket]:
        """The buckets a plan files its group in (created when ``create``)."""
        if p.first is None:
            return [self._always]
        out: list[_Bucket] = []
        for key in p.first:
            bucket = self._postings.get(key)
            if bucket is None:
                if not create:
                    continue
                bucket = self._postings[key] = _Bucket()
            if p.second is None:
                out.append(bucket)
                continue
            if bucket.second is None:
                if not create:
                    continue
                bucket.second = {}
            for key2 in p.second:
                inner = bucket.second.get(key2)
                if inner is None:
                    if not create:
                        continue
                    inner = bucket.second[key2] = _Bucket()
                out.append(inner)
        return out

    def add(self, subscription_id: str, query: Query) -> None:
        """Index a subscription (replacing one with the same id)."""
        self.remove(subscription_id)
        canonical = query.root.describe()
        group = self._groups.get(canonical)
        if group is None:
            group = self._groups[canonical] = _Group(query, plan(query.root, self._cost))
        group.ids.add(subscription_id)
        self._queries[subscription_id] = query
        self._group_of[subscription_id] = canonical
        p = group.plan
        for bucket in self._buckets(p, create=True):
            if p.doc_test is not None:
                bucket.doc_checks.setdefault(canonical, (p.doc_test, group.ids))
            elif p.key_test is not None:
                bucket.key_checks.setdefault(canonical, (p.key_test, group.ids))
            else:
                bucket.certain.add(subscription_id)

    def remove(self, subscription_id: str) -> bool:
        """Drop a subscription; False when it was not there."""
        if subscription_id not in self._queries:
            return False
        del self._queries[subscription_id]
        canonical = self._group_of.pop(subscription_id)
        group = self._groups[canonical]
        group.ids.discard(subscription_id)
        p = group.plan
        for bucket in self._buckets(p, create=False):
            bucket.certain.discard(subscription_id)
            if not group.ids:
                bucket.key_checks.pop(canonical, None)
                bucket.doc_checks.pop(canonical, None)
        if not group.ids:
            del self._groups[canonical]
        self._prune(p)
        return True

    def _prune(self, p: Plan) -> None:
        if p.first is None:
            return
        for key in p.first:
            bucket = self._postings.get(key)
            if bucket is None:
                continue
            if bucket.second is not None and p.second is not None:
                for key2 in p.second:
                    inner = bucket.second.get(key2)
                    if inner is not None and inner.empty():
                        del bucket.second[key2]
                if not bucket.second:
                    bucket.second = None
            if bucket.empty():
                del self._postings[key]

    def _reached(self, doc: Document) -> list[_Bucket]:
        """Every bucket the article's keys lead to (level 1 and level 2), and the always one."""
        keys = doc.keys
        postings = self._postings
        out = [self._always]
        for key in postings.keys() & keys:
            bucket = postings[key]
            out.append(bucket)
            second = bucket.second
            if second is not None:
                for key2 in second.keys() & keys:
                    out.append(second[key2])
        return out

    def match(self, doc: Document) -> set[str]:
        """The ids of every subscription whose query matches ``doc``."""
        keys = doc.keys
        out: set[str] = set()
        for bucket in self._reached(doc):
            if bucket.certain:
                out |= bucket.certain
            for key_test, ids in bucket.key_checks.values():
                if key_test(keys):
                    out |= ids
            for doc_test, ids in bucket.doc_checks.values():
                if doc_test(doc):
                    out |= ids
        return out

    def candidates(self, doc: Document) -> set[str]:
        """The subscriptions the index reaches for ``doc``: a superset of its matches."""
        out: set[str] = set()
        for bucket in self._reached(doc):
            out |= bucket.certain
            for _, ids in bucket.key_checks.values():
                out |= ids
            for _, ids in bucket.doc_checks.values():
                out |= ids
        return out

    def evaluations(self, doc: Document) -> int:
        """How many compiled tests matching ``doc`` runs (certain subscriptions need none)."""
        return sum(len(b.key_checks) + len(b.doc_checks) for b in self._reached(doc))

    def brute_force(self, doc: Document) -> list[str]:
        """Every subscription evaluated on ``doc``, no index: what :meth:`match` must equal."""
        return sorted(sid for sid, q in self._queries.items() if q.root.matches(doc))
