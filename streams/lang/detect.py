"""Which language an article is written in.

The identifier is py3langid (BSD-3-Clause; a maintained fork of Marco Lui's
langid.py): a naive Bayes model over byte n-grams for 97 languages that ships
inside the package, so nothing is fetched at run time. It is loaded once per
process, with probabilities normalised so that its answer comes with a
confidence.

Only the first :data:`MAX_CHARS` characters are read: a wire's language is
settled in its first paragraphs, and the cost grows with the length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

#: Characters of headline + body that detection reads.
MAX_CHARS = 1500
#: Below this many letters a guess is not trusted to overrule a language the wire declared.
MIN_LETTERS_TO_OVERRULE = 200
#: Confidence (0-100) a guess needs to overrule a declared language.
MIN_CONFIDENCE_TO_OVERRULE = 95
#: Reported when there is no text to judge.
UNDETERMINED = "und"

_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """ISO 639-1 code (``und`` for no text) and confidence 0-100."""

    code: str
    confidence: int


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _sample(text: str) -> str:
    return text[:MAX_CHARS]


def detect_language(text: str) -> LanguageGuess:
    """The language of ``text``; ``und`` with confidence 0 when it has no letters."""
    sample = _sample(text)
    if not _LETTER.search(sample):
        return LanguageGuess(UNDETERMINED, 0)
    code, probability = _identifier().classify(sample)
    return LanguageGuess(str(code), max(0, min(100, round(float(probability) * 100))))


def resolve_language(*, declared: str | None, text: str) -> tuple[str, LanguageGuess]:
    """The language to record for an article, and the detector's own guess.

    ``declared`` is what the wire (its parser) said, or None when it said
    nothing: then the guess is used. A declared language stands unless the
    text is long enough and the guess is confident and of another language:
    a feed that labels everything English must not send a French story to
    the English entity model.
    """
    guess = detect_language(text)
    if guess.code == UNDETERMINED:
        return (declared or "en"), guess
    if declared is None:
        return guess.code, guess
    same = declared.split("-")[0].lower() == guess.code
    if (
        not same
        and guess.confidence >= MIN_CONFIDENCE_TO_OVERRULE
        and len(_LETTER.findall(_sample(text))) >= MIN_LETTERS_TO_OVERRULE
    ):
        return guess.code, guess
    return declared, guess
