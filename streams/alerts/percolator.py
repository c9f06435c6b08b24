"""The percolator: subscriptions compiled to clauses over literals, checked with numpy.

Every article is reduced once to a set of index keys (:attr:`Document.keys`:
its words, headline words, entity names and QIDs, place names, topics and
their broader topics, facts). A query term becomes a *literal*:

- most terms are *exact*: the literal holds exactly when the article has one
  of the term's keys (``entity:Samsung`` and its variants and QID,
  ``topic:…``, a keyword, a phrase of two words (articles carry a key for
  each two words side by side), ``urgency<=3`` as ``u:1 u:2 u:3``,
  ``country:KR`` …);
- a phrase of three words or more, a minimum relevance or a regional language
  (``language:en-gb``) is *verified*: it is evaluated on the document, once
  per article, only when the article has its trigger key (the phrase's rarest
  pair of words, the entity's names, the language).

Adding a subscription compiles its query to disjunctive normal form
(:func:`clauses`): an OR of clauses, each "all of these literals and none of
those". A clause is filed under its rarest positive literal (its *anchor*);
its other literals and its NOTs are kept as numbers in numpy arrays. For an
article, :meth:`Percolator.match` finds the literals that hold (dict lookups
for the article's keys, plus the verified tests triggered), takes the clauses
filed under them (and those made of NOTs only) and checks all of them at once
with gathers from a boolean array of the literals that hold. The subscriptions
are the owners of the clauses that pass. Per candidate and per match the work
is a few array operations in C, not Python; what is left in Python is per
article (its keys, the triggered tests) and turning the matches' numbers into
their ids.

A query whose normal form would exceed :data:`MAX_CLAUSES` clauses (deep
nestings of ORs under ANDs) is kept whole as one verified literal: its compiled
test runs on articles that have one of its anchor keys (:func:`anchor`), or on
every article when it has none (``NOT source:kcna OR …``).

How rare a key is comes from :func:`default_cost`: a shipped table of how many
news snippets each word occurs in (``data/term_df.tsv``, built by
:mod:`streams.alerts.build_term_df`), scaled to an article's length, and rough
shares for the other kinds of key. A phrase is triggered by its rarest pair of
words, and a query kept whole by its cheapest anchor.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np
import numpy.typing as npt

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


#: A query whose normal form has more clauses than this is kept whole (one verified literal).
MAX_CLAUSES = 16


@dataclass(frozen=True)
class Literal:
    """What one literal stands for; two literals with the same ``ident`` are the same.

    Exact (``test`` is None): it holds when the article has one of ``keys``.
    Verified: ``test`` decides, run when the article has one of ``keys`` (its
    triggers; None: run on every article). ``cost``: the estimated share of
    articles it holds for (a clause is filed under its rarest literal).
    """

    ident: tuple[str, Hashable]
    keys: frozenset[str] | None = field(compare=False)
    test: DocTest | None = field(default=None, compare=False)
    cost: float = field(default=1.0, compare=False)


#: A clause: the literals that must hold, and those that must not.
Clause = tuple[frozenset[Literal], frozenset[Literal]]
_TRUE: list[Clause] = [(frozenset(), frozenset())]


class _TooManyClauses(Exception):
    pass


def literal(term: Term, cost: Cost = default_cost) -> Literal:
    """The literal of one query term (see the module's docstring)."""
    units, share = _term_anchor(term, cost)
    keys = exact_keys(term)
    if keys is not None:
        return Literal(("x", keys), keys, None, share)
    trigger = _keys(units) if units else frozenset()
    return Literal(("v", term.describe()), trigger, compile_node(term), share)


def _dnf(node: Node, negated: bool, cost: Cost) -> list[Clause]:
    if isinstance(node, Not):
        return _dnf(node.item, not negated, cost)
    if isinstance(node, Term):
        lit = literal(node, cost)
        if lit.keys is not None and not lit.keys:
            # No article has it: false, and its negation true.
            return _TRUE if negated else []
        if negated:
            return [(frozenset(), frozenset({lit}))]
        return [(frozenset({lit}), frozenset())]
    if not isinstance(node, And | Or):
        raise _TooManyClauses  # no literal stands for an unknown node: keep the query whole
    parts = [_dnf(item, negated, cost) for item in node.children()]
    if isinstance(node, And) != negated:  # AND, or NOT of an OR: every part holds
        out: list[Clause] = _TRUE
        for part in parts:
            combined: dict[Clause, None] = {}
            for pos_a, neg_a in out:
                for pos_b, neg_b in part:
                    pos, neg = pos_a | pos_b, neg_a | neg_b
                    if pos.isdisjoint(neg):  # "x AND NOT x" never holds
                        combined[(pos, neg)] = None
                        if len(combined) > MAX_CLAUSES:
                            raise _TooManyClauses
            out = list(combined)
        return out
    union: dict[Clause, None] = {}
    for part in parts:
        for clause in part:
            if not clause[0] and not clause[1]:
                return _TRUE
            union[clause] = None
    if len(union) > MAX_CLAUSES:
        raise _TooManyClauses
    return list(union)


def clauses(node: Node, cost: Cost = default_cost) -> list[Clause]:
    """The query as an OR of clauses (disjunctive normal form); a query whose form would
    have more than :data:`MAX_CLAUSES` clauses is one clause of one verified literal."""
    try:
        return _dnf(node, False, cost)
    except _TooManyClauses:
        found = _anchor(node, cost)
        whole = Literal(
            ("q", node.describe()),
            None if found is None else _keys(found[0]),
            compile_node(node),
            1.0 if found is None else found[1],
        )
        return [(frozenset({whole}), frozenset())]


# --- the index ---------------------------------------------------------------

IntArray = npt.NDArray[np.intp]
_EMPTY: IntArray = np.zeros(0, dtype=np.intp)
#: Literal numbers 0 and 1: one that always holds and one that never does (row padding).
_HOLDS, _NEVER = 0, 1
#: Literals of a clause besides its anchor, and NOTs, kept in its row; a wider clause
#: is checked in Python (rare: a query of more than five terms).
WIDTH = 4


def _rank_literal(lit: Literal) -> tuple[float, int, str]:
    """Rarest first; ties broken by the literal's first key, so filing is repeatable."""
    keys = lit.keys or frozenset()
    return lit.cost, len(keys), min(keys, default="")


class Percolator:
    """Subscriptions by id, compiled to clauses over literals. Not thread-safe; one per worker.

    Subscriptions, clauses (*slots*) and literals are numbered; freed numbers
    are reused. Each clause is filed under its *anchor*, its rarest positive
    literal (a clause of NOTs only is *bare*: a candidate for every article).
    Its other positive literals and its NOTs are columns of two numpy matrices
    (``_rest``, ``_nots``), padded with literals that always and never hold.
    For an article, the candidates are the clauses filed under the literals
    that hold; one gather from a boolean array of holding literals checks
    them all at once. Anchor postings are Python lists, turned into numpy
    arrays when the index is next matched after a change.

    Literals are shared: "entity:Samsung" in 5,000 queries is one literal,
    looked up once per article.
    """

    def __init__(self, cost: Cost = default_cost) -> None:
        self._cost = cost
        self._queries: dict[str, Query] = {}
        # subscriptions
        self._number: dict[str, int] = {}
        self._names: npt.NDArray[np.object_] = np.empty(64, dtype=object)
        self._subs_top = 0
        self._free_subs: list[int] = []
        self._slots_of: dict[str, list[int]] = {}
        # clauses
        self._owner: IntArray = np.zeros(64, dtype=np.intp)
        # One column per clause (a row per place: a reduction over rows is elementwise).
        self._rest = np.zeros((WIDTH, 64), dtype=np.int32)
        self._nots = np.ones((WIDTH, 64), dtype=np.int32)
        self._is_wide = np.zeros(64, dtype=bool)
        self._top = 0
        self._free_slots: list[int] = []
        self._anchor_of: dict[int, int] = {}  # slot -> its anchor literal (absent: bare)
        self._literals_of: dict[int, tuple[int, ...]] = {}  # slot -> every literal it uses
        self._wide: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self._bare: set[int] = set()
        self._bare_array: IntArray | None = _EMPTY
        # literals
        self._literal_of: dict[tuple[str, Hashable], int] = {}
        self._literals: list[Literal | None] = [None, None]
        self._uses: list[int] = [1, 1]
        self._free_literals: list[int] = []
        self._filed: list[list[int]] = [[], []]  # literal -> slots anchored on it
        self._filed_array: list[IntArray | None] = [None, None]
        self._dirty: set[int] = set()
        self._holds = np.zeros(64, dtype=bool)
        self._holds[_HOLDS] = True
        self._exact: dict[str, list[int]] = {}  # key -> exact literals it makes hold
        self._triggers: dict[str, list[int]] = {}  # key -> verified literals it triggers
        self._always: set[int] = set()  # verified literals run on every article
        self._keyset: set[str] = set()  # keys of _exact and _triggers

    def __len__(self) -> int:
        return len(self._queries)

    def __contains__(self, subscription_id: object) -> bool:
        return subscription_id in self._queries

    def get(self, subscription_id: str) -> Query | None:
        return self._queries.get(subscription_id)

    def ids(self) -> list[str]:
        return sorted(self._queries)

    # --- literals

    def _use(self, lit: Literal) -> int:
        number = self._literal_of.get(lit.ident)
        if number is not None:
            self._uses[number] += 1
            return number
        if self._free_literals:
            number = self._free_literals.pop()
            self._literals[number] = lit
            self._uses[number] = 1
        else:
            number = len(self._literals)
            self._literals.append(lit)
            self._uses.append(1)
            self._filed.append([])
            self._filed_array.append(None)
            if number >= len(self._holds):
                self._holds = np.concatenate([self._holds, np.zeros_like(self._holds)])
        self._literal_of[lit.ident] = number
        if lit.test is not None and lit.keys is None:
            self._always.add(number)
        else:
            table = self._exact if lit.test is None else self._triggers
            for key in lit.keys or ():
                table.setdefault(key, []).append(number)
                self._keyset.add(key)
        return number

    def _release(self, number: int) -> None:
        self._uses[number] -= 1
        if self._uses[number]:
            return
        lit = self._literals[number]
        assert lit is not None
        del self._literal_of[lit.ident]
        self._literals[number] = None
        self._filed_array[number] = None
        self._dirty.discard(number)
        self._always.discard(number)
        table = self._exact if lit.test is None else self._triggers
        for key in () if lit.keys is None else lit.keys:
            held = table[key]
            held.remove(number)
            if not held:
                del table[key]
                if key not in self._exact and key not in self._triggers:
                    self._keyset.discard(key)
        self._free_literals.append(number)

    # --- clauses

    def _slot(self) -> int:
        if self._free_slots:
            return self._free_slots.pop()
        slot = self._top
        self._top += 1
        if slot >= len(self._owner):
            grow = len(self._owner)
            self._owner = np.concatenate([self._owner, np.zeros(grow, dtype=np.intp)])
            more = (WIDTH, grow)
            self._rest = np.concatenate([self._rest, np.zeros(more, np.int32)], axis=1)
            self._nots = np.concatenate([self._nots, np.ones(more, np.int32)], axis=1)
            self._is_wide = np.concatenate([self._is_wide, np.zeros(grow, dtype=bool)])
        return slot

    def _subscriber(self, subscription_id: str) -> int:
        if self._free_subs:
            number = self._free_subs.pop()
        else:
            number = self._subs_top
            self._subs_top += 1
            if number >= len(self._names):
                self._names = np.concatenate([self._names, np.empty(len(self._names), object)])
        self._names[number] = subscription_id
        self._number[subscription_id] = number
        return number

    def add(self, subscription_id: str, query: Query) -> None:
        """Index a subscription (replacing one with the same id)."""
        self.remove(subscription_id)
        compiled = clauses(query.root, self._cost)
        number = self._subscriber(subscription_id)
        self._queries[subscription_id] = query
        slots: list[int] = []
        for pos_lits, neg_lits in compiled:
            slot = self._slot()
            ranked = sorted(pos_lits, key=_rank_literal)
            pos = [self._use(lit) for lit in ranked]
            neg = [self._use(lit) for lit in neg_lits]
            self._owner[slot] = number
            self._literals_of[slot] = (*pos, *neg)
            if pos:
                self._anchor_of[slot] = pos[0]
                self._filed[pos[0]].append(slot)
                self._dirty.add(pos[0])
            else:
                self._bare.add(slot)
                self._bare_array = None
            rest = pos[1:]
            if len(rest) > WIDTH or len(neg) > WIDTH:
                self._wide[slot] = (tuple(rest), tuple(neg))
                self._is_wide[slot] = True
                self._rest[:, slot] = _NEVER  # fails the column test: checked apart
                self._nots[:, slot] = _NEVER
            else:
                self._rest[:, slot] = rest + [_HOLDS] * (WIDTH - len(rest))
                self._nots[:, slot] = neg + [_NEVER] * (WIDTH - len(neg))
            slots.append(slot)
        self._slots_of[subscription_id] = slots

    def remove(self, subscription_id: str) -> bool:
        """Drop a subscription; False when it was not there."""
        if subscription_id not in self._queries:
            return False
        del self._queries[subscription_id]
        number = self._number.pop(subscription_id)
        self._names[number] = None
        self._free_subs.append(number)
        for slot in self._slots_of.pop(subscription_id):
            first = self._anchor_of.pop(slot, None)
            if first is None:
                self._bare.discard(slot)
                self._bare_array = None
            else:
                self._filed[first].remove(slot)
                self._dirty.add(first)
            self._wide.pop(slot, None)
            self._is_wide[slot] = False
            for lit_number in self._literals_of.pop(slot):
                self._release(lit_number)
            self._free_slots.append(slot)
        return True

    def _flush(self) -> None:
        """Anchor arrays for the literals changed since the last match."""
        for number in self._dirty:
            filed = self._filed[number]
            self._filed_array[number] = np.array(filed, dtype=np.intp) if filed else None
        self._dirty.clear()
        if self._bare_array is None:
            self._bare_array = np.array(sorted(self._bare), dtype=np.intp)

    # --- matching

    def _holding(self, doc: Document) -> tuple[set[int], int]:
        """The literals that hold for ``doc``, and how many verified tests that took."""
        found = doc.keys & self._keyset  # walks the smaller side
        holding: set[int] = set()
        check: set[int] = set(self._always)
        exact, triggers = self._exact, self._triggers
        for key in found:
            numbers = exact.get(key)
            if numbers is not None:
                holding.update(numbers)
            numbers = triggers.get(key)
            if numbers is not None:
                check.update(numbers)
        literals = self._literals
        for number in check:
            lit = literals[number]
            if lit is not None and lit.test is not None and lit.test(doc):
                holding.add(number)
        return holding, len(check)

    def _candidates(self, holding: set[int]) -> IntArray:
        """Clause slots filed under a holding literal, and the bare ones (each once)."""
        if self._dirty or self._bare_array is None:
            self._flush()
        filed = self._filed_array
        parts = [a for n in holding if (a := filed[n]) is not None]
        if self._bare:
            assert self._bare_array is not None
            parts.append(self._bare_array)
        if not parts:
            return _EMPTY
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _matched(self, doc: Document) -> IntArray:
        """The subscription numbers of the clauses that match ``doc`` (with repeats)."""
        holding, _ = self._holding(doc)
        found = self._candidates(holding)
        if not len(found):
            return _EMPTY
        holds = self._holds
        held = np.fromiter(holding, dtype=np.intp, count=len(holding))
        holds[held] = True
        rest, nots = self._rest, self._nots
        # Row by row (numpy's reductions over a short axis cost more than WIDTH plain
        # operations), and the second rarest literal first: most candidates fail on it.
        kept = found[holds[rest[0, found]]]
        ok = ~holds[nots[0, kept]]
        for row in range(1, WIDTH):
            ok &= holds[rest[row, kept]]
            ok &= ~holds[nots[row, kept]]
        holds[held] = False
        owners: IntArray = self._owner[kept[ok]]
        if not self._wide:
            return owners
        extra = [
            slot
            for slot in found[self._is_wide[found]].tolist()
            if all(n in holding for n in self._wide[slot][0])
            and not any(n in holding for n in self._wide[slot][1])
        ]
        return np.concatenate([owners, self._owner[extra]]) if extra else owners

    def match(self, doc: Document) -> set[str]:
        """The ids of every subscription whose query matches ``doc``."""
        return set(self._names[self._matched(doc)].tolist())

    def candidates(self, doc: Document) -> set[str]:
        """The subscriptions the index reaches for ``doc`` (a clause filed under a literal
        that holds, or a clause of NOTs only): a superset of its matches."""
        found = self._candidates(self._holding(doc)[0])
        return set(self._names[self._owner[found]].tolist())

    def evaluations(self, doc: Document) -> int:
        """How many verified tests matching ``doc`` runs (exact literals need none)."""
        return self._holding(doc)[1]

    def brute_force(self, doc: Document) -> list[str]:
        """Every subscription evaluated on ``doc``, no index: what :meth:`match` must equal."""
        return sorted(sid for sid, q in self._queries.items() if q.root.matches(doc))
