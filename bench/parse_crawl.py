"""How well the crawl-layout parser recovers Yonhap stories a web crawler saved.

    .venv/bin/python bench/parse_crawl.py [--data DIR] [--quiet]

Reads the crawled Yonhap stories in ``../shared/data/wires/yonhap/crawl`` in place
(© Yonhap News Agency, development use; never copied), parses each with no format
hint (so detection is checked too) and prints, per file, the headline, the
dateline city and the first and last 60 characters of the body, then a summary.

A file passes when it is detected as ``yonhap-crawl`` and parses, and: the
headline carries no version tag or HTML entity; a dateline city is found; the
body's first paragraph is exactly what follows ``(Yonhap) --`` in the page and
its last paragraph ends exactly where the page's text before ``(END)`` ends
(reporter e-mails aside); no footer line is in the body.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import re
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from schemas.article import Article
from schemas.raw import RawWire
from streams.parse import ParseError, parse_items

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "wires" / "yonhap" / "crawl"
RECEIVED_AT = datetime(2026, 1, 7, tzinfo=UTC)

_TAG_RE = re.compile(r"^\((?:LEAD|URGENT|[0-9]+(?:st|nd|rd|th) LD)\)")
_ENTITY_RE = re.compile(r"&(?:#x?[0-9a-fA-F]+|[a-z]+);")
_TRAILING_EMAILS_RE = re.compile(r"(?:\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+)+\s*$")


def problems(article: Article, raw_text: str) -> list[str]:
    """What is wrong with one parsed crawl article (empty when it passes).

    ``raw_text`` is the page itself, entities decoded and whitespace collapsed:
    the body must begin with what follows ``(Yonhap) --`` there and end with
    what precedes ``(END)`` (reporter e-mails aside).
    """
    found: list[str] = []
    if article.source_format != "yonhap-crawl":
        found.append(f"detected as {article.source_format}")
    if _TAG_RE.match(article.headline) or _ENTITY_RE.search(article.headline):
        found.append("headline keeps a tag or entity")
    if article.dateline is None or not article.dateline.cities:
        found.append("no dateline city")
    first, last = article.body[0], article.body[-1]
    marker = raw_text.find("(Yonhap) --")
    if marker < 0 or not raw_text[marker + len("(Yonhap) --") :].lstrip().startswith(first[:40]):
        found.append("body does not start right after the dateline")
    end = raw_text.find("(END)")
    if end < 0:
        end = raw_text.find("(MORE)")
    before_end = _TRAILING_EMAILS_RE.sub("", raw_text[:end]).rstrip()
    if end < 0 or not before_end.endswith(last[-40:]):
        found.append("body does not end right before (END)")
    if any(p.strip() == "---" or p.startswith("*Crawled") for p in article.body):
        found.append("footer in body")
    return found


def _raw(path: Path) -> RawWire:
    content = path.read_bytes()
    return RawWire(
        wire_id="sha256:" + hashlib.sha256(content).hexdigest()[:32],
        content=content,
        source="file",
        filename=path.name,
        received_at=RECEIVED_AT,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of *.md pages")
    parser.add_argument("--quiet", action="store_true", help="print the summary only")
    args = parser.parse_args(argv)

    paths = sorted(args.data.glob("*.md"))
    if not paths:
        print(f"no *.md files in {args.data}", file=sys.stderr)
        return 2

    parsed = passed = 0
    paragraphs = 0
    stories: dict[str, list[tuple[int, str]]] = defaultdict(list)
    started = time.perf_counter()
    for path in paths:
        try:
            articles = parse_items(_raw(path))
        except ParseError as exc:
            print(f"FAIL {path.name}: {exc}")
            continue
        parsed += 1
        article = articles[0]
        paragraphs += len(article.body)
        stories[article.story_id].append((article.version, path.name[:14]))
        raw_text = " ".join(html.unescape(path.read_text(encoding="utf-8")).split())
        issues = problems(article, raw_text)
        passed += not issues
        if not args.quiet:
            city = article.dateline.cities[0] if article.dateline else "-"
            body = " ".join(article.body)
            print(f"{'ok  ' if not issues else 'BAD '}{path.name}")
            print(f"     headline: {article.headline}")
            tags = article.version_tags
            print(f"     v{article.version} {tags} slug={article.slug!r} city={city}")
            print(f"     body[:60]:  {body[:60]!r}")
            print(f"     body[-60:]: {body[-60:]!r}  ({len(article.body)} paragraphs)")
            for issue in issues:
                print(f"     ! {issue}")
    elapsed = time.perf_counter() - started

    print()
    print(f"files: {len(paths)}  parsed: {parsed}  passed all checks: {passed}")
    print(f"paragraphs recovered: {paragraphs} ({paragraphs / max(parsed, 1):.1f} per story)")
    shared = {sid: v for sid, v in stories.items() if len(v) > 1}
    print(f"story ids shared by several versions: {len(shared)}")
    for sid, versions in sorted(shared.items()):
        listed = ", ".join(f"v{v} {name}" for v, name in sorted(versions))
        print(f"  {sid}: {listed}")
    print(f"parse time: {elapsed * 1000:.0f} ms for {len(paths)} files")
    return 0 if passed == len(paths) else 1


if __name__ == "__main__":
    raise SystemExit(main())
