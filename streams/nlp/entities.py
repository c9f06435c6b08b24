"""Named entities of an article: a pure function of the model and the text.

NER sees the headline and the body only. The parser has already removed wire
markup (slug, ATTN notes, dateline, end marker, copyright), which is what keeps
"ATTN" or the dateline's "(Yonhap)" from turning into entities; the clean-up
in :mod:`streams.nlp.canonical` drops what slips through.

The model's spans become canonical entities here: mentions grouped into one
entity per person, organisation or place of the story, with one type, a
canonical name, Wikidata/GeoNames links from the shipped gazetteer,
coordinates for places, and relevance and confidence scores.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from schemas import Entity, Mention
from streams.nlp import canonical
from streams.nlp.gazetteer import ORG_TYPES, PERSON_TYPES, GazetteerEntry, gazetteer
from streams.nlp.geo import country_code, resolve_place
from streams.nlp.relevance import confidence, relevance

#: Labels worth subscribing to. Numeric and temporal labels (DATE, CARDINAL,
#: MONEY ...) are left out: they are not things an alert names.
NAMED_LABELS: frozenset[str] = frozenset(
    {
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
    }
)

PARAGRAPH_SEPARATOR = "\n\n"

Section = Literal["headline", "body"]


@dataclass(frozen=True)
class EntityInput:
    """The text NER sees for one article."""

    headline: str
    body: str  # paragraphs joined with PARAGRAPH_SEPARATOR
    language: str = "en"
    dateline: tuple[str, ...] = ()  # dateline cities as written ("BEIJING")


def entity_input(
    *,
    headline: str,
    paragraphs: Sequence[str],
    language: str = "en",
    dateline: Sequence[str] = (),
) -> EntityInput:
    return EntityInput(
        headline=headline,
        body=PARAGRAPH_SEPARATOR.join(paragraphs),
        language=language,
        dateline=tuple(dateline),
    )


def model_covers(nlp: Any, language: str) -> bool:
    """Whether the model was trained on the article's language (BCP-47 primary subtag)."""
    return bool(language.split("-")[0].lower() == str(nlp.lang).lower())


@dataclass(frozen=True)
class _Span:
    label: str
    text: str
    section: Section
    start: int
    end: int


def _spans(doc: Any, section: Section, labels: frozenset[str]) -> list[_Span]:
    out: list[_Span] = []
    for ent in doc.ents:
        if ent.label_ not in labels:
            continue
        tokens = list(ent)
        # "the United States" and "United States" are one entity; the article
        # is not part of the name, so drop it from the span.
        while len(tokens) > 1 and tokens[0].lower_ == "the":
            tokens = tokens[1:]
        start = tokens[0].idx
        end = tokens[-1].idx + len(tokens[-1].text)
        text = doc.text[start:end]
        if text.endswith(("'s", "’s")):
            text, end = text[:-2], end - 2
        if text.strip():
            out.append(_Span(ent.label_, text, section, start, end))
    return out


def _paragraph_of(offset: int, starts: Sequence[int]) -> int:
    return max(bisect_right(starts, offset) - 1, 0)


def _paragraph_starts(body: str) -> list[int]:
    starts = [0]
    pos = body.find(PARAGRAPH_SEPARATOR)
    while pos != -1:
        starts.append(pos + len(PARAGRAPH_SEPARATOR))
        pos = body.find(PARAGRAPH_SEPARATOR, pos + len(PARAGRAPH_SEPARATOR))
    return starts


#: Tie-break between labels with as many votes: a person over an organisation
#: over a place, the more specific over the vaguer.
_LABEL_PRIORITY = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "LAW")
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@dataclass
class _Item:
    """One cleaned mention on its way to an entity."""

    label: str  # the model's label, or PERSON when a title was split off
    model_label: str  # the model's label as given
    text: str
    section: Section
    start: int
    end: int
    paragraph: int | None
    order: int
    title: str | None = None
    acronym: str | None = None
    ambiguous: bool = False

    @property
    def key(self) -> str:
        return canonical.name_key(canonical.strip_corporate_suffix(self.text))

    @property
    def tokens(self) -> list[str]:
        return self.text.split()


def _is_sentence_junk(span: _Span, text: str) -> bool:
    """A span that is not a name: a currency prefix ("US$"), or a one-word
    sentence opener that is an ordinary word ("Specifically," "Building").

    Sentence openers ending in -ly, -ed or -ing, or followed by a comma, that
    the gazetteer does not know and the text never repeats, are not names.
    """
    if text[span.end : span.end + 1] == "$":
        return True
    if " " in span.text or not span.text[:1].isupper():
        return False
    before = text[: span.start].rstrip(" \"'“‘")
    if before and before[-1] not in ".!?:\n":
        return False
    if resolve_place(span.text) is not None or gazetteer().matches(span.text):
        return False
    word = span.text.casefold()
    if len(word) > 4 and word.endswith(("ly", "ed", "ing")):
        return True
    followed_by_comma = text[span.end : span.end + 1] == ","
    return followed_by_comma and text.count(span.text) == 1


def _order(section: Section, start: int) -> int:
    """Position in reading order: the headline, then the body."""
    return start if section == "headline" else _BODY_ORDER + start


_BODY_ORDER = 1 << 24
_HYPHEN_TAIL = re.compile(r"-[a-z]+\b")
_EDGE_WORDS = re.compile(r"^(?:and|or|of|with|to)\s+|\s+(?:and|or|of|with|to)$")


def _repair(span: _Span, text: str) -> _Span:
    """Mend span edges a model may cut wrongly.

    "Kim Yo-" or "Kim Jong" before "-un" get their hyphenated syllable back,
    a lone Korean family name its given name ("Min" + " Joong-ki"), a piece of
    a gazetteer name ("Great Hall", "Forces Korea", "Cheong") the whole name
    the text writes (and that name's type), and "Xi and" loses its "and".
    """
    label, start, end = span.label, span.start, span.end
    if end > start and text[end - 1] == "-":
        end -= 1
    tail = _HYPHEN_TAIL.match(text, end)
    if tail and end > start and text[end - 1].isalpha():
        end = tail.end()
    company = _COMPANY_TAIL.match(text, end)
    if company and text[start:end][:1].isupper():
        label, end = "ORG", company.end()  # "Korean" + " Air Co."
    given = _KOREAN_GIVEN_AFTER.match(text, end)
    if given and text[start:end].casefold() in canonical.KOREAN_SURNAMES:
        label, end = "PERSON", given.end()
    for name, name_type in gazetteer().names_containing(text[start:end]):
        offset = name.find(text[start:end])
        begin = start - offset
        if begin >= 0 and text.startswith(name, begin):
            after = text[begin + len(name) : begin + len(name) + 1]
            before = text[begin - 1 : begin] if begin else ""
            if not after.isalnum() and not before.isalnum():
                label, start, end = name_type, begin, begin + len(name)
                break
    inner = text[start:end]
    while (m := _EDGE_WORDS.search(inner)) is not None:
        if m.start() == 0:
            start += m.end()
        else:
            end = start + m.start()
        inner = text[start:end]
    if (label, start, end) == (span.label, span.start, span.end):
        return span
    return _Span(label, inner, span.section, start, end)


_COMPANY_TAIL = re.compile(r"(?:\s+[A-Z][\w&'\-]*){0,3}\s+(?:Co|Corp|Inc|Ltd)\.")
_KOREAN_GIVEN_AFTER = re.compile(r" [A-Z][a-z]+-[a-z]+\b")
_KOREAN_NAME = re.compile(r"(?<![\w\-])([A-Z][a-z]+) [A-Z][a-z]+-[a-z]+(?![\w\-])")


def _korean_names(text: str, section: Section, taken: Sequence[tuple[int, int]]) -> list[_Span]:
    """Korean names the model missed: a family name and a hyphenated given name ("Min Joong-ki").

    Yonhap romanises given names with a hyphen, which makes the pattern reliable.
    """
    out = []
    for m in _KOREAN_NAME.finditer(text):
        if m.group(1).casefold() not in canonical.KOREAN_SURNAMES:
            continue
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        out.append(_Span("PERSON", m.group(0), section, m.start(), m.end()))
    return out


def _items(spans: Iterable[_Span], *, headline: str, body: str) -> list[_Item]:
    starts = _paragraph_starts(body)
    items: list[_Item] = []
    repaired: list[_Span] = []
    for span in spans:
        text = headline if span.section == "headline" else body
        if canonical.is_dateline_agency(text, span.start, span.end):
            continue
        repaired.append(_repair(span, text))
    for section, text in (("headline", headline), ("body", body)):
        taken = [(s.start, s.end) for s in repaired if s.section == section]
        repaired.extend(_korean_names(text, section, taken))  # type: ignore[arg-type]
    seen: set[tuple[str, int, int]] = set()
    for span in sorted(repaired, key=lambda s: (_order(s.section, s.start), -s.end)):
        text = headline if span.section == "headline" else body
        if (span.section, span.start, span.end) in seen or any(
            sec == span.section and start <= span.start and span.end <= end
            for sec, start, end in seen
        ):
            continue  # two spans repaired into the same name, or one inside another
        seen.add((span.section, span.start, span.end))
        if _is_sentence_junk(span, text):
            continue
        cleaned = canonical.clean_mention(span.text, span.start)
        if cleaned is None:
            continue
        label, name, start = span.label, cleaned.text, cleaned.start
        title, rest = canonical.split_title(name, allow_single=span.label == "PERSON")
        if title is not None:
            label, start, name = "PERSON", cleaned.end - len(rest), rest
        elif span.label == "PERSON":
            title = canonical.title_before(text, start)
        acronym = cleaned.acronym or canonical.acronym_after(text, cleaned.end)
        if acronym is not None and not canonical.acronym_matches(acronym, name):
            acronym = None
        items.append(
            _Item(
                label=label,
                model_label=span.label,
                text=name,
                section=span.section,
                start=start,
                end=start + len(name),
                paragraph=_paragraph_of(start, starts) if span.section == "body" else None,
                order=_order(span.section, start),
                title=title,
                acronym=acronym,
            )
        )
    return items


class _Groups:
    """Union-find over cluster ids; each item starts in the cluster of its name key."""

    def __init__(self, items: list[_Item]) -> None:
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
            default=2 * _BODY_ORDER,
        )

    def clusters(self) -> dict[str, list[_Item]]:
        out: dict[str, list[_Item]] = {}
        for item, key in zip(self.items, self.item_cluster, strict=True):
            out.setdefault(self.find(key), []).append(item)
        return out


def _vote(items: Sequence[_Item]) -> str:
    votes = Counter(i.label for i in items)
    best = max(votes.values())
    tied = [label for label, n in votes.items() if n == best]
    return min(tied, key=lambda x: _LABEL_PRIORITY.index(x) if x in _LABEL_PRIORITY else 99)


def _is_full_person(item: _Item) -> bool:
    if item.label != "PERSON" and canonical.looks_like_korean_name(item.text):
        # "Kim Yo-jong" is a person whatever the model called it.
        item.label = "PERSON"
    return (
        item.label == "PERSON"
        and len(item.tokens) >= 2
        and canonical.looks_like_person_name(item.tokens)
    )


def _gazetteer_type(forms: Iterable[str], label: str) -> str | None:
    """The type the gazetteer gives a name, when it knows the name under one type only."""
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        types = {m.entry.type for m in gazetteer().matches(form)}
        if label in types:
            return label
        if len(types) == 1:
            return types.pop()
    return None


def _label(items: Sequence[_Item]) -> str:
    """The entity's type: one label for every mention of it in the document.

    A person's full name or a title makes a person; otherwise the gazetteer's
    type, a company suffix, or the head word of the name ("... Foundation",
    "... Peninsula") corrects the model; otherwise the majority label wins.
    """
    if any(_is_full_person(i) or (i.label == "PERSON" and i.title) for i in items):
        return "PERSON"
    label = _vote(items)
    longest = max(items, key=lambda i: (len(i.tokens), -i.order))
    head = canonical.name_key(longest.tokens[-1])
    if label != "PERSON":
        known = _gazetteer_type({i.text for i in items}, label)
        if known is not None:
            return known
    if any(canonical.has_corporate_suffix(i.text) for i in items):
        return "ORG"
    multi_word = label == "PERSON" or len(longest.tokens) > 1
    if head in canonical.ORG_WORDS and multi_word and label in ("PERSON", "NORP", "GPE", "LOC"):
        return "ORG"
    if label == "NORP" and head in canonical.GEO_WORDS:
        return "LOC"
    if (
        label in _PLACE_LABELS
        and any(i.label == "ORG" for i in items)
        and all(resolve_place(i.text) is None for i in items)
    ):
        return "ORG"
    return label


def _types_for(label: str) -> frozenset[str]:
    if label == "PERSON":
        return PERSON_TYPES
    if label == "ORG":
        return ORG_TYPES
    return frozenset()


def _link(items: Sequence[_Item], label: str, countries: frozenset[str]) -> GazetteerEntry | None:
    """The gazetteer entry the entity is, trying its longest written forms first."""
    forms = sorted({i.text for i in items}, key=lambda t: (-len(t.split()), -len(t), t))
    for form in forms:
        if label in _PLACE_LABELS:
            entry = resolve_place(form, countries=countries)
        elif label in ("PERSON", "ORG"):
            entry = gazetteer().find(form, types=_types_for(label))
        else:
            entry = None
        if entry is not None:
            return entry
    return None


def _group(items: list[_Item]) -> _Groups:
    groups = _Groups(items)
    # Acronyms written after their expansion: "National Intelligence Service (NIS)".
    for item in items:
        if item.acronym is not None:
            acr = canonical.name_key(item.acronym)
            groups.parent.setdefault(acr, acr)
            groups.union(item.key, acr)
    # Different spellings of one gazetteer entry: "U.S." and "United States".
    countries = _countries(groups)
    by_entry: dict[str, str] = {}
    for root, members in groups.clusters().items():
        entry = _link(members, _label(members), countries)
        if entry is not None:
            if entry.id in by_entry:
                groups.union(by_entry[entry.id], root)
            else:
                by_entry[entry.id] = root
    _merge_short_orgs(groups)
    _resolve_short_names(groups)
    return groups


#: In Korean wire copy "the North" and "the South" are the two Koreas.
_KOREAS = {"north": "KP", "south": "KR"}


def _merge_short_orgs(groups: _Groups) -> None:
    """One-word names that end exactly one longer name of the story ("Lions" after
    "Samsung Lions", "Assembly" after "National Assembly"), and "the North" when
    the story names North Korea, join that entity."""
    clusters = groups.clusters()
    labels = {root: _label(members) for root, members in clusters.items()}
    last_word: dict[str, set[str]] = {}
    country_root: dict[str, str] = {}
    for root, members in clusters.items():
        for item in members:
            if len(item.tokens) > 1 and labels[root] == "ORG":
                last_word.setdefault(canonical.name_key(item.tokens[-1]), set()).add(root)
            code = country_code(item.text) if labels[root] == "GPE" else None
            if code is not None:
                country_root.setdefault(code, root)
    for root, members in clusters.items():
        if any(len(i.tokens) > 1 for i in members):
            continue
        key = members[0].key
        if key in _KOREAS and _KOREAS[key] in country_root:
            groups.union(country_root[_KOREAS[key]], root)
            continue
        if labels[root] not in ("ORG", "GPE", "NORP"):
            continue
        owners = last_word.get(key, set()) - {root}
        if len(owners) == 1:
            groups.union(next(iter(owners)), root)


def _countries(groups: _Groups) -> frozenset[str]:
    codes = set()
    for members in groups.clusters().values():
        for item in members:
            if item.label in _PLACE_LABELS:
                code = country_code(item.text)
                if code:
                    codes.add(code)
    return frozenset(codes)


def _surname_keys(item: _Item) -> set[str]:
    tokens = [t for t in item.tokens if canonical.name_key(t) not in {"jr", "sr", "ii", "iii"}]
    return {canonical.name_key(tokens[0]), canonical.name_key(tokens[-1])}


def _resolve_short_names(groups: _Groups) -> None:
    """Point each one-word person mention at the full name it stands for.

    "Kim" goes to the Kim whose full name was written last in the same
    paragraph before it; failing that, to the Kim the article introduced
    first (its protagonist). Two different full names never merge.
    """
    clusters = groups.clusters()
    full: dict[str, list[_Item]] = {}  # cluster root -> its full-name mentions
    for root, members in clusters.items():
        names = [i for i in members if _is_full_person(i)]
        if names and _label(members) == "PERSON":
            full[root] = names
    by_token: dict[str, list[str]] = {}
    for root, names in full.items():
        for key in set().union(*(_surname_keys(i) for i in names)):
            by_token.setdefault(key, []).append(root)
    for index, item in enumerate(groups.items):
        if len(item.tokens) != 1 or canonical.is_acronym(item.text):
            continue
        candidates = by_token.get(item.key, [])
        if not candidates:
            continue
        if item.label != "PERSON" and (
            resolve_place(item.text) is not None
            or gazetteer().find(item.text, types=ORG_TYPES) is not None
        ):
            continue
        chosen = _choose_bearer(item, candidates, full)
        groups.item_cluster[index] = chosen
        item.label = "PERSON"
        item.ambiguous = len(candidates) > 1


def _choose_bearer(item: _Item, candidates: list[str], full: dict[str, list[_Item]]) -> str:
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


def _name_tokens(item: _Item) -> list[str]:
    return [t for t in item.tokens if canonical.name_key(t) not in {"jr", "sr", "ii", "iii"}]


def _propagate(
    groups: _Groups, *, headline: str, body: str, taken: list[tuple[Section, int, int]]
) -> None:
    """Add the mentions of a person the model missed, by names found elsewhere in the story.

    A person's full names (and its gazetteer name and aliases) are searched
    everywhere; so is the surname or given name alone when no other person of
    the story shares it ("Woo said ..." after "Woo Won-shik"). A match inside
    another span never counts.
    """
    forms: dict[str, str] = {}
    tokens: dict[str, set[str]] = {}
    full: dict[str, list[_Item]] = {}
    for root, members in groups.clusters().items():
        if _label(members) != "PERSON":
            continue
        names = {i.text for i in members if len(i.tokens) >= 2}
        entry = _link(members, "PERSON", frozenset())
        if entry is not None:
            names.add(entry.name)
            names.update(a for a in entry.aliases if len(a.split()) >= 2)
        for name in names:
            forms.setdefault(name, root)
        for item in members:
            if _is_full_person(item):
                full.setdefault(root, []).append(item)
                words = _name_tokens(item)
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
    starts = _paragraph_starts(body)
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
                item = _Item(
                    label="PERSON",
                    model_label="PERSON",
                    text=form,
                    section=section,
                    start=m.start(),
                    end=m.end(),
                    paragraph=_paragraph_of(m.start(), starts) if section == "body" else None,
                    order=_order(section, m.start()),
                    title=canonical.title_before(text, m.start()),
                    ambiguous=form in shared,
                )
                groups.items.append(item)
                if form in shared:
                    groups.item_cluster.append(_choose_bearer(item, shared[form], full))
                else:
                    groups.item_cluster.append(forms[form])


def _best_form(items: Sequence[_Item]) -> str:
    """The fullest way the article writes the name: not an acronym, most words, most used."""
    counts = Counter(i.text for i in items)
    first: dict[str, int] = {}
    for i in items:
        first.setdefault(i.text, i.order)

    def score(text: str) -> tuple[bool, int, int, int]:
        words = canonical.name_key(canonical.strip_corporate_suffix(text)).split()
        return (not canonical.is_acronym(text), len(words), counts[text], -first[text])

    best = max(counts, key=score)
    stripped = canonical.strip_corporate_suffix(best)
    return stripped if canonical.name_key(stripped) in {i.key for i in items} else best


def _local_id(label: str, name: str) -> str:
    digest = hashlib.sha1(f"{label}:{canonical.name_key(name)}".encode()).hexdigest()
    return f"ws:{digest[:12]}"


def _mention(item: _Item) -> Mention:
    return Mention(
        text=item.text,
        section=item.section,
        paragraph=item.paragraph,
        start=item.start,
        end=item.end,
    )


def _entity(
    members: Sequence[_Item],
    *,
    label: str,
    entry: GazetteerEntry | None,
    body: str,
    lead_end: int,
    in_dateline: bool = False,
    dateline_name: str | None = None,
) -> Entity:
    mentions = [_mention(i) for i in sorted(members, key=lambda i: i.order)]
    if members:
        name = _best_form(members)
        if entry is not None and (label != "PERSON" or len(name.split()) == 1):
            name = entry.name
    else:
        name = entry.name if entry is not None else str(dateline_name)
    titles = [i.title for i in sorted(members, key=lambda i: i.order) if i.title]
    n = len(members)
    return Entity(
        name=name,
        type=label,
        mentions=mentions,
        in_dateline=in_dateline,
        relevance=relevance(
            mentions, body_length=len(body), lead_end=lead_end, in_dateline=in_dateline
        ),
        confidence=confidence(
            label_share=(sum(i.model_label == label for i in members) / n) if n else 0.5,
            linked=entry is not None,
            multi_word_or_repeated=n > 1 or len(name.split()) > 1,
            ambiguous_share=(sum(i.ambiguous for i in members) / n) if n else 0.0,
        ),
        title=titles[0] if titles and label == "PERSON" else None,
        wikidata=entry.wikidata if entry else None,
        uri=entry.uri if entry else None,
        local_id=None if entry is not None and entry.wikidata else _local_id(label, name),
        geo=entry.geo if entry is not None and label in _PLACE_LABELS else None,
    )


def group_mentions(
    spans: Iterable[_Span], *, body: str, headline: str = "", dateline: Sequence[str] = ()
) -> list[Entity]:
    """Canonical entities of one article from the model's spans.

    Mentions are cleaned (see :mod:`streams.nlp.canonical`), grouped (same
    name, acronym and expansion, gazetteer aliases, short names to full
    names), typed consistently, linked to the gazetteer and scored. Dateline
    cities become place entities too (``in_dateline``; without mentions when
    the story does not name them). Sorted by relevance, then name.
    """
    spans = list(spans)
    items = _items(spans, headline=headline, body=body)
    groups = _group(items)
    taken = [(s.section, s.start, s.end) for s in spans] + [
        (i.section, i.start, i.end) for i in items
    ]
    _propagate(groups, headline=headline, body=body, taken=taken)
    starts = _paragraph_starts(body)
    lead_end = starts[1] if len(starts) > 1 else len(body)
    clusters = groups.clusters()
    countries = _countries(groups)
    built: list[tuple[list[_Item], str, GazetteerEntry | None]] = []
    for members in clusters.values():
        label = _label(members)
        built.append((members, label, _link(members, label, countries)))
    dateline_entries: dict[str, GazetteerEntry | None] = {}
    for city in dateline:
        dateline_entries.setdefault(city.title(), resolve_place(city, countries=countries))
    entities: list[Entity] = []
    claimed: set[str] = set()
    for members, label, entry in built:
        named_in_dateline = any(
            (entry is not None and d is not None and d.id == entry.id)
            or (canonical.name_key(city) in {i.key for i in members})
            for city, d in dateline_entries.items()
        )
        if named_in_dateline:
            claimed.update(
                city
                for city, d in dateline_entries.items()
                if (entry is not None and d is not None and d.id == entry.id)
                or canonical.name_key(city) in {i.key for i in members}
            )
        entities.append(
            _entity(
                members,
                label=label,
                entry=entry,
                body=body,
                lead_end=lead_end,
                in_dateline=named_in_dateline,
            )
        )
    for city, d_entry in dateline_entries.items():
        if city not in claimed:
            entities.append(
                _entity(
                    [],
                    label="GPE",
                    entry=d_entry,
                    body=body,
                    lead_end=lead_end,
                    in_dateline=True,
                    dateline_name=city,
                )
            )
    return sorted(entities, key=lambda e: (-e.relevance, e.name))


def extract_entities(
    nlp: Any,
    inputs: Sequence[EntityInput],
    *,
    labels: frozenset[str] = NAMED_LABELS,
    batch_size: int = 32,
) -> list[list[Entity]]:
    """Entities of each input, in order. One ``nlp.pipe`` call for the whole batch.

    An input in a language the model does not cover gets no entities (an
    English model tags Korean text with noise); see :func:`model_covers`.
    """
    covered = [item for item in inputs if model_covers(nlp, item.language)]
    texts: list[str] = []
    for item in covered:
        texts.extend((item.headline, item.body))
    docs = iter(nlp.pipe(texts, batch_size=batch_size))
    results: list[list[Entity]] = []
    for item in inputs:
        if not model_covers(nlp, item.language):
            results.append([])
            continue
        head_doc, body_doc = next(docs), next(docs)
        spans = _spans(head_doc, "headline", labels) + _spans(body_doc, "body", labels)
        results.append(
            group_mentions(spans, body=item.body, headline=item.headline, dateline=item.dateline)
        )
    return results
