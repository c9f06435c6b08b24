"""Build the level-1 IPTC Media Topics lexicon that :mod:`streams.classify.iptc` reads.

    python -m streams.classify.build [--source PATH] [--cues PATH] [--out PATH]

Reads the IPTC Media Topics release (a JSON dict of qcode -> record, as
exported from the IPTC spreadsheet) and writes ``data/iptc_level1.json`` plus
``data/ATTRIBUTION.md`` beside it. The output is a pure function of the inputs
and of :mod:`streams.classify.text`, so it is committed and a test rebuilds it
to catch drift.

How a topic's term weights are made:

* every non-retired node of the topic's subtree contributes the terms of its
  name and definition, weighted by where they come from (``_FIELD_WEIGHTS``):
  the level-1 name says most about the topic, level-2 names come next, the
  long tail of deep definitions least; the subtrees of :data:`TECH_AS_SCIENCE`
  count for science and technology;
* the hand-written cue words of ``data/cues.json`` count like a level-2 name.
  IPTC describes topics in the register of a taxonomy ("armed conflict",
  "meteorological phenomena"); wire copy says "troops", "missiles", "rain".
  The cues are our own words, added where hand-written test stories showed
  the vocabulary alone missing the obvious;
* repeated evidence saturates (``log1p``), and topics with many more
  subtopics than the median are damped, so that sport's two hundred
  subtopics do not outvote weather's five;
* terms found under many level-1 topics are down-weighted by an IDF factor,
  and terms whose final weight is negligible are dropped to keep the file small.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from streams.classify.errors import ClassifyError
from streams.classify.text import terms

# Bump when the data file's layout changes; the classifier refuses other formats.
FORMAT = 1
_REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = _REPO_ROOT.parent / "shared" / "data" / "iptc" / "mediatopic-2023-10-24.json"
DEFAULT_OUT = _REPO_ROOT / "streams" / "classify" / "data" / "iptc_level1.json"
DEFAULT_CUES = _REPO_ROOT / "streams" / "classify" / "data" / "cues.json"

_NAME = "Name (en-GB)"
_DEFINITION = "Definition (en-GB)"
_RETIRED = "RetiredDate"
_LEVEL_KEYS = tuple(f"Level{n}/NewsCode" for n in range(1, 7))

# (name weight, definition weight) by level; deeper levels share the last row.
_FIELD_WEIGHTS: tuple[tuple[float, float], ...] = ((6.0, 2.0), (3.0, 1.0), (1.0, 0.4))
_CUE_WEIGHT = _FIELD_WEIGHTS[1][0]
# Topics with more subtopics than the median have their weights scaled by
# (median / size) ** this: their long tail of definitions otherwise matches
# everyday words ("team", "mountain", "jump") in stories on other topics.
_SIZE_EXPONENT = 0.5
# Terms below this final weight are not worth their bytes in the data file.
_MIN_WEIGHT = 0.15
_DIGITS = 3

SCIENCE = "medtop:13000000"
# IPTC files the computer industry (hardware, software, telecoms, networks) and
# consumer electronics under economy, as business sectors, and video games under
# leisure. Newsrooms, and news sets sorted into business / sci-tech / tech, call a
# story about phones, chips, apps, networks or games technology news: these
# subtrees teach science and technology instead, in the lexicon and in the model.
TECH_AS_SCIENCE: tuple[str, ...] = (
    "medtop:20000225",  # computing and information technology
    "medtop:20001258",  # consumer electronics
    "medtop:20000548",  # video game
)


def taught_topic(path: Sequence[str]) -> str:
    """The level-1 topic whose vocabulary an IPTC concept (path from level 1) adds to."""
    return SCIENCE if any(q in TECH_AS_SCIENCE for q in path) else path[0]


def _present(value: object) -> bool:
    """The source marks empty cells with NaN (pandas export), sometimes with ''."""
    if value is None:
        return False
    if isinstance(value, float):
        return not math.isnan(value)
    return not (isinstance(value, str) and not value.strip())


def load_source(path: Path) -> dict[str, dict[str, Any]]:
    """Read the IPTC JSON export; its bare NaN cells are accepted by :mod:`json`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ClassifyError(f"cannot read IPTC source {path}: {exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ClassifyError(f"{path}: expected a JSON object of qcode -> record")
    for qcode, record in data.items():
        missing = [k for k in (_NAME, _DEFINITION, _RETIRED, *_LEVEL_KEYS) if k not in record]
        if missing:
            raise ClassifyError(f"{path}: record {qcode} lacks {', '.join(missing)}")
    return data


def load_cues(path: Path) -> dict[str, list[str]]:
    """Read ``cues.json``: ``{"topics": {qcode: [cue, ...]}}`` (other keys are notes)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ClassifyError(f"cannot read cue file {path}: {exc}") from exc
    topics = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(topics, dict) or not all(
        isinstance(cues, list) and all(isinstance(c, str) for c in cues) for cues in topics.values()
    ):
        raise ClassifyError(f"{path}: expected {{'topics': {{qcode: [cue, ...]}}}}")
    return {str(qcode): list(cues) for qcode, cues in topics.items()}


def release_from_name(path: Path) -> str:
    """The release date that IPTC puts in the export's file name."""
    match = re.search(r"\d{4}-\d{2}-\d{2}", path.name)
    if match is None:
        raise ClassifyError(f"no release date (YYYY-MM-DD) in {path.name}; pass --release")
    return match.group()


def _active_paths(records: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    """Qcode -> path from its level-1 topic, for nodes not retired and not under a retired one."""
    paths: dict[str, list[str]] = {}
    for qcode, record in records.items():
        path = [str(record[key]) for key in _LEVEL_KEYS if _present(record[key])]
        if not path or path[-1] != qcode:
            raise ClassifyError(f"record {qcode}: its Level*/NewsCode path does not end in itself")
        if all(a in records and not _present(records[a][_RETIRED]) for a in path):
            paths[qcode] = path
    return paths


def _unique_terms(text: str) -> set[str]:
    # A word repeated inside one definition is style, not extra evidence.
    return set(terms(text))


def build_lexicon(
    records: Mapping[str, Mapping[str, Any]],
    *,
    release: str,
    cues: Mapping[str, Sequence[str]],
) -> dict[str, Any]:
    """Compute the data file's content from the source records and cue words."""
    paths = _active_paths(records)
    level1 = sorted(q for q, path in paths.items() if len(path) == 1)
    unknown = sorted(set(cues) - set(level1))
    if unknown:
        raise ClassifyError(f"cues given for unknown level-1 topics: {', '.join(unknown)}")

    raw: dict[str, dict[str, float]] = {q: defaultdict(float) for q in level1}
    for qcode, path in sorted(paths.items()):
        name_weight, definition_weight = _FIELD_WEIGHTS[min(len(path), len(_FIELD_WEIGHTS)) - 1]
        topic = raw[taught_topic(path)]
        for term in _unique_terms(str(records[qcode][_NAME])):
            topic[term] += name_weight
        for term in _unique_terms(str(records[qcode][_DEFINITION])):
            topic[term] += definition_weight
    for qcode, words in cues.items():
        cue_terms: set[str] = set()
        for cue in words:
            cue_terms |= _unique_terms(cue)
        for term in cue_terms:
            raw[qcode][term] += _CUE_WEIGHT

    document_frequency: dict[str, int] = defaultdict(int)
    for topic in raw.values():
        for term in topic:
            document_frequency[term] += 1
    n_topics = len(level1)
    sizes = {q: sum(1 for path in paths.values() if taught_topic(path) == q) for q in level1}
    median_size = sorted(sizes.values())[len(sizes) // 2]

    topics = []
    for qcode in level1:
        damping = min(1.0, (median_size / sizes[qcode]) ** _SIZE_EXPONENT)
        weights: dict[str, float] = {}
        for term, evidence in raw[qcode].items():
            idf = math.log((n_topics + 1) / document_frequency[term])
            weight = round(math.log1p(evidence) * idf * damping, _DIGITS)
            if weight >= _MIN_WEIGHT:
                weights[term] = weight
        record = records[qcode]
        topics.append(
            {
                "qcode": qcode,
                "name": str(record[_NAME]).strip(),
                "definition": str(record[_DEFINITION]).strip(),
                "terms": dict(sorted(weights.items())),
            }
        )

    # The digest names the exact lexicon in every tag's creator, so a change of
    # cues or recipe shows downstream without anyone remembering to bump a number.
    digest = hashlib.sha256(
        json.dumps(topics, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    return {
        "format": FORMAT,
        "version": f"{release}.{digest[:8]}",
        "source": {
            "name": "IPTC Media Topics",
            "release": release,
            "copyright": "IPTC - International Press Telecommunications Council",
            "license": "CC BY 4.0",
            "license_url": "https://creativecommons.org/licenses/by/4.0/",
        },
        "topics": topics,
    }


def render(lexicon: Mapping[str, Any]) -> str:
    """Serialise deterministically: sorted keys, fixed separators, trailing newline."""
    return json.dumps(lexicon, sort_keys=True, ensure_ascii=False, indent=0) + "\n"


def attribution(*, release: str, n_topics: int) -> str:
    """Text of ``ATTRIBUTION.md``, which CC BY 4.0 asks to travel with the data."""
    return f"""# Attribution

`iptc_level1.json` in this folder is derived from **IPTC Media Topics** (IPTC
NewsCodes), release {release}, © IPTC - International Press Telecommunications
Council, <https://iptc.org/standards/media-topics/>, licensed under the Creative
Commons Attribution 4.0 International licence (CC BY 4.0,
<https://creativecommons.org/licenses/by/4.0/>).

Changes made: only the {n_topics} level-1 topics are kept (qcode, English name and
definition, unchanged); for each of them a weighted term list was extracted
from the English names and definitions of the topic and of its non-retired
descendants (lower-cased, stemmed words and word pairs, stop words removed),
merged with cue words of our own from `cues.json`, and weighted by
`streams/classify/build.py`. The weights are ours, not IPTC's. The words of the
computer-industry, consumer-electronics and video-game subtrees (which IPTC
files under economy and leisure) are counted for science and technology.

This file and `iptc_level1.json` are generated by
`python -m streams.classify.build`; edit the script, not the output.

## The topic model (`topic_model.npz`)

Trained by `wirestream train topics` with no options (weights, vocabulary of
stemmed words and word pairs, level-2 topic profiles and keyword background word
frequencies). It is derived from:

* **News Category Dataset** (HuffPost headlines and short descriptions, first
  10,000 records of v3) by Rishabh Misra, arXiv:2209.11429,
  <https://rishabhmisra.github.io/publications/>, licensed under CC BY 4.0
  (<https://creativecommons.org/licenses/by/4.0/>). Changes made: the texts
  were tokenised into stemmed terms; only learnt weights and word document
  frequencies are kept, no text; the level-2 profiles also hold the mean term
  weights of the training texts of the sections mapped to level 2 by our
  `huffpost_iptc_level2.toml`. The category mappings onto IPTC Media Topics
  (`huffpost_iptc.toml`, `huffpost_iptc_level2.toml`) are ours;
* **IPTC Media Topics** as above (names and definitions as training texts; the
  level-2 profiles are weighted terms of the names and definitions, with the
  HuffPost terms above), plus, as
  extra training texts, the English names of the legacy **IPTC Subject Codes**
  and the English labels and definitions of the concepts of the **Media Topics
  export of 2019-04-06** that are no longer active (both IPTC NewsCodes, CC BY 4.0);
* **CoNLL-2003 `eng.train`** (Reuters newswire 1996-97, Reuters Corpus RCV1,
  used under its research terms): the stories, which carry no topic labels, are
  labelled by the model itself where it is confident (self-training) and trained
  on. No CoNLL text is in this folder or the repository: only learnt weights and
  the vocabulary of stemmed terms (any term also in the other sources' texts).

The shipped model is **not** trained on Wikipedia. `wirestream train topics
--all-data` also trains on Wikipedia's "Portal:Current events" items (Wikipedia
contributors, CC BY-SA 4.0, <https://en.wikipedia.org/wiki/Portal:Current_events>,
section headings mapped by our `wikipedia_iptc.toml`): a model trained so must be
attributed to Wikipedia as well and offered under CC BY-SA 4.0
(<https://creativecommons.org/licenses/by-sa/4.0/>).

`huffpost_iptc.toml`, `huffpost_iptc_level2.toml`, `wikipedia_iptc.toml` and `cues.json` are
Wirestream's own work.
"""


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Build the level-1 IPTC Media Topics lexicon used by streams.classify.",
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help="IPTC Media Topics JSON export (qcode -> record). Default: %(default)s",
    )
    parser.add_argument(
        "--cues",
        type=Path,
        default=DEFAULT_CUES,
        help="Hand-written cue words per level-1 topic. Default: %(default)s",
    )
    parser.add_argument(
        "--release",
        default=None,
        help="Release date of the source (YYYY-MM-DD). Default: taken from the source file name.",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="Data file to write; ATTRIBUTION.md is written beside it. Default: %(default)s",
    )
    return parser


def main(
    argv: Sequence[str] | None = None, *, prog: str = "python -m streams.classify.build"
) -> int:
    args = _parser(prog).parse_args(argv)
    try:
        release = args.release or release_from_name(args.source)
        lexicon = build_lexicon(
            load_source(args.source), release=release, cues=load_cues(args.cues)
        )
    except ClassifyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(lexicon), encoding="utf-8")
    n_topics = len(lexicon["topics"])
    (out.parent / "ATTRIBUTION.md").write_text(
        attribution(release=release, n_topics=n_topics), encoding="utf-8"
    )
    n_terms = sum(len(t["terms"]) for t in lexicon["topics"])
    print(f"wrote {out} ({n_topics} topics, {n_terms} terms, version {lexicon['version']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
