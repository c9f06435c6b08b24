"""What the bench scripts share: where the development wires are, parsing them, timing.

The wires are read in place from ``../shared/data`` (beside the checkout) and never copied.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from schemas import Article
from streams.errors import WirestreamError
from streams.ingest.sources import iter_inputs, to_raw
from streams.pipeline import parse
from streams.settings import get_settings

#: The Yonhap English stories: the portal repost and the 39 crawled pages
#: (© Yonhap News Agency, development use).
YONHAP = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wires" / "yonhap"


def load_articles(folder: Path) -> list[Article]:
    """Every story of every wire under ``folder``, parsed by Wirestream's own parsers."""
    now = datetime.now(UTC)
    out: list[Article] = []
    for item in iter_inputs([str(folder)], max_bytes=get_settings().max_wire_bytes):
        if item.content is None:
            continue
        try:
            out.extend(parse(to_raw(item, format_hint=None, now=now)))
        except WirestreamError as exc:
            print(f"skipped {item.name}: {exc}", file=sys.stderr)
    return out


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
