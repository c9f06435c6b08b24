"""Training texts: the labelled record, the seeded splits, pseudo-articles and the vocabulary.

A :class:`Doc` is one training text with its level-1 topic index (or -1 while a
story of a mixed section waits to be routed to one of the topics it allows).
:func:`make_corpus` turns labelled records of several sources into training and
held-out docs; the held-out share of every source is chosen *before anything else
is done* and never trained on.
"""

from __future__ import annotations

import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from streams.classify import build, iptc
from streams.classify.features import term_counts

# Share of every labelled source held out for testing (the shipped recipe's; the
# all-data recipe holds out ALL_DATA_TEST_FRACTION of each of its larger sources).
TEST_FRACTION = 0.2
ALL_DATA_TEST_FRACTION = 0.1
MIN_DF = 2
IPTC_WEIGHT = 1.0
# Legacy Subject Code names and 2019 Media Topics no longer active: shorter, older texts.
EXTRA_IPTC_WEIGHT = 0.5
# ... and no topic gets more than this many texts' worth of them.
EXTRA_MAX_PER_TOPIC = 100.0
# Pseudo-articles: per topic, this many, each made of LONG_MIN..LONG_MAX texts.
LONG_PER_TOPIC = 150
LONG_MIN, LONG_MAX = 4, 14
LONG_WEIGHT = 1.0
# Each pseudo-labelled story is also trained on as its headline and first
# LEAD_SENTENCES sentences (the short form news feeds and digests carry), this much.
LEAD_SENTENCES = 2
LEAD_WEIGHT = 1.0
# A seeded sample of the wire stories is never trained on: we labelled it by hand
# (bench/conll_topics_sample.tsv) to measure the pseudo-labels and the model on
# wire copy. random.Random(WIRE_HOLDOUT_SEED).sample(range(n), WIRE_HOLDOUT).
WIRE_HOLDOUT_SEED = 1996
WIRE_HOLDOUT = 120


@dataclass(frozen=True)
class Doc:
    headline: str
    body: str
    # Index into the level-1 topics, or -1 while a mixed-category story awaits routing.
    label: int
    weight: float = 1.0
    source: str = "huffpost"
    category: str = ""
    allowed: tuple[int, ...] = ()


@dataclass(frozen=True)
class Record:
    """One labelled text as a source gives it (already normalised, see :mod:`.sources`)."""

    headline: str
    body: str
    category: str
    #: which file or set it came from ("huffpost:fewshot", "wikipedia")
    origin: str = ""


@dataclass(frozen=True)
class LabelledSource:
    """A labelled source, its section -> level-1 topics mapping and its training weight."""

    name: str
    records: Sequence[Record]
    mapping: Mapping[str, tuple[str, ...]]
    weight: float = 1.0


@dataclass
class Corpus:
    qcodes: list[str]
    names: list[str]
    train: list[Doc] = field(default_factory=list)
    #: source name -> its held-out docs
    test: dict[str, list[Doc]] = field(default_factory=dict)
    iptc_docs: list[Doc] = field(default_factory=list)


def lead(d: Doc, *, sentences: int | None = None) -> Doc:
    """The headline and first sentences of a story: what a news digest or feed carries.

    ``sentences`` defaults to LEAD_SENTENCES; lines under five words (table rows,
    bylines) do not count.
    """
    count = LEAD_SENTENCES if sentences is None else sentences
    kept = [p for p in d.body.split("\n\n") if len(p.split()) >= 5][:count]
    return Doc(d.headline, "\n\n".join(kept), d.label, d.weight, "lead", d.category, d.allowed)


def wire_holdout(n: int) -> set[int]:
    """Positions of the wire stories kept out of training (the hand-labelled sample)."""
    return set(random.Random(WIRE_HOLDOUT_SEED).sample(range(n), min(n, WIRE_HOLDOUT)))


def split(n: int, *, seed: int, fraction: float) -> tuple[list[int], list[int]]:
    """Seeded (train, held-out) index lists; the held-out list is sorted."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    cut = round(n * fraction)
    return sorted(order[cut:]), sorted(order[:cut])


def iptc_tree(
    records: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, list[str]], dict[str, tuple[str, str]]]:
    """Active qcode -> path from level 1, and qcode -> (name, definition)."""
    paths = build._active_paths(records)
    texts: dict[str, tuple[str, str]] = {}
    for qcode in paths:
        record = records[qcode]
        name = str(record["Name (en-GB)"]).strip()
        definition = record["Definition (en-GB)"]
        texts[qcode] = (name, str(definition).strip() if build._present(definition) else "")
    return paths, texts


def make_corpus(
    sources: Sequence[LabelledSource],
    iptc_records: Mapping[str, Mapping[str, Any]],
    *,
    seed: int,
    test_fraction: float,
    extra_iptc: Sequence[tuple[str, str, str]] = (),
) -> Corpus:
    """Training and held-out docs of every labelled source, plus the IPTC texts.

    Each source is split on its own (same seed), so a source's held-out share
    does not depend on what other sources are trained beside it.
    """
    names_by_qcode = iptc.topic_names()
    qcodes = list(names_by_qcode)
    index = {q: i for i, q in enumerate(qcodes)}
    corpus = Corpus(qcodes=qcodes, names=list(names_by_qcode.values()))
    for source in sources:
        unknown: Counter[str] = Counter()

        def doc(
            record: Record,
            source: LabelledSource = source,
            unknown: Counter[str] = unknown,
        ) -> Doc | None:
            allowed = source.mapping.get(record.category)
            if allowed is None:
                unknown[record.category] += 1
                return None
            ids = tuple(index[q] for q in allowed)
            return Doc(
                headline=record.headline,
                body=record.body,
                label=ids[0] if len(ids) == 1 else -1,
                weight=source.weight,
                source=source.name,
                category=record.category,
                allowed=ids,
            )

        train_ids, test_ids = split(len(source.records), seed=seed, fraction=test_fraction)
        corpus.train.extend(d for i in train_ids if (d := doc(source.records[i])) is not None)
        corpus.test[source.name] = [
            d for i in test_ids if (d := doc(source.records[i])) is not None
        ]
        if unknown:
            print(
                f"note: {source.name} sections not in the mapping, left out: {dict(unknown)}",
                file=sys.stderr,
            )

    paths, texts = iptc_tree(iptc_records)
    for qcode, path in sorted(paths.items()):
        name, definition = texts[qcode]
        topic = build.taught_topic(path)
        corpus.iptc_docs.append(
            Doc(
                headline=name,
                body=definition,
                label=index[topic],
                weight=IPTC_WEIGHT if len(path) <= 2 else IPTC_WEIGHT * 0.5,
                source="iptc",
                category=topic,
                allowed=(index[topic],),
            )
        )
    extra_per_topic = Counter(topic for _, _, topic in extra_iptc)
    for headline, body, topic in extra_iptc:
        corpus.iptc_docs.append(
            Doc(
                headline=headline,
                body=body,
                label=index[topic],
                weight=EXTRA_IPTC_WEIGHT * min(1.0, EXTRA_MAX_PER_TOPIC / extra_per_topic[topic]),
                source="iptc-extra",
                category=topic,
                allowed=(index[topic],),
            )
        )
    return corpus


def capped(docs: Sequence[Doc], caps: Mapping[str, int], *, seed: int) -> list[Doc]:
    """``docs`` with at most ``caps[key]`` of each capped group, a seeded choice, order kept.

    A key is ``SOURCE:SECTION`` (``wikipedia:Armed conflicts and attacks``) or a source
    name alone (every section of it); groups not named are kept whole.
    """
    if not caps:
        return list(docs)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        key = f"{d.source}:{d.category}"
        if key in caps:
            groups[key].append(i)
        elif d.source in caps:
            groups[d.source].append(i)
    dropped: set[int] = set()
    rng = random.Random(seed)
    for key, members in sorted(groups.items()):
        limit = caps[key]
        if len(members) > limit:
            dropped.update(rng.sample(members, len(members) - limit))
    return [d for i, d in enumerate(docs) if i not in dropped]


def long_docs(docs: Sequence[Doc], *, n_topics: int, seed: int) -> list[Doc]:
    """Pseudo-articles: several texts of one topic joined, as long as a short wire story."""
    rng = random.Random(seed)
    by_topic: dict[int, list[Doc]] = defaultdict(list)
    for d in docs:
        # Wire stories are long already; pseudo-articles stand in for them.
        if d.label >= 0 and d.source != "conll":
            by_topic[d.label].append(d)
    out: list[Doc] = []
    for topic in range(n_topics):
        pool = by_topic.get(topic, [])
        if len(pool) < LONG_MIN:
            continue
        for _ in range(LONG_PER_TOPIC):
            parts = rng.sample(pool, min(len(pool), rng.randint(LONG_MIN, LONG_MAX)))
            body = "\n\n".join(f"{p.headline}. {p.body}" for p in parts[1:])
            out.append(
                Doc(
                    headline=parts[0].headline,
                    body=f"{parts[0].body}\n\n{body}",
                    label=topic,
                    weight=LONG_WEIGHT,
                    source="long",
                    allowed=(topic,),
                )
            )
    return out


def build_vocabulary(docs: Iterable[Doc]) -> list[str]:
    """Terms found in at least MIN_DF training texts, sorted."""
    df: Counter[str] = Counter()
    for d in docs:
        df.update(term_counts(headline=d.headline, body=d.body).keys())
    return sorted(term for term, n in df.items() if n >= MIN_DF)
