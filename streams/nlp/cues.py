"""What the words around a name say about it, the way agency copy writes them.

Wires introduce a name with a descriptor right before it ("Defense giant Hanwha
Aerospace", "K-pop label ADOR", "No. 1 steelmaker POSCO", "fellow member
Danielle") and write products with their kind after them ("the black Maybach
sedan"). Both are surer evidence of the type than a model that has never seen
the name: the CoNLL model calls most unknown Korean company names people.

The other cue is the lack of one: a capitalised common noun opening a sentence
("Courts rejected ...", "Carmakers gathered ground") is an ordinary word. The
list of ordinary English words comes from the installed spaCy model's own
lemmatizer tables (WordNet-derived), read once from disk, so nothing is shipped
or downloaded for it.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path
from typing import Any

from streams.nlp.canonical import EVENT_WORDS, is_title_word
from streams.nlp.geo import resolve_place


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: A lowercase word before a name that says the name is an organisation.
ORG_DESCRIPTORS: frozenset[str] = _words(
    """
    giant company firm label agency operator affiliate subsidiary conglomerate carrier
    airline lender insurer retailer platform startup start-up developer producer supplier
    manufacturer distributor exporter importer brokerage broadcaster newspaper daily outlet
    club franchise chain unit bank group band
    """
)

#: Endings of compound descriptors: automaker, chipmaker, steelmaker, shipbuilder ...
ORG_DESCRIPTOR_ENDINGS: tuple[str, ...] = ("maker", "makers", "builder", "builders")

#: Descriptor heads after which a capitalised sentence opener is the sector, not a name
#: ("Bio giant Samsung Biologics", "Defense giant Hanwha Aerospace").
SECTOR_HEADS: frozenset[str] = _words("giant giants maker makers builder builders")

#: A lowercase word before a name that says the name is a person.
PERSON_DESCRIPTORS: frozenset[str] = _words(
    """
    member members singer actor actress rapper idol player players coach pitcher catcher
    striker defender midfielder goalkeeper golfer skater analyst economist lawyer attorney
    official officials spokesperson spokesman spokeswoman founder aide envoy lawmaker
    legislator nominee candidate suspect victim professor researcher writer author artist
    daughter son wife husband sister brother mother father
    """
)

#: A noun right after a name that makes the name a product ("Maybach sedan"). Not "jet",
#: "plane" or "car": before those wires write the airline or the maker ("Jeju Air jet").
PRODUCT_NOUNS: frozenset[str] = _words(
    """
    sedan sedans limousine limousines suv suvs coupe hatchback minivan smartphone smartphones
    handset handsets
    """
)

#: Weapons and vessels named by their maker's product name: a one-word name (or one that
#: opens with a model code) followed, within three lowercase words, by one of these is the
#: product ("Chunmoo multiple rocket launchers", "KF-21 Boramae fighter jet").
WEAPON_NOUNS: frozenset[str] = _words(
    """
    launcher launchers missile missiles howitzer howitzers tank tanks destroyer destroyers
    frigate frigates submarine submarines drone drones fighter fighters bomber bombers
    helicopter helicopters rocket rockets liner liners ship ships vessel vessels tanker tankers
    ferry ferries warship warships freighter freighters
    """
)

#: "the island of Giglio", "the town of Mirandola": the name after these and "of" is a place.
_PLACE_OF = re.compile(
    r"\b(?:island|islands|town|city|village|port|province|region|county|district|state)"
    r" of $",
    re.IGNORECASE,
)
_WORDS_AFTER = re.compile(r"(?: [a-z][a-z\-]*){1,3}")

#: A lowercase word right after a name (or after its "'s") that makes it an organisation:
#: "Coupang founder Kim Bom-suk", "Coupang's Korea unit", "Hybe shares". People have
#: advisers and spokespeople too, so those are not here.
ORG_ROLES_AFTER: frozenset[str] = _words(
    """
    founder founders ceo chairman chairwoman shares stock stocks affiliate affiliates
    subsidiary subsidiaries unit units headquarters employees workers executives customers
    users subscribers stake shareholders
    """
)

#: A name alone inside quotation marks (a number may end it) is the title of a work.
_OPENING_QUOTES = frozenset({'"', "“", "'", "‘"})
_QUOTE_CLOSED = re.compile(r"(?: \d+)?[.,!?]?[\"”'’](?!\w)")

#: A word after a name that makes a "nationality" a group of people: "NewJeans member".
GROUP_MEMBERS: frozenset[str] = _words("member members")
#: Endings of nationalities and groups of faith, which have members too ("Korean members").
DEMONYM_ENDINGS: tuple[str, ...] = ("an", "ese", "ish", "i", "ch", "ic", "ss", "o")

#: Relative pronouns after ", " that only follow a person ("Danielle, whom the agency ...").
PERSON_PRONOUNS: frozenset[str] = frozenset({"who", "whom"})

_WORD_BEFORE = re.compile(r"([\w\-]+|,)\s*$")
_WORD_AFTER = re.compile(r"^\s*([\w\-]+)")
_ROLE_AFTER = re.compile(r"^(?:['’]s)? ([a-z][\w\-]*)")
_APPOSITION_AFTER = re.compile(r"^, ([A-Za-z][\w\-]*)")


def word_before(text: str, start: int) -> str:
    """The word (or comma) just before ``start``, lowercased; "" at the start."""
    m = _WORD_BEFORE.search(text, max(0, start - 40), start)
    return m.group(1).casefold() if m else ""


def word_after(text: str, end: int) -> str:
    """The word right after ``end`` (no punctuation between), lowercased; "" if none."""
    m = _WORD_AFTER.match(text[end : end + 40])
    return m.group(1).casefold() if m else ""


def descriptor_label(word: str) -> str | None:
    """The label a descriptor word before a name gives it: ``ORG``, ``PERSON`` or None."""
    if word in ORG_DESCRIPTORS or word.endswith(ORG_DESCRIPTOR_ENDINGS):
        return "ORG"
    if word in PERSON_DESCRIPTORS:
        return "PERSON"
    return None


def context_label(text: str, start: int, end: int, *, model_label: str) -> str | None:
    """The label the words around ``text[start:end]`` give the name, if they give one.

    A name alone in quotation marks is a work's title (``WORK_OF_ART``). A "person"
    followed by a product noun is a ``PRODUCT`` ("the black Maybach
    sedan"), and so is a one-word "person" after an indefinite article ("in a
    Maybach"). Otherwise a descriptor before the name decides ("label ADOR",
    "parent company, Hybe"), then the words after it: an organisation's roles
    ("Coupang founder ...", "Coupang's Korea unit"), or a person's apposition
    (", whom ...", ", chairman of ...").
    """
    opening = start - 4 if text[start - 4 : start] == "The " else start
    if (
        text[opening - 1 : opening] in _OPENING_QUOTES
        and not text[opening - 2 : opening - 1].isalnum()
        and _QUOTE_CLOSED.match(text, end)
    ):
        if any(w.casefold() in EVENT_WORDS for w in text[start:end].split()):
            return "EVENT"  # "the 'Tour Down Under'": a race, quoted
        return "WORK_OF_ART"  # "Zootopia 2" and "Avatar: Fire and Ash" are titles
    name = text[start:end]
    coded = any(c.isdigit() for c in name.split()[0]) if name.strip() else False
    unknown_place = model_label in ("GPE", "LOC") and resolve_place(name) is None
    if coded or unknown_place or (model_label not in ("GPE", "LOC", "NORP") and " " not in name):
        kind = _WORDS_AFTER.match(text, end)
        if kind is not None and set(kind.group(0).split()) & WEAPON_NOUNS:
            # "Chunmoo multiple rocket launchers", "KF-21 Boramae fighter", "the Costa
            # Concordia cruise liner" (a known place is where it comes from: "Busan ferry")
            return "PRODUCT"
    if _PLACE_OF.search(text, max(0, start - 20), start):
        return "GPE"  # "the island of Giglio"
    if model_label == "PERSON":
        if word_after(text, end) in PRODUCT_NOUNS:
            return "PRODUCT"
        if " " not in text[start:end] and word_before(text, start) in ("a", "an"):
            return "PRODUCT"
    before = word_before(text, start)
    if before == ",":
        before = word_before(text, text.rindex(",", 0, start))
    label = descriptor_label(before)
    if label is not None:
        return label
    role = _ROLE_AFTER.match(text[end : end + 40])
    if role and role.group(1) in ORG_ROLES_AFTER and model_label in ("PERSON", "ORG"):
        return "ORG"  # not "South Korean stocks" or "Korea unit"
    if (
        role
        and role.group(1) in GROUP_MEMBERS
        and model_label == "NORP"
        and not text[start:end].endswith(DEMONYM_ENDINGS)
    ):
        return "ORG"  # "NewJeans member Hanni", not "Korean members"
    apposition = _APPOSITION_AFTER.match(text[end : end + 40])
    if apposition and (
        apposition.group(1) in PERSON_PRONOUNS or is_title_word(apposition.group(1))
    ):
        return "PERSON"
    return None


@cache
def _lexicon(package: str) -> frozenset[str]:
    from spacy.lookups import Lookups

    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return frozenset()
    tables = sorted(Path(spec.origin).parent.glob("*/lemmatizer/lookups"))
    if not tables:
        return frozenset()
    lookups = Lookups().from_disk(tables[0])
    if not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    words: set[str] = set()
    for pos in ("noun", "verb", "adj", "adv"):
        words.update(w for w in index.get(pos, []) if "_" not in w)
    return frozenset(words)


def common_words(nlp: Any) -> frozenset[str]:
    """Ordinary English words (lowercase base forms) from ``nlp``'s package, or none.

    Read from the lemmatizer tables the English spaCy packages ship, even when the
    lemmatizer itself is not loaded. A model without them gives an empty set, which
    only turns the sentence-opener rule off.
    """
    meta = getattr(nlp, "meta", {}) or {}
    return _lexicon(f"{meta.get('lang', '')}_{meta.get('name', '')}")


def is_common_word(word: str, lexicon: frozenset[str]) -> bool:
    """Whether a word is an ordinary word: itself, or its singular, is in ``lexicon``."""
    w = word.casefold()
    if w in lexicon:
        return True
    return any(w.endswith(s) and w[: -len(s)] in lexicon for s in ("s", "es"))
