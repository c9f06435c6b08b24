"""Grouping: mentions into one entity each, with one type; short names to full names.

Mentions with the same name key start in one group; acronyms join their
expansions, spellings of one gazetteer entry join each other, one-word names
join the one longer name they end ("Lions" -> "Samsung Lions"), and a surname
alone joins the person it stands for (:func:`resolve_short_names`).
:func:`propagate` then finds the mentions of people the model missed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from streams.nlp import canonical
from streams.nlp.gazetteer import ORG_TYPES, gazetteer
from streams.nlp.geo import country_code, resolve_place
from streams.nlp.linking import PLACE_LABELS, gazetteer_type, link, story_countries
from streams.nlp.mentions import (
    BODY_ORDER,
    Item,
    Section,
    paragraph_of,
    paragraph_starts,
    reading_order,
)

#: Tie-break between labels with as many votes: a person over an organisation
#: over a place, the more specific over the vaguer.
LABEL_PRIORITY = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "LAW")


class Groups:
    """Union-find over cluster ids; each item starts in the cluster of its name key."""

    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self.parent: dict[str, str] = {}
        self.item_cluster: list[str] = []
        for item in items:
            self.parent.setdefault(item.key, item.key)
            self.item_cluster.append(item.key)

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # Keep the root that comes first in the text, so results do not
            # depend on the order of unions.
            first = min(ra, rb, key=self._first_order)
            self.parent[ra if first == rb else rb] = first

    def _first_order(self, key: str) -> int:
        return min(
            (i.order for i, c in zip(self.items, self.item_cluster, strict=True) if c == key),
            default=2 * BODY_ORDER,
        )

    def clusters(self) -> dict[str, list[Item]]:
        out: dict[str, list[Item]] = {}
        for item, key in zip(self.items, self.item_cluster, strict=True):
            out.setdefault(self.find(key), []).append(item)
        return out


def vote(items: Sequence[Item]) -> str:
    votes = Counter(i.label for i in items)
    best = max(votes.values())
    tied = [label for label, n in votes.items() if n == best]
    return min(tied, key=lambda x: LABEL_PRIORITY.index(x) if x in LABEL_PRIORITY else 99)


def is_full_person(item: Item) -> bool:
    if item.label != "PERSON" and canonical.looks_like_korean_name(item.text):
        # "Kim Yo-jong" is a person whatever the model called it.
        item.label = "PERSON"
    return (
        item.label == "PERSON"
        and len(item.tokens) >= 2
        and canonical.looks_like_person_name(item.tokens)
    )


def entity_label(items: Sequence[Item]) -> str:
    """The entity's type: one label for every mention of it in the document.

    A person's full name or a title makes a person; a product noun after a
    mention a product ("Maybach sedan"); otherwise the gazetteer's type, a
    company suffix, the descriptors wires put before names ("label ADOR",
    "member Danielle"; :mod:`streams.nlp.cues`), or the head word of the name
    ("... Foundation", "... Peninsula") corrects the model; otherwise the
    majority label wins.
    """
    if any(canonical.looks_like_korean_name(i.text) for i in items):
        return "PERSON"
    if any(_is_index(i) for i in items):
        return "PRODUCT"  # reported as "other": an index is not an organisation
    if any(len(i.tokens) > 1 and canonical.name_key(i.tokens[-1]) in LAW_HEADS for i in items):
        return "LAW"  # "Capital Market Act", not an organisation
    if any(_in_business_group(i) for i in items):
        return "ORG"
    if any(len(i.tokens) > 1 and canonical.name_key(i.tokens[-1]) in FACILITY_HEADS for i in items):
        return "FAC"  # "Gyeongbu Expressway": a road, not its operator
    if all(canonical.is_acronym(i.text) for i in items) and vote(items) == "PERSON":
        return "ORG"  # "TSMC": people are not written as acronyms
    # A name of two or more words the gazetteer knows under one other type is that,
    # whatever its shape ("Cheong Wa Dae") or the words before it ("N. Korea").
    known = gazetteer_type({i.text for i in items if len(i.tokens) > 1}, "PERSON")
    if known is not None and known != "PERSON":
        return known
    if any(i.label == "PERSON" and i.title for i in items):
        return "PERSON"
    described = {i.cue for i in items if i.cue is not None}
    if "PERSON" not in described and gazetteer_type({i.text for i in items}, "PERSON") == "ORG":
        return "ORG"  # "Netflix": a company the gazetteer knows, not a person
    if any(canonical.has_corporate_suffix(i.text) for i in items) or described == {"ORG"}:
        return "ORG"  # before the name's shape: "Hanwha Aerospace" looks like a person's
    if described == {"WORK_OF_ART"}:
        return "WORK_OF_ART"  # quoted: "Squid Game" is a title, whatever its shape
    if described == {"EVENT"}:
        return "EVENT"  # quoted with a competition's word: "'Tour Down Under'"
    if any(is_full_person(i) for i in items):
        return "PERSON"
    if described == {"PRODUCT"}:
        return "PRODUCT"
    if described == {"GPE"}:
        return "GPE"  # "the island of Giglio": a place, though the model saw a surname
    label = vote(items)
    longest = max(items, key=lambda i: (len(i.tokens), -i.order))
    head = canonical.name_key(longest.tokens[-1])
    if label != "PERSON":
        known = gazetteer_type({i.text for i in items}, label)
        if known is not None:
            return known
    if described == {"PERSON"}:
        return "PERSON"
    if (
        label == "PERSON"
        and all(len(i.tokens) == 1 for i in items)
        and resolve_place(longest.text) is not None
    ):
        return "GPE"  # "anti-Pyongyang": a city the model took for a surname
    multi_word = label == "PERSON" or len(longest.tokens) > 1
    if head in canonical.ORG_WORDS and multi_word and label in ("PERSON", "NORP", "GPE", "LOC"):
        return "ORG"
    if label == "NORP" and head in canonical.GEO_WORDS:
        return "LOC"
    if (
        label in PLACE_LABELS
        and any(i.label == "ORG" for i in items)
        and all(resolve_place(i.text) is None for i in items)
    ):
        return "ORG"
    return label


#: Last words of the names of laws and treaties.
LAW_HEADS: frozenset[str] = frozenset({"act", "law", "bill", "treaty", "accord", "constitution"})
#: Last words of the names of indexes and published rates.
INDEX_HEADS: frozenset[str] = frozenset({"index", "indexes", "indices", "rate", "rates"})


def _is_index(item: Item) -> bool:
    """ "KOSPI", "Korea Composite Stock Price Index", "Korea Interbank Offered Rates": a
    market or economic index or a published rate."""
    key = canonical.name_key(item.text)
    return key in canonical.MARKET_INDEXES or (
        len(item.tokens) > 1 and key.split()[-1] in INDEX_HEADS
    )


#: Last words of the names of roads, bridges and other structures.
FACILITY_HEADS: frozenset[str] = frozenset(
    {"expressway", "highway", "bridge", "tunnel", "stadium", "dam"}
)


def _in_business_group(item: Item) -> bool:
    """ "Samsung", "Hanwha Ocean", "Yonhap Infomax": a Korean business group or its firm."""
    return (
        canonical.name_key(item.tokens[0]) in canonical.BUSINESS_GROUPS
        and resolve_place(item.text) is None
    )


def group(items: list[Item]) -> Groups:
    groups = Groups(items)
    # Acronyms written after their expansion: "National Intelligence Service (NIS)".
    for item in items:
        if item.acronym is not None:
            acr = canonical.name_key(item.acronym)
            groups.parent.setdefault(acr, acr)
            groups.union(item.key, acr)
    # Different spellings of one gazetteer entry: "U.S." and "United States".
    countries = story_countries(groups.items)
    by_entry: dict[str, str] = {}
    for root, members in groups.clusters().items():
        entry = link(members, entity_label(members), countries)
        if entry is not None:
            if entry.id in by_entry:
                groups.union(by_entry[entry.id], root)
            else:
                by_entry[entry.id] = root
    merge_short_orgs(groups)
    mark_brand_names(groups)
    resolve_short_names(groups)
    return groups


def _is_company(members: Sequence[Item], label: str) -> bool:
    """An organisation the story shows to be one: a legal form, a descriptor or a role."""
    return label == "ORG" and any(
        i.cue == "ORG" or canonical.has_corporate_suffix(i.text) for i in members
    )


def mark_brand_names(groups: Groups) -> None:
    """Names that start with a company of the story name its services, not people.

    "Coupang Wow" and "Coupang Eats" look like personal names, but a story that
    writes "Coupang Inc." or "Coupang founder" shows Coupang to be a company: those
    mentions get its cue, so they are typed as organisations and "Coupang" alone is
    never taken for their surname.
    """
    clusters = groups.clusters()
    labels = {root: entity_label(members) for root, members in clusters.items()}
    companies = {m[0].key for root, m in clusters.items() if _is_company(m, labels[root])}
    for root, members in clusters.items():
        if labels[root] != "PERSON":
            continue
        if any(canonical.looks_like_korean_name(i.text) or i.title for i in members):
            continue
        if any(len(i.tokens) > 1 and canonical.name_key(i.tokens[0]) in companies for i in members):
            for item in members:
                item.cue = "ORG"


#: In Korean wire copy "the North" and "the South" are the two Koreas.
_KOREAS = {"north": "KP", "south": "KR"}


def merge_short_orgs(groups: Groups) -> None:
    """One-word names that end exactly one longer name of the story ("Lions" after
    "Samsung Lions", "Assembly" after "National Assembly"), or, for organisations,
    start exactly one ("Jeonbuk" and "Jeonbuk Hyundai Motors"), and "the North" when
    the story names North Korea, join that entity."""
    clusters = groups.clusters()
    labels = {root: entity_label(members) for root, members in clusters.items()}
    last_word: dict[str, set[str]] = {}
    first_word: dict[str, set[str]] = {}
    country_root: dict[str, str] = {}
    for root, members in clusters.items():
        for item in members:
            if len(item.tokens) > 1 and labels[root] == "ORG":
                last_word.setdefault(canonical.name_key(item.tokens[-1]), set()).add(root)
                first_word.setdefault(canonical.name_key(item.tokens[0]), set()).add(root)
            code = country_code(item.text) if labels[root] == "GPE" else None
            if code is not None:
                country_root.setdefault(code, root)
    _merge_heads(groups, clusters, labels)
    _merge_club_forms(groups, clusters, labels)
    people = {
        key
        for root, members in clusters.items()
        if labels[root] == "PERSON"
        for item in members
        if is_full_person(item)
        for key in surname_keys(item)
    }
    for root, members in clusters.items():
        if any(len(i.tokens) > 1 for i in members):
            continue
        key = members[0].key
        if key in _KOREAS and _KOREAS[key] in country_root:
            groups.union(country_root[_KOREAS[key]], root)
            continue
        if labels[root] not in ("ORG", "GPE", "NORP") and not (
            labels[root] == "PERSON" and key not in people  # "Galaxy" of "LA Galaxy"
        ):
            continue
        owners = last_word.get(key, set()) - {root}
        if not owners and labels[root] == "ORG":
            owners = first_word.get(key, set()) - {root}  # "Jeonbuk", "Jeonbuk Hyundai Motors"
        if len(owners) == 1:
            groups.union(next(iter(owners)), root)
            for item in members:
                if item.label == "PERSON":
                    item.label = "ORG"  # the short name is the club's, not a person's


def _merge_club_forms(
    groups: Groups, clusters: dict[str, list[Item]], labels: dict[str, str]
) -> None:
    """ "Ulsan HD FC" and "Ulsan HD": a club with and without its "FC" is one, when both
    are organisations ("Los Angeles FC" is not the city)."""
    orgs = {members[0].key: root for root, members in clusters.items() if labels[root] == "ORG"}
    for key, root in orgs.items():
        if key.endswith(" fc") and key[:-3] in orgs:
            groups.union(orgs[key[:-3]], root)


_OF = re.compile(r"^(.+?) of ", re.IGNORECASE)
_NAMED_BODIES = frozenset({"ORG", "FAC"})


def _merge_heads(groups: Groups, clusters: dict[str, list[Item]], labels: dict[str, str]) -> None:
    """A name that is the head of exactly one longer name of the story before its "of"
    ("National Museum" and "National Museum of Korea") joins it."""
    heads: dict[str, set[str]] = {}
    for root, members in clusters.items():
        if labels[root] not in _NAMED_BODIES | PLACE_LABELS:
            continue
        for item in members:
            m = _OF.match(item.text)
            if m is not None:
                heads.setdefault(canonical.name_key(m.group(1)), set()).add(root)
    for root, members in clusters.items():
        if labels[root] not in _NAMED_BODIES | PLACE_LABELS:
            continue
        keys = {i.key for i in members}
        if len(keys) != 1:
            continue
        owners = heads.get(keys.pop(), set()) - {root}
        if len(owners) == 1:
            groups.union(next(iter(owners)), root)


def surname_keys(item: Item) -> set[str]:
    tokens = [t for t in item.tokens if canonical.name_key(t) not in {"jr", "sr", "ii", "iii"}]
    return {canonical.name_key(tokens[0]), canonical.name_key(tokens[-1])}


def resolve_short_names(groups: Groups) -> None:
    """Point each one-word person mention at the full name it stands for.

    "Kim" goes to the Kim whose full name was written last in the same
    paragraph before it; failing that, to the Kim the article introduced
    first (its protagonist). Two different full names never merge.
    """
    clusters = groups.clusters()
    labels = {root: entity_label(members) for root, members in clusters.items()}
    full: dict[str, list[Item]] = {}  # cluster root -> its full-name mentions
    for root, members in clusters.items():
        names = [i for i in members if is_full_person(i)]
        if names and labels[root] == "PERSON":
            full[root] = names
    by_token: dict[str, list[str]] = {}
    for root, names in full.items():
        for key in set().union(*(surname_keys(i) for i in names)):
            by_token.setdefault(key, []).append(root)
    companies = {root for root, members in clusters.items() if _is_company(members, labels[root])}
    for index, item in enumerate(groups.items):
        if len(item.tokens) != 1 or canonical.is_acronym(item.text):
            continue
        if groups.find(groups.item_cluster[index]) in companies:
            continue  # "Coupang" in a story about Coupang Inc.
        candidates = by_token.get(item.key, [])
        if not candidates:
            continue
        if item.label != "PERSON" and (
            resolve_place(item.text) is not None
            or gazetteer().find(item.text, types=ORG_TYPES) is not None
        ):
            continue
        chosen = choose_bearer(item, candidates, full)
        groups.item_cluster[index] = chosen
        item.label = "PERSON"
        item.ambiguous = len(candidates) > 1


def choose_bearer(item: Item, candidates: list[str], full: dict[str, list[Item]]) -> str:
    if len(candidates) == 1:
        return candidates[0]
    recent = [
        (name.order, root)
        for root in candidates
        for name in full[root]
        if name.section == item.section
        and name.paragraph == item.paragraph
        and name.order < item.order
    ]
    if recent:
        return max(recent)[1]
    return min(candidates, key=lambda root: min(n.order for n in full[root]))


def name_tokens(item: Item) -> list[str]:
    return [t for t in item.tokens if canonical.name_key(t) not in {"jr", "sr", "ii", "iii"}]


def propagate(
    groups: Groups, *, headline: str, body: str, taken: list[tuple[Section, int, int]]
) -> None:
    """Add the mentions of a person the model missed, by names found elsewhere in the story.

    A person's full names (and its gazetteer name and aliases) are searched
    everywhere; so is the surname or given name alone when no other person of
    the story shares it ("Woo said ..." after "Woo Won-shik"). A match inside
    another span never counts.
    """
    forms: dict[str, str] = {}
    tokens: dict[str, set[str]] = {}
    full: dict[str, list[Item]] = {}
    for root, members in groups.clusters().items():
        if entity_label(members) != "PERSON":
            continue
        names = {i.text for i in members if len(i.tokens) >= 2}
        entry = link(members, "PERSON", frozenset())
        if entry is not None:
            names.add(entry.name)
            names.update(a for a in entry.aliases if len(a.split()) >= 2)
        for name in names:
            forms.setdefault(name, root)
        for item in members:
            if is_full_person(item):
                full.setdefault(root, []).append(item)
                words = name_tokens(item)
                for word in {words[0], words[-1]}:
                    tokens.setdefault(word, set()).add(root)
    shared: dict[str, list[str]] = {}
    for word, roots in tokens.items():
        if (
            word not in forms
            and len(word) > 1
            and not canonical.is_acronym(word)
            and resolve_place(word) is None
            and gazetteer().find(word, types=ORG_TYPES) is None
        ):
            if len(roots) == 1:
                forms[word] = next(iter(roots))
            else:
                shared[word] = sorted(roots)
    starts = paragraph_starts(body)
    sections: tuple[tuple[Section, str], ...] = (("headline", headline), ("body", body))
    for form in sorted([*forms, *shared], key=lambda f: (-len(f), f)):
        pattern = re.compile(r"(?<![\w\-])" + re.escape(form) + r"(?![\w]|-\w)")
        for section, text in sections:
            for m in pattern.finditer(text):
                if any(
                    sec == section and m.start() < end and start < m.end()
                    for sec, start, end in taken
                ):
                    continue
                taken.append((section, m.start(), m.end()))
                item = Item(
                    label="PERSON",
                    model_label="PERSON",
                    text=form,
                    section=section,
                    start=m.start(),
                    end=m.end(),
                    paragraph=paragraph_of(m.start(), starts) if section == "body" else None,
                    order=reading_order(section, m.start()),
                    title=canonical.title_before(text, m.start()),
                    ambiguous=form in shared,
                )
                groups.items.append(item)
                if form in shared:
                    groups.item_cluster.append(choose_bearer(item, shared[form], full))
                else:
                    groups.item_cluster.append(forms[form])
