from __future__ import annotations

import random

import pytest

from schemas.enriched import Geo
from streams.alerts import Document, Percolator, anchor, document, parse
from streams.alerts.percolator import clauses, default_cost
from tests.alerts.factory import TOPICS, VOCABULARY, entity, record

WORDS = [
    "missile",
    "launch",
    "summit",
    "talks",
    "strike",
    "port",
    "union",
    "market",
    "shares",
    "rally",
    "storm",
    "rain",
]
PEOPLE = ["Kim Jong-un", "Xi Jinping", "Lee Jae-myung", "Park Ji-sung", "Ana Lopez"]
ORGS = ["Samsung", "Hanwha Aerospace", "Korea Exchange", "KCNA"]
PLACES = [("Seoul", 1835848, "KR"), ("Pyongyang", 1871859, "KP"), ("Busan", 1838524, "KR")]
SOURCES = ["Yonhap", "KCNA", "AP"]


def random_record(rng: random.Random, n: int) -> Document:
    people = rng.sample(PEOPLE, rng.randint(0, 2))
    orgs = rng.sample(ORGS, rng.randint(0, 1))
    places = rng.sample(PLACES, rng.randint(0, 2))
    names = people + orgs + [p[0] for p in places]
    headline = " ".join(rng.sample(WORDS, 2) + names[:1])
    body = " ".join(rng.choices(WORDS, k=8) + names)
    text = (headline, body)
    ents = [entity(p, "PERSON", text, relevance=rng.randint(0, 100)) for p in people]
    ents += [entity(o, "ORG", text, relevance=rng.randint(0, 100)) for o in orgs]
    ents += [
        entity(
            name,
            "GPE",
            text,
            relevance=rng.randint(0, 100),
            geo=Geo(country_code=cc, geonames_id=gid, feature="city"),
        )
        for name, gid, cc in places
    ]
    rec = record(
        headline,
        body,
        entities=ents,
        topics=tuple(rng.sample(sorted(TOPICS), rng.randint(0, 2))),
        source=rng.choice([*SOURCES, None]),
        language=rng.choice(["en", "en-GB", "ko"]),
        urgency=rng.choice([None, *range(1, 10)]),
        version=rng.choice([0, 1, 1, 2, 3]),
        signals=rng.choice([(), (), ("correction",)]),
        story_id=f"s{n}",
    )
    return document(rec, VOCABULARY)


def random_term(rng: random.Random) -> str:
    kind = rng.randrange(12)
    if kind == 0:
        return f'entity:"{rng.choice(PEOPLE + ORGS)}"'
    if kind == 1:
        return f'entity:"{rng.choice(PEOPLE)}">={rng.choice([0, 30, 60, 90])}'
    if kind == 2:
        return f"type:{rng.choice(['PERSON', 'ORG', 'GPE', 'place', 'event'])}"
    if kind == 3:
        return f"topic:{rng.choice(sorted(TOPICS))}"
    if kind == 4:
        return rng.choice(WORDS)
    if kind == 5:
        return f'"{" ".join(rng.sample(WORDS, rng.choice([2, 2, 3])))}"'
    if kind == 6:
        return f"source:{rng.choice(SOURCES)}"
    if kind == 7:
        return f"language:{rng.choice(['en', 'ko', 'en-gb'])}"
    if kind == 8:
        return f"urgency{rng.choice(['<', '<=', '>', '>=', '='])}{rng.randint(1, 9)}"
    if kind == 9:
        name, gid, cc = rng.choice(PLACES)
        return rng.choice([f"place:{gid}", f"country:{cc}", f"place:{name}"])
    if kind == 10:
        return f"version:{rng.choice(['first', 'update', 'correction', 'kill'])}"
    if rng.random() < 0.5:
        return f'headline:"{" ".join(rng.sample(WORDS, rng.randint(2, 3)))}"'
    return f"headline:{rng.choice(WORDS)}"


def random_query(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth >= 3 or roll < 0.35:
        term = random_term(rng)
        return f"NOT {term}" if rng.random() < 0.15 else term
    op = rng.choice([" AND ", " OR ", " "])
    parts = [random_query(rng, depth + 1) for _ in range(rng.randint(2, 3))]
    text = op.join(f"({p})" for p in parts)
    return f"NOT ({text})" if rng.random() < 0.1 else text


def test_index_finds_exactly_what_brute_force_finds() -> None:
    rng = random.Random(11)
    index = Percolator()
    for i in range(3000):
        index.add(f"sub-{i:04d}", parse(random_query(rng), VOCABULARY))
    docs = [random_record(rng, n) for n in range(300)]
    total = candidates = 0
    for doc in docs:
        indexed = sorted(index.match(doc))
        brute = index.brute_force(doc)
        assert indexed == brute, doc.story_id
        total += len(brute)
        candidates += len(index.candidates(doc))
    # The comparison means something only if both match often and the index
    # skips most subscriptions.
    assert total > 300
    assert candidates < 0.6 * 3000 * len(docs)
    # ... and only if most queries are clauses (a few are kept whole), some of them
    # wider than a row, with verified literals (phrases, relevance) among them.
    kinds = [lit.ident[0] for lit in index._literals if lit is not None]
    assert 0 < kinds.count("q") < 0.1 * 3000
    assert kinds.count("v") > 10
    assert index._wide and index._bare


def test_adds_removals_and_replacements_between_articles_keep_matching_exact() -> None:
    # Freed clause slots, literal numbers and subscription numbers are reused, and
    # postings are rebuilt lazily: every article must still see exactly brute force.
    rng = random.Random(5)
    index = Percolator()
    docs = [random_record(rng, n) for n in range(40)]
    live: list[str] = []
    filed = 0
    for step in range(1500):
        roll = rng.random()
        if live and roll < 0.35:
            index.remove(live.pop(rng.randrange(len(live))))
        else:
            query = parse(random_query(rng), VOCABULARY)
            filed += len(clauses(query.root))
            if live and roll < 0.5:
                index.add(rng.choice(live), query)  # replaced
            else:
                live.append(f"sub-{step}")
                index.add(live[-1], query)
        if step % 25 == 0:
            doc = rng.choice(docs)
            assert sorted(index.match(doc)) == index.brute_force(doc), step
    assert len(index) == len(live)
    assert index._top < filed / 2  # slots were reused
    for sid in live:
        index.remove(sid)
    assert index._literal_of == {} and index._keyset == set() and index._bare == set()


def test_removed_subscription_no_longer_matches_and_leaves_no_postings() -> None:
    index = Percolator()
    doc = document(record("missile launch", "x"), VOCABULARY)
    index.add("a", parse("missile", VOCABULARY))
    index.add("b", parse("NOT football", VOCABULARY))
    assert sorted(index.match(doc)) == ["a", "b"]
    assert index.remove("a") and index.remove("b")
    assert not index.remove("a")
    assert index.match(doc) == set()
    assert index._literal_of == {} and index._keyset == set() and index._exact == {}
    assert index._bare == set() and index._anchor_of == {} and index._literals_of == {}
    assert all(not filed for filed in index._filed)


def test_subscriptions_with_the_same_query_share_their_literals_but_leave_one_by_one() -> None:
    index = Percolator()
    doc = document(record("missile launch", "x"), VOCABULARY)
    index.add("a", parse("missile", VOCABULARY))
    index.add("b", parse("missile ", VOCABULARY))
    assert len(index._literal_of) == 1
    assert sorted(index.match(doc)) == ["a", "b"]
    index.remove("a")
    assert index.match(doc) == {"b"}
    assert len(index._literal_of) == 1


def test_replacing_a_subscription_reindexes_it() -> None:
    index = Percolator()
    doc = document(record("missile launch", "x"), VOCABULARY)
    index.add("a", parse("football", VOCABULARY))
    index.add("a", parse("missile", VOCABULARY))
    assert len(index) == 1
    assert index.match(doc) == {"a"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("missile", {"w:missile"}),
        ("language:en AND entity:Q56226", {"q:Q56226", "e:kim jong un"}),  # the cheaper part
        ("missile OR source:kcna", {"w:missile", "s:kcna"}),
        ("NOT source:kcna", None),
        ("missile OR NOT source:kcna", None),
        ("urgency<1", set()),
        ("NOT source:kcna AND missile", {"w:missile"}),
    ],
)
def test_anchor(text: str, expected: set[str] | None) -> None:
    found = anchor(parse(text, VOCABULARY).root)
    assert (None if found is None else set(found)) == expected


@pytest.mark.parametrize("rare", ["b:missile launch", "b:launch site"])
def test_a_phrase_is_anchored_on_its_rarest_pair_of_words(rare: str) -> None:
    def cost(key: str) -> float:
        return 0.001 if key == rare else 0.5

    assert anchor(parse('"missile launch site"', VOCABULARY).root, cost) == {rare}
    assert anchor(parse('"missile launch"', VOCABULARY).root, cost) == {"b:missile launch"}


def test_the_word_table_ranks_common_words_above_rare_ones() -> None:
    assert default_cost("w:the") > 0.9
    assert default_cost("w:the") > default_cost("w:missile") > default_cost("w:qzxwvk")
    # A name is no commoner than its rarest word; a headline word is rarer than a body word.
    assert default_cost("e:kim jong un") <= default_cost("w:jong")
    assert default_cost("h:missile") < default_cost("w:missile")


def test_a_query_left_with_only_nots_is_ruled_out_by_the_key_it_excludes() -> None:
    index = Percolator()
    index.add("a", parse("missile AND NOT source:kcna AND NOT type:PERSON", VOCABULARY))
    index.add("b", parse("missile", VOCABULARY))
    plain = document(record("missile launch", "x", source="Yonhap"), VOCABULARY)
    kcna = document(record("missile launch", "x", source="KCNA"), VOCABULARY)
    person = document(record("missile", "x", entities=(("Kim Jong-un", "PERSON"),)), VOCABULARY)
    assert index.evaluations(plain) == 0  # no test runs: array operations only
    assert sorted(index.match(plain)) == ["a", "b"]
    assert sorted(index.match(kcna)) == ["b"]
    assert sorted(index.match(person)) == ["b"]
    index.remove("a")
    assert set(index._literal_of) == {("x", frozenset({"w:missile"}))}


def test_an_article_with_several_names_of_one_entity_counts_the_entity_once() -> None:
    index = Percolator()
    index.add("a", parse('entity:"Kim Jong-un" AND NOT source:kcna', VOCABULARY))
    index.add("b", parse('entity:"Kim Jong-un" AND urgency<=3 AND "missile launch"', VOCABULARY))
    index.add("c", parse('entity:"Kim Jong-un" AND "watches missile launch"', VOCABULARY))
    rec = record(
        "Kim Jong Un watches missile launch",
        "Kim Jong-un said",
        entities=[
            entity("Kim Jong-un", "PERSON", ("", ""), wikidata="Q56226", surface="Kim Jong Un")
        ],
        urgency=2,
    )
    doc = document(rec, VOCABULARY)
    assert {"e:kim jong un", "q:Q56226"} <= doc.keys
    assert index.evaluations(doc) == 1  # the phrase of three words, once
    assert sorted(index.match(doc)) == index.brute_force(doc) == ["a", "b", "c"]
    later = document(record("Kim Jong Un watches", "x", urgency=2), VOCABULARY)
    assert index.match(later) == set(index.brute_force(later)) == set()


def test_a_query_too_wide_for_clauses_is_checked_whole_and_still_matches_exactly() -> None:
    index = Percolator()
    pairs = " AND ".join(f"({a} OR {b})" for a, b in zip(WORDS[:6], WORDS[6:], strict=True))
    index.add("wide", parse(pairs, VOCABULARY))
    index.add(
        "nots",
        parse("NOT (missile AND launch AND summit AND talks AND strike AND port)", VOCABULARY),
    )
    assert [lit.ident[0] for lit in index._literals if lit is not None].count("q") == 1
    hit = document(record("missile market", "shares talks storm port"), VOCABULARY)
    both = document(record("missile launch summit", "talks strike port"), VOCABULARY)
    neither = document(record("union", "x"), VOCABULARY)
    for doc in (hit, both, neither):
        assert sorted(index.match(doc)) == index.brute_force(doc)
    assert sorted(index.match(hit)) == ["nots", "wide"]
    assert index.match(both) == {"wide"}
    assert index.match(neither) == {"nots"}


def test_many_literals_in_one_clause_are_checked_beyond_the_row_width() -> None:
    index = Percolator()
    index.add("all", parse(" AND ".join(WORDS[:7]), VOCABULARY))
    index.add("none", parse("missile " + " ".join(f"NOT {w}" for w in WORDS[1:7]), VOCABULARY))
    every = document(record("x", " ".join(WORDS[:7])), VOCABULARY)
    most = document(record("x", " ".join(WORDS[:6])), VOCABULARY)
    alone = document(record("missile", "x"), VOCABULARY)
    assert index._wide
    assert index.match(every) == {"all"}
    assert index.match(most) == set()
    assert index.match(alone) == {"none"}


def test_a_name_that_looks_like_a_qid_in_lower_case_is_indexed_as_a_name() -> None:
    from streams.alerts import EntityNames, Vocabulary

    vocabulary = Vocabulary(
        topic_parent={},
        topic_name={},
        entity_variants=lambda value: EntityNames(frozenset({"q7"}), frozenset()),
    )
    rec = record("Q7 unveiled", "x", entities=(("Q7", "PRODUCT"),))
    doc = document(rec, vocabulary)
    index = Percolator()
    index.add("a", parse('entity:"Audi Q7 car"', vocabulary))
    assert index.brute_force(doc) == sorted(index.match(doc)) == ["a"]
