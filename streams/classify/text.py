"""Text to lexicon terms, shared by the vocabulary builder and the classifier.

The builder and the classifier must turn text into terms in exactly the same
way, or the lexicon's terms would never meet an article's: this module is the
one definition both use. Changing it changes the generated data file, which
``tests/classify`` will then report as stale until it is rebuilt.

Terms are light stems (plural, ``-ed``/``-ing`` and final ``e`` stripped), so
they are lookup keys rather than words: "trade", "traded" and "trading" all
become ``trad``. Bigrams are two consecutive kept stems joined by a space;
stop words are skipped without breaking a bigram, punctuation breaks one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# A run of letters is a word; punctuation other than apostrophes and hyphens
# ends a phrase, so that bigrams do not straddle a comma or a full stop.
_TOKEN = re.compile(r"[^\W\d_]+|[^\w\s'’\-]|\s-+\s")

# English function words plus the filler that IPTC definitions are written in
# ("all aspects of ...", "matters concerning ..."). Filler that carries a
# little meaning is left to the builder's cross-topic down-weighting instead.
_STOP_WORDS_TEXT = """
    a about above across after again against ago all almost along already also although
    always am among an and another any anyone anything are around as at be became
    because become been before being below between both but by can cannot could did do
    does doing done down during each either else etc even ever every few for from
    further get gets got had has have having he her here hers herself him himself his
    how however if in into is it its itself just least less like made make makes many
    may me might more most much must my myself neither no nor not now of off often on
    once one only onto or other others otherwise our ours ourselves out over own per
    perhaps rather same several shall she should since so some such than that the their
    theirs them themselves then there these they this those though through thus to too
    toward towards under until up upon us very via was we were what whatever when where
    whether which while who whom whose why will with within without would yet you your
    yours yourself
    aspect aspects concerning eg ie include includes included including involve
    involved involves involving item items kind kinds matter matters news particular
    regarding related relating relation specific stories story thing things type types
    usually various way ways well whole
    day days week weeks month months year years time times today yesterday tomorrow
    monday tuesday wednesday thursday friday saturday sunday
    two three four five six seven eight nine ten hundred hundreds thousand thousands
    million millions billion first second third last next new old
    said says say saying told call called calls take took taken give gave given held hold
    holds put set find found keep kept want wanted help helped mark marked marks
    possible high higher highest low lower main top good great large small big long
    part place end lead leading country countries world area areas early earlier late later
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())

# Words the suffix rules would damage, mapped to the key they should get.
_LOOK_INFLECTED = """
    series species bus gas united red bed shed seed need speed feed
    king ring sing wing thing spring string sterling ceiling
"""
_PROTECTED: dict[str, str] = {
    **{w: w for w in _LOOK_INFLECTED.split()},
    # Pairs the rules would merge across topics: care/car, wine/win, plane/plan ...
    **dict.fromkeys(("care", "cares", "cared", "caring"), "care"),
    **dict.fromkeys(("wine", "wines"), "wine"),
    **dict.fromkeys(("plane", "planes"), "plane"),
    **dict.fromkeys(("rape", "raped", "rapes"), "rape"),
    **dict.fromkeys(("hate", "hated"), "hate"),
    **dict.fromkeys(("hope", "hoped", "hopes", "hoping"), "hope"),
    **dict.fromkeys(("site", "sites"), "site"),
}

_VOWELS = frozenset("aeiouy")
# Doubled final letters that belong to the word itself ("shell", "press",
# "buzz") rather than to the inflection ("stopped" -> "stop").
_KEEP_DOUBLE = _VOWELS | frozenset("lsz")


def _fold(text: str) -> str:
    """Lower-case and strip accents so "Café" and "cafe" meet."""
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Reduce a lower-case word to its lookup key.

    Deliberately light: it only has to map the inflections that wire copy uses
    onto the nouns that the vocabulary is written in, and must never merge two
    common words that belong to different topics more often than it helps.
    """
    protected = _PROTECTED.get(word)
    if protected is not None:
        return protected
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith(("sses", "shes", "ches", "xes", "zzes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix):
            base = w[: -len(suffix)]
            if len(base) >= 3 and any(ch in _VOWELS for ch in base):
                if len(base) > 3 and base[-1] == base[-2] and base[-1] not in _KEEP_DOUBLE:
                    base = base[:-1]
                w = base
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def phrases(text: str) -> Iterator[list[str]]:
    """Yield the kept stems of each punctuation-delimited phrase of ``text``."""
    current: list[str] = []
    for match in _TOKEN.finditer(_fold(text)):
        token = match.group()
        if not token[0].isalpha():
            if current:
                yield current
                current = []
            continue
        if len(token) < 2 or token in STOP_WORDS:
            continue
        key = stem(token)
        if len(key) >= 2:
            current.append(key)
    if current:
        yield current


def terms(text: str) -> Iterator[str]:
    """Yield every unigram and bigram term of ``text``, in text order."""
    for stems in phrases(text):
        previous: str | None = None
        for key in stems:
            yield key
            if previous is not None:
                yield f"{previous} {key}"
            previous = key
