"""The percolator: subscriptions indexed by the terms they require, compiled to set tests.

Every article is reduced once to a set of index keys (:attr:`Document.keys`:
its words, headline words, entity names and QIDs, place names, topics and
their broader topics, facts). Most query terms are *exact*: the term holds
exactly when the article has one of the term's keys (``entity:Samsung``,
``topic:…``, a keyword, ``urgency<=3``, ``country:KR`` …). A phrase, a
minimum relevance or a regional language (``language:en-gb``) are not: they
are evaluated on the document, after a check of the keys they require (a
phrase of two words is exact: articles carry a key for each two words side by
side; a longer one needs all its pairs, then its positions checked).

Adding a subscription compiles its query (:func:`plan`): the top-level AND is
split into clauses, each "one of these keys" (an exact term, or an OR of
exact terms), "none of these keys" (NOT of one) or a residual part evaluated
by a compiled closure. The index then files the query

- in the bucket of its *rarest* clause (level 1) and, when it has a second
  exact clause, in that bucket's sub-bucket for the rarest of those (level 2),
  so that an article reaches only queries of which it already has two
  clauses. Buckets are keyed by *units*, the keys of one term together (an
  entity's names and QID, ``urgency<=3``'s values): an article with several
  of them reaches the query once. An OR clause files the query under each of
  its units, and such a query is checked at most once per article;
- with what is left to check as one set test on the article's keys (``{…} <=
  keys``, ``isdisjoint``) or, with residual parts, one closure. A query with
  nothing left to check is *certain* there: its subscriptions are added with
  one set union, never evaluated; one with only NOT clauses left is certain
  too, and ruled out when the article has a key its NOTs name.

A query with no anchor (``NOT source:kcna``) is checked on every article; one
that can never match (``urgency<1``) is never checked.

How rare a key is comes from :func:`default_cost`: a shipped table of how many
news snippets each word occurs in (``data/term_df.tsv``, built by
:mod:`streams.alerts.build_term_df`), scaled to an article's length, and rough
shares for the other kinds of key. A phrase is anchored on its rarest pair of words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
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
    "tp": 0.03,  # a narrower IPTC topic (a level-1 topic: TOP_TOPIC_COST)
    "c": 0.05,  # a country: a wire names a handful of the 250
    "s": 0.1,  # a source agency: a feed carries several
    "t": 0.8,  # an entity type
    "k": 0.8,  # an entity kind
    "l": 0.9,  # a language
    "v": 0.6,  # a version kind
}
#: One of the 17 IPTC level-1 topics (an article has one or two).
TOP_TOPIC_COST = 0.12
#: Share of wires at each IPTC urgency: flashes and bulletins are rare, 3-5 the bulk.
URGENCY_COSTS = {1: 0.01, 2: 0.03, 3: 0.15, 4: 0.25, 5: 0.3, 6: 0.1, 7: 0.05, 8: 0.05, 9: 0.05}

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
        return 1.0 - float((1.0 - in_snippet) ** repeats)


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
    if kind in ("b", "hb"):
        # Two words side by side: no commoner than the rarer one.
        share = min(term_frequencies().share(w) for w in value.split(" "))
        return share * HEADLINE_SHARE if kind == "hb" else share
    if kind in ("e", "p"):
        # A name is in an article no more often than its rarest word.
        parts = value.split(" ")
        return min(term_frequencies().share(w) for w in parts) if parts else 0.01
    if kind == "u":
        return URGENCY_COSTS.get(int(value) if value.isdigit() else 0, 0.1)
    if kind == "tp" and value.endswith("000000"):
        return TOP_TOPIC_COST
    return DEFAULT_COSTS.get(kind, 1.0)


Cost = Callable[[str], float]


def exact_keys(term: Term) -> frozenset[str] | None:
    """Keys of which an article has one exactly when ``term`` holds; None when the
    term needs more than its keys (a phrase, a relevance, a regional language)."""
    if isinstance(term, Text):
        if len(term.words) == 1:
            return frozenset({("h:" if term.headline_only else "w:") + term.words[0]})
        if len(term.words) == 2:
            return frozenset(_word_pairs(term))
        return None
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


def _word_pairs(term: Text) -> list[str]:
    """The pair keys of a phrase: an article that has it has every one of them."""
    prefix = "hb:" if term.headline_only else "b:"
    return [f"{prefix}{a} {b}" for a, b in pairwise(term.words)]


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


#: Keys that stand for one term (an entity's names and QIDs, ``urgency<=3``'s values),
#: filed together; a clause's anchor is one or more units (an OR) and their cost.
Unit = frozenset[str]
Anchor = tuple[tuple[Unit, ...], float]


def _term_anchor(term: Term, cost: Cost) -> Anchor:
    if isinstance(term, Text) and len(term.words) > 2:
        # Every pair of words is required: the rarest stands for the phrase.
        key = min(_word_pairs(term), key=lambda k: (cost(k), k))
        return (frozenset({key}),), cost(key)
    keys = _required(term)
    if not keys:
        return (), 0.0
    if isinstance(term, EntityTerm):
        # Variants of one entity come together: the commonest says how common it is.
        return (keys,), max(cost(k) for k in keys)
    return (keys,), min(1.0, sum(cost(k) for k in keys))


def _rank(a: Anchor) -> tuple[float, int, str]:
    return a[1], len(a[0]), min((min(u) for u in a[0]), default="")


def _union(parts: list[Anchor]) -> Anchor:
    units: dict[Unit, None] = {}
    for part in parts:
        units.update(dict.fromkeys(part[0]))
    return tuple(units), min(1.0, sum(p[1] for p in parts))


def _anchor(node: Node, cost: Cost) -> Anchor | None:
    if isinstance(node, Term):
        return _term_anchor(node, cost)
    if isinstance(node, Not):
        return None
    if isinstance(node, And):
        options = [a for a in (_anchor(item, cost) for item in node.items) if a is not None]
        return min(options, key=_rank) if options else None
    if isinstance(node, Or):
        parts = []
        for item in node.items:
            part = _anchor(item, cost)
            if part is None:
                return None
            parts.append(part)
        return _union(parts)
    return None


def _keys(units: tuple[Unit, ...]) -> frozenset[str]:
    return units[0] if len(units) == 1 else frozenset().union(*units)


def anchor(node: Node, cost: Cost = default_cost) -> frozenset[str] | None:
    """Index keys of which every matching article has one; None when there are none."""
    found = _anchor(node, cost)
    return None if found is None else _keys(found[0])


# --- compiling a query -------------------------------------------------------


def _exact_clause(node: Node, cost: Cost) -> Anchor | None:
    """The anchor of ``node`` when it holds exactly when the article has one of its keys."""
    if isinstance(node, Term):
        keys = exact_keys(node)
        return None if keys is None else _term_anchor(node, cost)
    if isinstance(node, Or):
        parts = []
        for item in node.items:
            part = _exact_clause(item, cost)
            if part is None:
                return None
            parts.append(part)
        return _union(parts)
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
        needed = frozenset(_word_pairs(node)) if isinstance(node, Text) else _required(node)
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

    ``first``: the level-1 units (None: checked on every article; empty: never
    matches); ``second``: the level-2 units, or None; ``key_test``/``doc_test``:
    what is left (both None: certain once the filed units are found, unless
    the article has one of the ``excluded`` keys: all that is left of a query
    such as ``entity:X AND NOT type:EVENT``).
    """

    first: tuple[Unit, ...] | None
    second: tuple[Unit, ...] | None
    key_test: KeyTest | None
    doc_test: DocTest | None
    excluded: frozenset[str] = frozenset()


def plan(node: Node, cost: Cost = default_cost) -> Plan:
    """Compile a query for the index (see the module's docstring)."""
    positive: list[Anchor] = []
    negative: set[str] = set()
    residual: list[tuple[DocTest, Anchor | None]] = []
    for part in _conjuncts(node):
        clause = _exact_clause(part, cost)
        if clause is not None:
            if clause not in positive:  # "topic:X AND topic:X" files X once
                positive.append(clause)
            continue
        if isinstance(part, Not):
            inner = _exact_clause(part.item, cost)
            if inner is not None:
                for unit in inner[0]:
                    negative |= unit
                continue
        residual.append((compile_node(part), _anchor(part, cost)))

    options = [(c, i) for i, c in enumerate(positive)]
    options += [(a, -1 - i) for i, (_, a) in enumerate(residual) if a is not None]
    first: tuple[Unit, ...] | None = None
    if options:
        best, chosen = min(options, key=lambda o: _rank(o[0]))
        first = best[0]
        if chosen >= 0:
            del positive[chosen]
    if any(not units for units, _ in positive):
        first = ()  # an exact clause no article can satisfy
    second: tuple[Unit, ...] | None = None
    if first and positive:
        best = min(positive, key=_rank)
        positive.remove(best)
        second = best[0]
    if first is not None and not positive and not residual:
        return Plan(first, second, None, None, frozenset(negative))
    clauses = [_keys(units) for units, _ in positive]
    all_of = frozenset(next(iter(keys)) for keys in clauses if len(keys) == 1)
    any_of = tuple(keys for keys in clauses if len(keys) > 1)
    key_test = _key_test(all_of, any_of, frozenset(negative))
    doc_test: DocTest | None = None
    if residual:
        doc_test = _all(key_test, tuple(t for t, _ in residual))
        key_test = None
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


def _all(key_test: KeyTest | None, tests: tuple[DocTest, ...]) -> DocTest:
    """The key test, then each residual test: the cheap one first."""
    if len(tests) == 1:
        (only,) = tests
        if key_test is None:
            return only
        return lambda doc: key_test(doc.keys) and only(doc)

    def test(doc: Document) -> bool:
        if key_test is not None and not key_test(doc.keys):
            return False
        for t in tests:  # noqa: SIM110 (a loop costs less than all() over a generator)
            if not t(doc):
                return False
        return True

    return test


def _any(one: frozenset[str]) -> KeyTest:
    return lambda keys: not one.isdisjoint(keys)


# --- the index ---------------------------------------------------------------


class _Bucket:
    """What is filed under one unit: certain subscription ids, and groups to check.

    ``key_checks`` and ``doc_checks`` hold groups filed in this bucket alone;
    ``shared`` those filed in several (an OR of entities as anchor), which one
    article may reach more than once: they are checked once per article. Each
    container is made when first needed: most units hold few queries.
    """

    __slots__ = ("certain", "doc_checks", "excluded", "key_checks", "second", "shared")

    def __init__(self) -> None:
        self.certain: set[str] | None = None
        #: key -> certain ids that the key rules out (``NOT``), when an article has it.
        self.excluded: dict[str, set[str]] | None = None
        self.key_checks: dict[str, tuple[KeyTest, set[str]]] | None = None
        self.doc_checks: dict[str, tuple[DocTest, set[str]]] | None = None
        self.shared: dict[str, tuple[KeyTest | None, DocTest | None, set[str]]] | None = None
        self.second: dict[Unit, _Bucket] | None = None

    def empty(self) -> bool:
        return not (
            self.certain or self.key_checks or self.doc_checks or self.shared or self.second
        )

    def file(self, canonical: str, subscription_id: str, group: _Group) -> None:
        p = group.plan
        if p.key_test is None and p.doc_test is None:
            if self.certain is None:
                self.certain = set()
            self.certain.add(subscription_id)
            if p.excluded:
                if self.excluded is None:
                    self.excluded = {}
                for key in p.excluded:
                    self.excluded.setdefault(key, set()).add(subscription_id)
        elif group.shared:
            if self.shared is None:
                self.shared = {}
            self.shared.setdefault(canonical, (p.key_test, p.doc_test, group.ids))
        elif p.doc_test is not None:
            if self.doc_checks is None:
                self.doc_checks = {}
            self.doc_checks.setdefault(canonical, (p.doc_test, group.ids))
        elif p.key_test is not None:
            if self.key_checks is None:
                self.key_checks = {}
            self.key_checks.setdefault(canonical, (p.key_test, group.ids))

    def unfile(self, canonical: str, subscription_id: str, group: _Group) -> None:
        if self.certain is not None:
            self.certain.discard(subscription_id)
            if not self.certain:
                self.certain = None
        if self.excluded is not None:
            for key in group.plan.excluded:
                ids = self.excluded.get(key)
                if ids is not None:
                    ids.discard(subscription_id)
                    if not ids:
                        del self.excluded[key]
            if not self.excluded:
                self.excluded = None
        if group.ids:
            return
        if self.key_checks is not None:
            self.key_checks.pop(canonical, None)
            if not self.key_checks:
                self.key_checks = None
        if self.doc_checks is not None:
            self.doc_checks.pop(canonical, None)
            if not self.doc_checks:
                self.doc_checks = None
        if self.shared is not None:
            self.shared.pop(canonical, None)
            if not self.shared:
                self.shared = None


class _Group:
    """Subscriptions with the same query (after normalisation): evaluated once per article."""

    __slots__ = ("ids", "plan", "query", "shared")

    def __init__(self, query: Query, plan: Plan) -> None:
        self.query = query
        self.plan = plan
        self.ids: set[str] = set()
        #: Filed in several buckets (an OR anchors it), so checked at most once per article.
        self.shared = len(plan.first or ()) * len(plan.second or (0,)) > 1


class Percolator:
    """Subscriptions by id, indexed by their compiled queries. Not thread-safe; one per worker.

    Buckets are keyed by *units*: the keys that stand for one term together (all
    of an entity's names and QIDs, ``u:1 u:2 u:3`` for ``urgency<=3``), so an
    article reaches a query once however many of an entity's variants it has.
    ``_units`` maps each key to the units that hold it.

    Subscriptions whose queries read the same (``Node.describe``) share one
    evaluation: popular queries ("entity:Samsung") are common, and they are the
    ones that match most articles.
    """

    def __init__(self, cost: Cost = default_cost) -> None:
        self._cost = cost
        self._queries: dict[str, Query] = {}
        self._group_of: dict[str, str] = {}
        self._groups: dict[str, _Group] = {}
        self._postings: dict[Unit, _Bucket] = {}
        self._units: dict[str, set[Unit]] = {}
        self._unit_uses: dict[Unit, int] = {}
        self._always = _Bucket()

    def __len__(self) -> int:
        return len(self._queries)

    def __contains__(self, subscription_id: object) -> bool:
        return subscription_id in self._queries

    def get(self, subscription_id: str) -> Query | None:
        return self._queries.get(subscription_id)

    def ids(self) -> list[str]:
        return sorted(self._queries)

    def _use(self, unit: Unit) -> None:
        uses = self._unit_uses.get(unit, 0)
        if not uses:
            for key in unit:
                self._units.setdefault(key, set()).add(unit)
        self._unit_uses[unit] = uses + 1

    def _release(self, unit: Unit) -> None:
        uses = self._unit_uses[unit] - 1
        if uses:
            self._unit_uses[unit] = uses
            return
        del self._unit_uses[unit]
        for key in unit:
            held = self._units[key]
            held.discard(unit)
            if not held:
                del self._units[key]

    def _buckets(self, p: Plan) -> list[_Bucket]:
        """The buckets a plan files its group in, made when missing (none: never matches)."""
        if p.first is None:
            return [self._always]
        out: list[_Bucket] = []
        for unit in p.first:
            bucket = self._postings.get(unit)
            if bucket is None:
                bucket = self._postings[unit] = _Bucket()
                self._use(unit)
            if p.second is None:
                out.append(bucket)
                continue
            if bucket.second is None:
                bucket.second = {}
            for unit2 in p.second:
                inner = bucket.second.get(unit2)
                if inner is None:
                    inner = bucket.second[unit2] = _Bucket()
                    self._use(unit2)
                out.append(inner)
        return out

    def _prune(self, p: Plan) -> None:
        """Drop the plan's buckets that hold nothing any more."""
        for unit in p.first or ():
            bucket = self._postings.get(unit)
            if bucket is None:
                continue
            if bucket.second is not None:
                for unit2 in p.second or ():
                    inner = bucket.second.get(unit2)
                    if inner is not None and inner.empty():
                        del bucket.second[unit2]
                        self._release(unit2)
                if not bucket.second:
                    bucket.second = None
            if bucket.empty():
                del self._postings[unit]
                self._release(unit)

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
        for bucket in self._buckets(group.plan):
            bucket.file(canonical, subscription_id, group)

    def remove(self, subscription_id: str) -> bool:
        """Drop a subscription; False when it was not there."""
        if subscription_id not in self._queries:
            return False
        del self._queries[subscription_id]
        canonical = self._group_of.pop(subscription_id)
        group = self._groups[canonical]
        group.ids.discard(subscription_id)
        if not group.ids:
            del self._groups[canonical]
        for bucket in self._buckets(group.plan):
            bucket.unfile(canonical, subscription_id, group)
        self._prune(group.plan)
        return True

    def _reached(self, doc: Document) -> list[_Bucket]:
        """Every bucket the article's keys lead to (level 1 and level 2), and the always one."""
        keys = doc.keys
        units = self._units
        held: set[Unit] = set()
        for key in units.keys() & keys:
            held |= units[key]
        postings = self._postings
        out = [self._always]
        for unit in held:
            bucket = postings.get(unit)
            if bucket is None:
                continue
            out.append(bucket)
            second = bucket.second
            if second is not None:
                # Walk the smaller side: most level-2 dicts are small.
                small = len(second) < len(held)
                found = held.intersection(second) if small else second.keys() & held
                for unit2 in found:
                    out.append(second[unit2])
        return out

    def match(self, doc: Document) -> set[str]:
        """The ids of every subscription whose query matches ``doc``."""
        keys = doc.keys
        out: set[str] = set()
        seen: set[str] = set()
        # A subscription is in one group, so what rules it out anywhere rules it out.
        ruled_out: set[str] = set()
        for bucket in self._reached(doc):
            if bucket.certain is not None:
                out |= bucket.certain
                excluded = bucket.excluded
                if excluded is not None:
                    for key in keys.intersection(excluded):
                        ruled_out |= excluded[key]
            if bucket.key_checks is not None:
                for key_test, ids in bucket.key_checks.values():
                    if key_test(keys):
                        out |= ids
            if bucket.doc_checks is not None:
                for doc_test, ids in bucket.doc_checks.values():
                    if doc_test(doc):
                        out |= ids
            if bucket.shared is not None:
                for canonical, (shared_key, shared_doc, ids) in bucket.shared.items():
                    if canonical in seen:
                        continue
                    seen.add(canonical)
                    if shared_doc is not None:
                        if shared_doc(doc):
                            out |= ids
                    elif shared_key is not None and shared_key(keys):
                        out |= ids
        if ruled_out:
            out -= ruled_out
        return out

    def candidates(self, doc: Document) -> set[str]:
        """The subscriptions the index reaches for ``doc``: a superset of its matches."""
        out: set[str] = set()
        for bucket in self._reached(doc):
            out |= bucket.certain or set()
            for _, ids in (bucket.key_checks or {}).values():
                out |= ids
            for _, ids in (bucket.doc_checks or {}).values():
                out |= ids
            for _, _, ids in (bucket.shared or {}).values():
                out |= ids
        return out

    def evaluations(self, doc: Document) -> int:
        """How many compiled tests matching ``doc`` runs (certain subscriptions need none)."""
        seen: set[str] = set()
        count = 0
        for b in self._reached(doc):
            count += len(b.key_checks or ()) + len(b.doc_checks or ())
            seen.update(b.shared or ())
        return count + len(seen)

    def brute_force(self, doc: Document) -> list[str]:
        """Every subscription evaluated on ``doc``, no index: what :meth:`match` must equal."""
        return sorted(sid for sid, q in self._queries.items() if q.root.matches(doc))
