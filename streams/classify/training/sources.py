"""Readers of the training data, each normalising its source towards wire text.

Every reader returns records whose headline and body look like what the topic
stage is given at inference (a headline and a body of ordinary sentences), so
that training and tagging compute the same features:

* HuffPost (CC BY 4.0) comes in four pieces of different shapes
  (``../shared/data/README.md``): full records (headline and short description),
  a few-shot set of *lower-cased, tokenised* headlines (``papa john 's``, ``do
  n't``, ``white house , take``) and a two-class set of *descriptions only*,
  lower-cased with punctuation stripped. Features are case-folded already, so case
  needs nothing; the tokenisation is undone (:func:`detokenise`) so contractions
  and possessives give the same terms as in edited copy. A description without a
  headline stays the body, as on the wire. Punctuation that was stripped cannot be
  put back: those texts have a few word pairs across sentence breaks;
* Wikipedia's Current events portal (CC BY-SA 4.0): one or two sentences per item,
  headline-like; the first sentence becomes the headline and the rest the body, as
  a wire story's headline and lead;
* CoNLL-2003 ``eng.train`` (Reuters, research terms): unlabelled wire stories for
  self-training, byline and dateline dropped;
* the IPTC Subject Codes and the 2019 Media Topics export: extra short texts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from streams.classify import build
from streams.classify.errors import ClassifyError
from streams.classify.training.corpus import Doc, Record
from streams.eval.ner import ConllFormatError, read_conll

_REPO_ROOT = Path(__file__).resolve().parents[3]
SHARED = _REPO_ROOT.parent / "shared" / "data"
HUFFPOST_DIR = SHARED / "huffpost"
# In this order (the held-out split is drawn per file, so the order only fixes the ids).
HUFFPOST_FILES: tuple[str, ...] = (
    "News_Category_Dataset_v3.first10000.jsonl",
    "News_Category_Dataset_v2.2018-02-28_to_2018-05-01.jsonl",
    "News_Category_Dataset_v2.fewshot_headlines_41x900.jsonl",
    "News_Category_Dataset_v3.sports_politics_descriptions.jsonl",
)
DEFAULT_WIKIPEDIA = SHARED / "wikipedia-current-events" / "current_events_2024-2026.jsonl"
DEFAULT_IPTC = build.DEFAULT_SOURCE
DEFAULT_SUBJECT_CODES = DEFAULT_IPTC.parent / "subjectcodes.json"
DEFAULT_IPTC_2019 = DEFAULT_IPTC.parent / "mediatopic-2019-cptall-x-all.json"
DEFAULT_CONLL = SHARED / "conll2003" / "eng.train"
DATA = _REPO_ROOT / "streams" / "classify" / "data"
DEFAULT_HUFFPOST_MAPPING = DATA / "huffpost_iptc.toml"
DEFAULT_WIKIPEDIA_MAPPING = DATA / "wikipedia_iptc.toml"
# The news prior stored in the model (model.NEWS_PRIOR_KEY; bench/topic_prior.py writes it).
DEFAULT_NEWS_PRIOR = DATA / "news_prior.toml"
# HuffPost sections -> level-2 concepts: their training texts join the level-2 profiles.
DEFAULT_HUFFPOST_LEVEL2_MAPPING = DATA / "huffpost_iptc_level2.toml"

# Subject Codes of the computer industry teach science and technology, as the
# Media Topics in build.TECH_AS_SCIENCE do.
SUBJECT_TECH_AS_SCIENCE: tuple[str, ...] = ("04003",)

# Tokeniser output ("john 's", "do n't", "house , take", "( ap )") back to edited text.
_CLITIC = re.compile(r"(\w) (n't|'s|'re|'ve|'ll|'d|'m)\b", re.IGNORECASE)
_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}])")
_SPACE_AFTER = re.compile(r"([(\[{$]) ")
_QUOTES = re.compile(r"``|''")


def detokenise(text: str) -> str:
    """Undo a tokeniser's spacing: ``papa john 's`` -> ``papa john's``, ``a , b`` -> ``a, b``."""
    text = _QUOTES.sub('"', text)
    text = _CLITIC.sub(r"\1\2", text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    return _SPACE_AFTER.sub(r"\1", text).strip()


def _json_lines(path: Path, what: str) -> Iterable[tuple[int, dict[str, object]]]:
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except ValueError as exc:
                    raise ClassifyError(f"{path}:{number}: not JSON: {exc}") from exc
                if not isinstance(item, dict):
                    raise ClassifyError(f"{path}:{number}: not a JSON object")
                yield number, item
    except OSError as exc:
        raise ClassifyError(f"cannot read {what} {path}: {exc}") from exc


def load_huffpost(path: Path) -> list[Record]:
    """HuffPost records of one file: headline, short description, category.

    Files whose text is lower-case throughout (the few-shot headlines, the
    descriptions-only set) are detokenised; ``origin`` names the file.
    """
    raw = [
        (
            str(item.get("headline") or "").strip(),
            str(item.get("short_description") or "").strip(),
            str(item.get("category") or "").strip(),
        )
        for _, item in _json_lines(path, "HuffPost data")
    ]
    tokenised = bool(raw) and all(
        headline == headline.lower() and body == body.lower() for headline, body, _ in raw
    )
    origin = f"huffpost:{path.name}"
    if tokenised:
        return [Record(detokenise(h), detokenise(b), c, origin) for h, b, c in raw]
    return [Record(h, b, c, origin) for h, b, c in raw]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


def load_wikipedia(path: Path) -> list[Record]:
    """Current events items with exactly one section; first sentence as the headline.

    The three items filed under several sections at once are left out: they have
    no single answer to train on.
    """
    out: list[Record] = []
    for number, item in _json_lines(path, "Wikipedia current events"):
        text = str(item.get("text") or "").strip()
        sections = item.get("categories")
        if not isinstance(sections, list):
            raise ClassifyError(f"{path}:{number}: no 'categories' list")
        if not text or len(sections) != 1:
            continue
        headline, *rest = _SENTENCE_END.split(text, maxsplit=1)
        body = rest[0] if rest else ""
        out.append(Record(headline, body, str(sections[0]), "wikipedia"))
    return out


_DATELINE_DATE = re.compile(r"\b\d{4}-\d\d-\d\d\b")
# Bylines and datelines sit in the first few lines of a CoNLL document.
_HEADER_LINES = 3


def _strip_header(paragraphs: Sequence[str]) -> list[str]:
    """Drop the byline ("Peter Blackburn") and dateline ("BRUSSELS 1996-08-22").

    They are not what a story is about, and a model that learns them learns where
    Reuters kept its business desks ("LONDON", "HONG KONG") rather than topics.
    """
    out = list(paragraphs)
    for i, paragraph in enumerate(paragraphs[:_HEADER_LINES]):
        if _DATELINE_DATE.search(paragraph) and len(paragraph.split()) <= 8:
            return [p for j, p in enumerate(out) if j > i or (j < i and len(p.split()) >= 5)]
    return out


def load_conll(path: Path, *, n_topics: int) -> list[Doc]:
    """The documents of a CoNLL-2003 file as unlabelled stories: first sentence = headline.

    The byline and dateline are left out (see :func:`_strip_header`).

    Every topic is allowed (the file has no topic labels); ``category`` names the
    document by its 0-based position in the file, as bench/conll_topics_sample.tsv does.
    """
    try:
        documents = read_conll(path)
    except (OSError, UnicodeDecodeError, ConllFormatError) as exc:
        raise ClassifyError(f"cannot read CoNLL data {path}: {exc}") from exc
    out: list[Doc] = []
    for number, document in enumerate(documents):
        sentences = [sentence.text for sentence in document.sentences]
        out.append(
            Doc(
                headline=sentences[0],
                body="\n\n".join(_strip_header(sentences[1:])),
                label=-1,
                source="conll",
                category=f"{path.name}#{number}",
                allowed=tuple(range(n_topics)),
            )
        )
    return out


def subject_code_texts(path: Path) -> list[tuple[str, str, str]]:
    """(name, "", level-1 qcode) of every legacy IPTC Subject Code but the deprecated ones.

    Subject Codes share the 17 top-level topics (and numbers) with Media Topics,
    and name many things Media Topics do not (sports disciplines, industries).
    """
    try:
        codes = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ClassifyError(f"cannot read IPTC Subject Codes {path}: {exc}") from exc
    out: list[tuple[str, str, str]] = []
    for code, name in sorted(codes.items()):
        if not (isinstance(name, str) and len(code) == 8 and code.isdigit()):
            continue
        if "deprecated" in name.casefold():
            continue
        topic = f"medtop:{code[:2]}000000"
        if code.startswith(SUBJECT_TECH_AS_SCIENCE):
            topic = build.SCIENCE
        out.append((name, "", topic))
    return out


def media_topics_2019_texts(path: Path, active: Iterable[str]) -> list[tuple[str, str, str]]:
    """(label, definition, level-1 qcode) of the 2019 concepts not active in the release used.

    Mostly concepts IPTC retired or merged since ("defendant", "maritime incident"): their
    words still say which topic a story is about. The level-1 topic is found by
    following ``broader`` links in the 2019 export.
    """
    try:
        concepts = json.loads(path.read_text(encoding="utf-8"))["conceptSet"]
        by_qcode = {c["qcode"]: c for c in concepts}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ClassifyError(f"cannot read the IPTC 2019 export {path}: {exc}") from exc
    skip = set(active)
    out: list[tuple[str, str, str]] = []
    for qcode, concept in sorted(by_qcode.items()):
        if qcode in skip:
            continue
        chain = [qcode]
        while len(chain) < 8:
            broader = by_qcode[chain[-1]].get("broader") or []
            if not broader:
                break
            parent = "medtop:" + str(broader[0]).rstrip("/").rsplit("/", 1)[-1]
            if parent not in by_qcode:
                break
            chain.append(parent)
        top = chain[-1]
        if by_qcode[top].get("broader") or not re.fullmatch(r"medtop:\d\d000000", top):
            continue
        label = str(concept.get("prefLabel", {}).get("en-GB") or "").strip()
        definition = str(concept.get("definition", {}).get("en-GB") or "").strip()
        if label:
            out.append((label, definition, build.taught_topic(list(reversed(chain)))))
    return out
