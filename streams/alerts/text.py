"""How queries and articles are cut into words: one rule for both sides.

A word is a run of Unicode letters, digits or underscores, case-folded, so a
keyword matches only whole words ("launch" is not found in "launches") and a
phrase matches whatever punctuation stands between its words ("Kim Jong-un",
"Kim Jong Un" and "KIM JONG-UN" are the same three words).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The case-folded words of ``text``."""
    return [m.group().casefold() for m in _WORD.finditer(text)]


def spans(text: str) -> Iterator[tuple[str, int, int]]:
    """Each case-folded word with its start and end offsets into ``text`` as written.

    Offsets come from the original text because case folding can change a
    word's length ("ß" folds to "ss").
    """
    for m in _WORD.finditer(text):
        yield m.group().casefold(), m.start(), m.end()


def name_key(text: str) -> str:
    """How names are compared: their words, space-separated ('kim jong un')."""
    return " ".join(words(text))
