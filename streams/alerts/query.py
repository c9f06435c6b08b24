"""The subscription query language: lexer, parser, syntax tree and evaluation.

Grammar (operators are upper case; two terms side by side are joined by AND)::

    query    := or
    or       := and ("OR" and)*
    and      := unary (["AND"] unary)*
    unary    := "NOT" unary | primary
    primary  := "(" or ")" | FIELD ":" value | "urgency" CMP digit
              | FIELD ":" value CMP number        (entity relevance: entity:X>=60)
              | WORD | "PHRASE"                  (a keyword or phrase, headline or body)

Fields: ``entity`` (name, any variant, or Wikidata QID; ``>=N`` for a minimum
relevance), ``type`` (OntoNotes label or ninjs kind), ``topic`` (IPTC qcode
or name; a broader topic matches its narrower ones), ``keyword``/``text``,
``headline`` (the headline only), ``source``, ``language``, ``urgency``
(``urgency<=3``, ``urgency:1``), ``place`` (GeoNames id, ISO country code or
place name), ``country`` (ISO 3166 alpha-2) and ``version`` (first, update,
correction, kill).

Everything is resolved at parse time (topic names to qcodes, entity names to
their variants and QIDs), so evaluation is lookups only. :func:`parse` raises
:class:`~streams.alerts.errors.QueryError` and nothing else, whatever the
input: the message starts with the 1-based column it is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from schemas import Entity
from streams.alerts.document import VERSION_KINDS, Document, Section
from streams.alerts.errors import QueryError
from streams.alerts.text import name_key, words
from streams.alerts.vocabulary import Vocabulary

#: Limits that keep one subscription's cost bounded (and the parser's recursion shallow).
MAX_QUERY_CHARS = 2000
MAX_DEPTH = 24
MAX_TERMS = 64

TokenKind = Literal["(", ")", "PHRASE", "WORD", ":", "CMP", "AND", "OR", "NOT", "END"]
Comparison = Literal["<", "<=", ">", ">=", "="]


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str
    start: int  # 0-based offset into the query
    end: int

    @property
    def column(self) -> int:
        return self.start + 1


_STOP = frozenset(' \t\r\n\f\v()":<>=')
_OPERATORS: dict[str, TokenKind] = {"AND": "AND", "OR": "OR", "NOT": "NOT"}


def tokenize(text: str) -> list[Token]:
    """The tokens of a query, ending with an ``END`` token at its length."""
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "():":
            out.append(Token(c, c, i, i + 1))  # type: ignore[arg-type]
            i += 1
        elif c in "<>=":
            width = 2 if c in "<>" and text[i + 1 : i + 2] == "=" else 1
            out.append(Token("CMP", text[i : i + width], i, i + width))
            i += width
        elif c == '"':
            j, chars = i + 1, []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    j += 1
                chars.append(text[j])
                j += 1
            if j >= n:
                raise QueryError("unterminated phrase: missing closing '\"'", column=i + 1)
            out.append(Token("PHRASE", "".join(chars), i, j + 1))
            i = j + 1
        else:
            j = i
            while j < n and text[j] not in _STOP and not text[j].isspace():
                j += 1
            word = text[i:j]
            out.append(Token(_OPERATORS.get(word, "WORD"), word, i, j))
            i = j
    out.append(Token("END", "", n, n))
    return out


# --- the syntax tree ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """Where a term matched: offsets into the headline or the joined body."""

    section: Section
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Hit:
    """One query term that holds for an article, and what in the article made it hold."""

    term: str  # the term in canonical query syntax
    field: str
    value: str  # what matched: an entity's name, a topic qcode, the words found ...
    spans: tuple[Span, ...] = ()


class Node:
    """A query node. Terms answer ``matches`` and say which index keys find them."""

    __slots__ = ()

    def matches(self, doc: Document) -> bool:
        raise NotImplementedError

    def hits(self, doc: Document, out: list[Hit]) -> None:
        """Append the evidence for each positive term that holds (NOT adds none)."""

    def describe(self) -> str:
        raise NotImplementedError

    def children(self) -> tuple[Node, ...]:
        return ()


class Term(Node):
    """A leaf. ``keys``: index keys of which an article that matches has at least one
    (empty: the term can never match); None when no key can stand for it."""

    __slots__ = ()

    def keys(self) -> frozenset[str] | None:
        raise NotImplementedError

    def hits(self, doc: Document, out: list[Hit]) -> None:
        if self.matches(doc):
            out.append(self.hit(doc))

    def hit(self, doc: Document) -> Hit:
        return Hit(self.describe(), self.field_name(), "")

    def field_name(self) -> str:
        raise NotImplementedError


def _quote(value: str) -> str:
    if value and all(c not in _STOP and not c.isspace() for c in value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True, slots=True, eq=False)
class Text(Term):
    """A keyword or phrase: whole words, case-folded, in the headline or the body."""

    words: tuple[str, ...]
    written: str
    headline_only: bool = False

    def field_name(self) -> str:
        return "headline" if self.headline_only else "text"

    def describe(self) -> str:
        prefix = "headline:" if self.headline_only else ""
        if len(self.words) == 1 and not self.headline_only and self.written.isalnum():
            return self.written
        return prefix + _quote(self.written)

    def keys(self) -> frozenset[str]:
        # Every word is required, so any one stands for the term; the longest
        # is the least likely to be common.
        return frozenset({"w:" + max(self.words, key=len)})

    def matches(self, doc: Document) -> bool:
        if len(self.words) == 1:
            return self.words[0] in (doc.headline_set if self.headline_only else doc.word_set)
        if _phrase_in(self.words, doc.headline_words, doc.headline_positions):
            return True
        return not self.headline_only and _phrase_in(self.words, doc.body_words, doc.body_positions)

    def hit(self, doc: Document) -> Hit:
        found: list[Span] = []
        sections: list[tuple[Section, list[tuple[str, int, int]], dict[str, list[int]]]] = [
            ("headline", doc.headline_words, doc.headline_positions)
        ]
        if not self.headline_only:
            sections.append(("body", doc.body_words, doc.body_positions))
        for section, items, positions in sections:
            for i in _phrase_at(self.words, items, positions):
                found.append(Span(section, items[i][1], items[i + len(self.words) - 1][2]))
        return Hit(self.describe(), self.field_name(), " ".join(self.words), tuple(found))


def _phrase_in(
    phrase: tuple[str, ...], items: list[tuple[str, int, int]], positions: dict[str, list[int]]
) -> bool:
    starts = positions.get(phrase[0])
    if not starts:
        return False
    n = len(phrase)
    last = len(items) - n
    for i in starts:
        if i > last:
            return False
        k = 1
        while k < n and items[i + k][0] == phrase[k]:
            k += 1
        if k == n:
            return True
    return False


def _phrase_at(
    phrase: tuple[str, ...], items: list[tuple[str, int, int]], positions: dict[str, list[int]]
) -> list[int]:
    starts = positions.get(phrase[0])
    if not starts:
        return []
    n = len(phrase)
    return [
        i
        for i in starts
        if i + n <= len(items) and all(items[i + k][0] == phrase[k] for k in range(1, n))
    ]


@dataclass(frozen=True, slots=True, eq=False)
class EntityTerm(Term):
    """An entity by name, variant or QID, optionally with a minimum relevance
    (``kind`` restricts it to places for ``place:NAME``)."""

    written: str
    #: name keys (case-folded) and QIDs (upper case): no key can be both.
    keyset: frozenset[str]
    min_relevance: int = 0
    op: Comparison = ">="
    kind: str | None = None

    def field_name(self) -> str:
        return "place" if self.kind == "place" else "entity"

    def describe(self) -> str:
        text = f"{self.field_name()}:{_quote(self.written)}"
        if self.min_relevance or self.op != ">=":
            text += f"{self.op}{self.min_relevance}"
        return text

    def keys(self) -> frozenset[str]:
        # Upper case Q and digits is a QID; a case-folded name key never is
        # (the document's keys follow the same rule).
        return frozenset(("q:" if _QID_KEY.fullmatch(k) else "e:") + k for k in self.keyset)

    def _found(self, doc: Document) -> list[int]:
        index = doc.entity_index
        out: set[int] = set()
        for key in self.keyset:
            found = index.get(key)
            if found:
                out.update(found)
        return sorted(i for i in out if self._accepts(doc.entities[i]))

    def matches(self, doc: Document) -> bool:
        # One set operation in C (it walks the smaller side: places come with
        # dozens of aliases); relevance and kind only for the entities found.
        if self.keyset.isdisjoint(doc.entity_keys):
            return False
        if self.kind is None and self.min_relevance == 0 and self.op == ">=":
            return True
        return bool(self._found(doc))

    def _accepts(self, entity: Entity) -> bool:
        if self.kind is not None and entity.kind != self.kind:
            return False
        if self.min_relevance == 0 and self.op == ">=":
            return True
        return _compare(entity.relevance, self.op, self.min_relevance)

    def hit(self, doc: Document) -> Hit:
        found = self._found(doc)
        entities = [doc.entities[i] for i in found]
        return Hit(
            self.describe(),
            self.field_name(),
            ", ".join(e.name for e in entities),
            tuple(Span(m.section, m.start, m.end) for e in entities for m in e.mentions),
        )


ENTITY_LABELS = frozenset(
    [
        "PERSON",
        "NORP",
        "FAC",
        "ORG",
        "GPE",
        "LOC",
        "PRODUCT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
        "DATE",
        "TIME",
        "PERCENT",
        "MONEY",
        "QUANTITY",
        "ORDINAL",
        "CARDINAL",
    ]
)
ENTITY_KINDS = {
    "person": "person",
    "organisation": "organisation",
    "organization": "organisation",
    "place": "place",
    "event": "event",
    "other": "other",
}


@dataclass(frozen=True, slots=True, eq=False)
class EntityType(Term):
    """Some entity of an OntoNotes label (``type:PERSON``) or ninjs kind (``type:place``)."""

    label: str | None
    kind: str | None

    def field_name(self) -> str:
        return "type"

    def describe(self) -> str:
        return f"type:{self.label or self.kind}"

    def keys(self) -> frozenset[str]:
        return frozenset({f"t:{self.label}" if self.label else f"k:{self.kind}"})

    def matches(self, doc: Document) -> bool:
        if self.label is not None:
            return self.label in doc.labels
        return self.kind in doc.kinds

    def hit(self, doc: Document) -> Hit:
        entities = [
            e
            for e in doc.entities
            if (e.type.upper() == self.label if self.label else e.kind == self.kind)
        ]
        return Hit(
            self.describe(),
            "type",
            ", ".join(e.name for e in entities),
            tuple(Span(m.section, m.start, m.end) for e in entities for m in e.mentions),
        )


@dataclass(frozen=True, slots=True, eq=False)
class Topic(Term):
    """An IPTC Media Topic; an article tagged with a narrower topic has it too."""

    qcode: str
    name: str | None

    def field_name(self) -> str:
        return "topic"

    def describe(self) -> str:
        return f"topic:{self.qcode}"

    def keys(self) -> frozenset[str]:
        return frozenset({"tp:" + self.qcode})

    def matches(self, doc: Document) -> bool:
        return self.qcode in doc.topics

    def hit(self, doc: Document) -> Hit:
        return Hit(self.describe(), "topic", doc.topics.get(self.qcode, self.qcode))


@dataclass(frozen=True, slots=True, eq=False)
class Fact(Term):
    """A field with one value per article: source agency, language or version kind."""

    name: Literal["source", "language", "version"]
    value: str
    written: str

    def field_name(self) -> str:
        return self.name

    def describe(self) -> str:
        return f"{self.name}:{_quote(self.written)}"

    def keys(self) -> frozenset[str]:
        if self.name == "source":
            return frozenset({"s:" + self.value})
        if self.name == "language":
            return frozenset({"l:" + self.value.split("-", 1)[0]})
        return frozenset({"v:" + self.value})

    def _actual(self, doc: Document) -> str | None:
        if self.name == "source":
            return doc.source
        if self.name == "language":
            return doc.language
        return doc.kind

    def matches(self, doc: Document) -> bool:
        actual = self._actual(doc)
        if actual is None:
            return False
        if self.name == "language":
            # language:en matches en-GB; language:en-gb matches only that.
            return actual == self.value or actual.startswith(self.value + "-")
        return actual == self.value

    def hit(self, doc: Document) -> Hit:
        return Hit(self.describe(), self.name, self._actual(doc) or "")


def _compare(actual: int, op: Comparison, value: int) -> bool:
    if op == "<":
        return actual < value
    if op == "<=":
        return actual <= value
    if op == ">":
        return actual > value
    if op == ">=":
        return actual >= value
    return actual == value


@dataclass(frozen=True, slots=True, eq=False)
class Urgency(Term):
    """IPTC urgency (1 = flash ... 9 = lowest). An article with none never matches."""

    op: Comparison
    value: int

    def field_name(self) -> str:
        return "urgency"

    def describe(self) -> str:
        return f"urgency{self.op}{self.value}"

    def keys(self) -> frozenset[str]:
        return frozenset(f"u:{u}" for u in range(1, 10) if _compare(u, self.op, self.value))

    def matches(self, doc: Document) -> bool:
        return doc.urgency is not None and _compare(doc.urgency, self.op, self.value)

    def hit(self, doc: Document) -> Hit:
        return Hit(self.describe(), "urgency", str(doc.urgency))


@dataclass(frozen=True, slots=True, eq=False)
class Place(Term):
    """A place entity by GeoNames id, or any place in a country by ISO code."""

    geonames_id: int | None
    country: str | None

    def field_name(self) -> str:
        return "country" if self.country else "place"

    def describe(self) -> str:
        return f"country:{self.country}" if self.country else f"place:{self.geonames_id}"

    def keys(self) -> frozenset[str]:
        return frozenset({f"c:{self.country}" if self.country else f"g:{self.geonames_id}"})

    def _found(self, doc: Document) -> list[int]:
        if self.country is not None:
            return doc.countries.get(self.country, [])
        return doc.geonames.get(self.geonames_id or -1, [])

    def matches(self, doc: Document) -> bool:
        return bool(self._found(doc))

    def hit(self, doc: Document) -> Hit:
        entities = [doc.entities[i] for i in self._found(doc)]
        return Hit(
            self.describe(),
            self.field_name(),
            ", ".join(e.name for e in entities),
            tuple(Span(m.section, m.start, m.end) for e in entities for m in e.mentions),
        )


@dataclass(frozen=True, slots=True, eq=False)
class And(Node):
    items: tuple[Node, ...]

    def matches(self, doc: Document) -> bool:
        # A plain loop: this is the hot path, and all() with a generator costs more.
        for item in self.items:  # noqa: SIM110
            if not item.matches(doc):
                return False
        return True

    def hits(self, doc: Document, out: list[Hit]) -> None:
        for item in self.items:
            item.hits(doc, out)

    def describe(self) -> str:
        return " AND ".join(_grouped(item) for item in self.items)

    def children(self) -> tuple[Node, ...]:
        return self.items


@dataclass(frozen=True, slots=True, eq=False)
class Or(Node):
    items: tuple[Node, ...]

    def matches(self, doc: Document) -> bool:
        for item in self.items:  # noqa: SIM110
            if item.matches(doc):
                return True
        return False

    def hits(self, doc: Document, out: list[Hit]) -> None:
        for item in self.items:
            if item.matches(doc):
                item.hits(doc, out)

    def describe(self) -> str:
        return " OR ".join(_grouped(item) for item in self.items)

    def children(self) -> tuple[Node, ...]:
        return self.items


@dataclass(frozen=True, slots=True, eq=False)
class Not(Node):
    item: Node

    def matches(self, doc: Document) -> bool:
        return not self.item.matches(doc)

    def describe(self) -> str:
        return "NOT " + _grouped(self.item)

    def children(self) -> tuple[Node, ...]:
        return (self.item,)


def _grouped(node: Node) -> str:
    return f"({node.describe()})" if isinstance(node, And | Or) else node.describe()


def terms(node: Node) -> Iterator[Term]:
    """Every leaf of the tree, left to right."""
    if isinstance(node, Term):
        yield node
    for child in node.children():
        yield from terms(child)


@dataclass(frozen=True, slots=True, eq=False)
class Query:
    """A parsed query: its text as written and its tree."""

    text: str
    root: Node

    def matches(self, doc: Document) -> bool:
        return self.root.matches(doc)

    def explain(self, doc: Document) -> list[Hit]:
        """The terms that hold for ``doc`` and where (empty when the query does not match)."""
        if not self.root.matches(doc):
            return []
        out: list[Hit] = []
        self.root.hits(doc, out)
        return out

    def reason(self, doc: Document) -> str:
        """One line a person can read: which terms matched."""
        return describe_hits(self.explain(doc))


def describe_hits(hits: list[Hit]) -> str:
    """One line a person can read from :meth:`Query.explain`'s hits ("" for none)."""
    if not hits:
        return ""
    return "matched " + "; ".join(f"{h.term} ({h.value})" if h.value else h.term for h in hits)


# --- the parser --------------------------------------------------------------

FIELDS = (
    "entity",
    "type",
    "topic",
    "keyword",
    "text",
    "headline",
    "source",
    "language",
    "urgency",
    "place",
    "country",
    "version",
)
_ALIASES = {"lang": "language", "kind": "version", "entity_type": "type"}
_QID = re.compile(r"[Qq][0-9]+")
_QID_KEY = re.compile(r"Q[0-9]+")
_DIGITS = re.compile(r"[0-9]+")
_ISO2 = re.compile(r"[A-Za-z]{2}")
_QCODE = re.compile(r"medtop:[0-9]{8}")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


class _Parser:
    def __init__(self, text: str, vocabulary: Vocabulary) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.count = 0
        self.vocabulary = vocabulary

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != "END":
            self.i += 1
        return tok

    def error(self, message: str, tok: Token | None = None) -> QueryError:
        return QueryError(message, column=(tok or self.tok).column)

    def parse(self) -> Node:
        if self.tok.kind == "END":
            raise self.error("empty query: expected a term")
        node = self.parse_or()
        rest = self.tokens[self.i]
        if rest.kind == ")":
            raise self.error("unexpected ')' without a matching '('")
        if rest.kind != "END":
            raise self.error(f"unexpected {rest.text!r}")
        return node

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"query nested deeper than {MAX_DEPTH} levels")

    def parse_or(self) -> Node:
        self._enter()
        items = [self.parse_and()]
        while self.tok.kind == "OR":
            self.advance()
            items.append(self.parse_and())
        self.depth -= 1
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self) -> Node:
        items = [self.parse_unary()]
        while self.tok.kind in ("AND", "NOT", "(", "WORD", "PHRASE"):
            if self.tok.kind == "AND":
                self.advance()
            items.append(self.parse_unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self) -> Node:
        if self.tok.kind == "NOT":
            self.advance()
            self._enter()
            node = Not(self.parse_unary())
            self.depth -= 1
            return node
        return self.parse_primary()

    def parse_primary(self) -> Node:
        tok = self.tok
        if tok.kind == "(":
            self.advance()
            node = self.parse_or()
            if self.tok.kind != ")":
                raise self.error("expected ')'")
            self.advance()
            return node
        if tok.kind in ("WORD", "PHRASE"):
            self.count += 1
            if self.count > MAX_TERMS:
                raise self.error(f"more than {MAX_TERMS} terms in one query")
            return self.parse_term()
        if tok.kind == "END":
            raise self.error("expected a term at the end of the query")
        if tok.kind in ("AND", "OR"):
            raise self.error(f"expected a term before {tok.text!r}")
        if tok.kind == ")":
            raise self.error("expected a term before ')'")
        raise self.error(f"unexpected {tok.text!r}: expected a term")

    def parse_term(self) -> Node:
        tok = self.advance()
        nxt = self.tok
        if tok.kind == "WORD" and nxt.kind == ":" and nxt.start == tok.end:
            self.advance()
            return self.parse_field(tok)
        if tok.kind == "WORD" and nxt.kind == "CMP":
            name = _ALIASES.get(tok.text.lower(), tok.text.lower())
            if name != "urgency":
                raise self.error(f"{tok.text!r} cannot be compared; only urgency can", nxt)
            self.advance()
            return self.urgency(nxt.text, nxt)
        if tok.kind == "WORD" and nxt.kind == ":":
            raise self.error("no space allowed before ':'", nxt)
        return self.text_term(tok.text, tok, headline_only=False)

    def value(self, field: str, after: Token) -> Token:
        tok = self.tok
        if tok.kind not in ("WORD", "PHRASE") or tok.start != after.end:
            raise self.error(f"expected a value right after '{field}:'")
        self.advance()
        if tok.kind == "WORD":
            # Values such as medtop:16000000 contain colons: join adjacent pieces.
            end, text = tok.end, tok.text
            while (
                self.tok.kind == ":"
                and self.tok.start == end
                and self.peek().kind == "WORD"
                and self.peek().start == end + 1
            ):
                self.advance()
                piece = self.advance()
                text += ":" + piece.text
                end = piece.end
            return Token("WORD", text, tok.start, end)
        return tok

    def parse_field(self, name_tok: Token) -> Node:
        field_name = _ALIASES.get(name_tok.text.lower(), name_tok.text.lower())
        if field_name not in FIELDS:
            raise self.error(
                f"unknown field {name_tok.text!r} (fields: {', '.join(FIELDS)})", name_tok
            )
        colon = self.tokens[self.i - 1]
        if field_name == "urgency":
            return self.urgency("=", colon)
        value = self.value(field_name, colon)
        if field_name == "entity":
            return self.entity(value)
        if field_name in ("keyword", "text", "headline"):
            return self.text_term(value.text, value, headline_only=field_name == "headline")
        if field_name == "type":
            return self.entity_type(value)
        if field_name == "topic":
            return self.topic(value)
        if field_name == "source":
            key = name_key(value.text)
            if not key:
                raise self.error("source needs letters or digits", value)
            return Fact("source", key, value.text)
        if field_name == "language":
            if not _LANGUAGE.fullmatch(value.text):
                raise self.error(
                    f"{value.text!r} is not a language code such as en, ko or en-GB", value
                )
            return Fact("language", value.text.casefold(), value.text)
        if field_name in ("place", "country"):
            return self.place(field_name, value)
        kind = value.text.casefold()
        if kind not in VERSION_KINDS:
            raise self.error(f"version is one of {', '.join(VERSION_KINDS)}", value)
        return Fact("version", kind, value.text)

    def number(self, what: str, low: int, high: int) -> int:
        tok = self.tok
        if tok.kind != "WORD" or not _DIGITS.fullmatch(tok.text):
            raise self.error(f"expected a number for {what}")
        value = int(tok.text) if len(tok.text) <= 4 else high + 1
        if not low <= value <= high:
            raise self.error(f"{what} must be between {low} and {high}")
        self.advance()
        return value

    def urgency(self, op: str, op_tok: Token) -> Node:
        if op not in ("<", "<=", ">", ">=", "="):
            raise self.error(f"unknown comparison {op!r}", op_tok)
        value = self.number("urgency", 1, 9)
        return Urgency(op, value)  # type: ignore[arg-type]

    def text_term(self, written: str, tok: Token, *, headline_only: bool) -> Node:
        found = tuple(words(written))
        if not found:
            raise self.error(f"{written!r} has no letters or digits to search for", tok)
        return Text(found, written, headline_only)

    def entity(self, value: Token) -> Node:
        written = value.text
        keyset = self.vocabulary.entity_keys(written)
        if not keyset:
            raise self.error("entity needs a name or a Wikidata QID", value)
        min_relevance, op = 0, ">="
        if self.tok.kind == "CMP":
            op_tok = self.advance()
            if op_tok.text not in (">=", ">"):
                raise self.error("entity relevance takes '>=' or '>' (entity:X>=60)", op_tok)
            op = op_tok.text
            min_relevance = self.number("relevance", 0, 100)
        return EntityTerm(written, keyset, min_relevance, op)  # type: ignore[arg-type]

    def entity_type(self, value: Token) -> Node:
        text = value.text
        if text.upper() in ENTITY_LABELS:
            return EntityType(text.upper(), None)
        kind = ENTITY_KINDS.get(text.casefold())
        if kind is None:
            raise self.error(
                f"unknown entity type {text!r} (an OntoNotes label such as PERSON, ORG, GPE, "
                "or a kind: person, organisation, place, event)",
                value,
            )
        return EntityType(None, kind)

    def topic(self, value: Token) -> Node:
        text = value.text
        if _QCODE.fullmatch(text):
            return Topic(text, self.vocabulary.topic_name.get(text))
        qcode = self.vocabulary.topic_by_name(text)
        if qcode is None:
            raise self.error(
                f"unknown topic {text!r}: give a qcode (medtop:16000000) or an IPTC Media "
                "Topic name",
                value,
            )
        return Topic(qcode, self.vocabulary.topic_name.get(qcode))

    def place(self, field_name: str, value: Token) -> Node:
        text = value.text
        if field_name == "place" and _DIGITS.fullmatch(text) and len(text) <= 10:
            return Place(int(text), None)
        if _ISO2.fullmatch(text):
            return Place(None, text.upper())
        if field_name == "country":
            raise self.error(
                f"country takes an ISO 3166 alpha-2 code such as KR, not {text!r}", value
            )
        keyset = self.vocabulary.entity_keys(text)
        if not keyset:
            raise self.error("place needs a GeoNames id, an ISO code or a name", value)
        return EntityTerm(text, keyset, 0, ">=", kind="place")


def parse(text: str, vocabulary: Vocabulary) -> Query:
    """Parse a subscription query; raises :class:`QueryError` (and only that) when it is bad."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query longer than {MAX_QUERY_CHARS} characters", column=1)
    return Query(text, _Parser(text, vocabulary).parse())


def check(text: str, vocabulary: Vocabulary) -> QueryError | None:
    """The error a query would raise, or None when it parses."""
    try:
        parse(text, vocabulary)
    except QueryError as exc:
        return exc
    return None
