"""Key phrases of an article: what it is about, in its own words.

Candidates are runs of up to :data:`MAX_WORDS` content words: text is cut at
punctuation, at function words (the stop list of :mod:`streams.classify.text`
plus a few wire words) and at common news verbs and past forms, so "military
parade in Beijing" gives "military parade" and "Beijing", and "Dockworkers
walk out" gives "Dockworkers". Each candidate is scored

    (1 + ln tf) * mean idf of its words * (1 + LENGTH_BONUS * (words - 1))

where tf counts headline mentions :data:`HEADLINE_WEIGHT` times and mentions in
the first paragraph :data:`LEAD_WEIGHT` times, and idf comes from background
word frequencies shipped with the topic model (HuffPost and IPTC texts; words
never seen there get the highest idf, which is what names and rare terms
deserve). A phrase inside a better-scored phrase is dropped ("Kim" under "Kim
Jong-un"). Scores are scaled so the best phrase has 1.0. Pure and
deterministic: ties break on the text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from schemas.enriched import Keyword
from streams.classify.text import STOP_WORDS

MAX_WORDS = 3
HEADLINE_WEIGHT = 3.0
LEAD_WEIGHT = 1.5
LENGTH_BONUS = 0.4
DEFAULT_TOP_K = 10

# Words that the topic stop list keeps (they say something about a topic) but
# that make poor key phrases on their own, plus wire furniture.
_EXTRA_STOP_TEXT = """
    according added adding amid announced asked based began begin cited comes coming
    continue continued did expected expects following including known likely local
    meanwhile noted official officials people per percent pct plans reported reportedly
    seen showed sources spokesperson spokesman spokeswoman statement urged wednesday's
    yonhap ap afp reuters dpa end attn lead roundup update updates urgent mr mrs ms
    don't it's he's she's they're we're i'm isn't wasn't can't won't
"""
_EXTRA_STOP = frozenset(_EXTRA_STOP_TEXT.split())
# Verbs that news copy puts between its noun phrases ("Dockworkers walk out",
# "talks collapsed"): they end a phrase like a function word does. Past forms
# in -ed do too, except the few that mostly stand before a noun.
_VERBS_TEXT = """
    walk walks went go goes come comes came get gets make makes take takes took hit hits
    rise rises rose fall falls fell seek seeks sought win wins won lose loses lost face
    faces call calls show shows keep keeps hold holds remain remains warn warns vow vows
    urge urges open opens close closes meet meets met join joins tell tells leave leaves
    left see sees saw sign signs launch launches unveil unveils claim claims slam slams
    say says plan plans agree agrees pledge pledges spark sparks push pushes stage stages
    halt halts cut cuts raise raises lift lifts boost boosts drop drops jump jumps
    kill kills struck shook dug fled broke began begun ran sent spent told found led paid
    sold brought caught fought built gave taken given stood
"""
_VERBS = frozenset(_VERBS_TEXT.split())
_ADJECTIVES_IN_ED_TEXT = (
    "united armed advanced based limited listed red bed detailed skilled supposed "
    "alleged concerned organised organized"
)
_ADJECTIVES_IN_ED = frozenset(_ADJECTIVES_IN_ED_TEXT.split())
_TOKEN = re.compile(r"[^\W_][\w'’\-]*[^\W_]|[^\W_]|[^\w\s]")
_SENTENCE_BREAK = frozenset(".!?;:")


def _fold(word: str) -> str:
    word = word.casefold().replace("’", "'")
    if word.isascii():
        return word
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch)
    )


def _is_stop(folded: str) -> bool:
    if folded in STOP_WORDS or folded in _EXTRA_STOP or folded in _VERBS:
        return True
    if len(folded) > 4 and folded.endswith("ed") and folded not in _ADJECTIVES_IN_ED:
        return True
    return folded.endswith("'s") and folded[:-2] in STOP_WORDS


def _good_word(token: str) -> bool:
    letters = sum(ch.isalpha() for ch in token)
    return letters >= 2 and letters * 2 >= len(token)


def _key(words: Sequence[str]) -> str:
    """Phrase identity: folded words, possessive and plural 's' dropped from the last."""
    folded = [_fold(w).removesuffix("'s") for w in words]
    last = folded[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        folded[-1] = last[:-1]
    return " ".join(folded)


def candidates(text: str) -> list[list[str]]:
    """Runs of content words (original case), cut at punctuation and function words."""
    runs: list[list[str]] = []
    current: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        folded = _fold(token)
        if not token[0].isalnum() or _is_stop(folded) or not _good_word(token):
            if current:
                runs.append(current)
                current = []
            continue
        stripped = token.removesuffix("'s").removesuffix("’s")
        current.append(stripped)
        if stripped != token:
            # A possessive ends its phrase: "China's Xi Jinping" is two things.
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    out: list[list[str]] = []
    for run in runs:
        # A leading -ing word is a verb far more often than a noun ("halting
        # container loading"); alone it is rarely a key phrase.
        while run and len(run[0]) > 4 and run[0].islower() and run[0].endswith("ing"):
            run = run[1:]
        if not run:
            continue
        if len(run) <= MAX_WORDS:
            out.append(run)
        else:
            # A long run is a list of things, not one phrase: keep its pairs.
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def background_words(texts: Iterable[tuple[str, str]], *, limit: int) -> list[tuple[str, int]]:
    """(word, document frequency) of the ``limit`` most frequent folded words, for training."""
    df: Counter[str] = Counter()
    for headline, body in texts:
        words = {_fold(m.group()) for m in _TOKEN.finditer(f"{headline} {body}")}
        df.update(w for w in words if _good_word(w))
    ranked = sorted(df.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]


@dataclass(frozen=True)
class _Background:
    documents: int
    counts: dict[str, int]


@cache
def _background() -> _Background:
    from streams.classify.errors import ModelError
    from streams.classify.model import MODEL_FILE, load_model

    model = load_model()
    try:
        from importlib import resources

        path = resources.files("streams.classify").joinpath("data", MODEL_FILE)
        with path.open("rb") as fh, np.load(fh, allow_pickle=False) as archive:
            words = bytes(archive["background_words"]).decode("utf-8").split("\n")
            counts = [int(n) for n in archive["background_counts"]]
    except (OSError, KeyError, ValueError) as exc:
        raise ModelError(f"topic model {MODEL_FILE} lacks keyword background data: {exc}") from exc
    documents = int(model.meta.get("background_documents", 0)) or max(counts, default=1)
    return _Background(documents, dict(zip(words, counts, strict=True)))


def _idf(word: str, background: _Background) -> float:
    df = background.counts.get(_fold(word), 0)
    return math.log((background.documents + 1) / (df + 1)) + 1.0


def keywords(
    *, headline: str, paragraphs: Sequence[str], top_k: int = DEFAULT_TOP_K
) -> list[Keyword]:
    """The article's ``top_k`` key phrases, best first, scores scaled to the best = 1.0."""
    if top_k <= 0:
        return []
    background = _background()
    weight: dict[str, float] = defaultdict(float)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    first_seen: dict[str, int] = {}
    sections = [(headline, HEADLINE_WEIGHT)]
    sections += [(p, LEAD_WEIGHT if i == 0 else 1.0) for i, p in enumerate(paragraphs)]
    position = 0
    for text, section_weight in sections:
        for words in candidates(text):
            key = _key(words)
            weight[key] += section_weight
            forms[key][" ".join(words)] += 1
            first_seen.setdefault(key, position)
            position += 1
    scored: list[tuple[float, str, str]] = []
    for key, tf in weight.items():
        words = key.split(" ")
        if len(words) == 1 and len(key) < 3:
            continue
        form = min(forms[key].items(), key=lambda item: (-item[1], first_seen[key], item[0]))[0]
        idf = sum(_idf(w, background) for w in form.split(" ")) / len(words)
        value = (1.0 + math.log(tf)) * idf * (1.0 + LENGTH_BONUS * (len(words) - 1))
        scored.append((value, key, form))
    scored.sort(key=lambda item: (-item[0], item[1]))
    chosen: list[tuple[float, str, str]] = []
    for value, key, form in scored:
        padded = f" {key} "
        if any(padded in f" {other} " or f" {other} " in padded for _, other, _ in chosen):
            continue
        chosen.append((value, key, form))
        if len(chosen) == top_k:
            break
    if not chosen:
        return []
    top = chosen[0][0]
    return [Keyword(text=form, score=round(value / top, 3)) for value, _, form in chosen]
