"""How much disk wires.raw takes a day: the size of a RawWire record for real wires.

    .venv/bin/python bench/raw_disk.py [FOLDER] [--per-day 1000 5000 20000] [--disk-factor 1.03]

Builds the RawWire record (key and JSON value, the wire base64-encoded) of
every wire under FOLDER (default: the Yonhap stories in ../shared/data, read
in place) exactly as `wirestream ingest` sends it, and prints the mean and
median record size and the disk a day and a retention period take at a few
volumes. ``--disk-factor`` is what Kafka's log adds on top of key and value
(record and batch headers, uncompressed); bench/backfill.py measures it on
its own broker (x1.03 for short wires, sent one by one).
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from streams.ingest.sources import iter_inputs, to_raw

YONHAP = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wires" / "yonhap"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("folder", nargs="?", type=Path, default=YONHAP, help="wires to measure")
    parser.add_argument("--per-day", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--disk-factor", type=float, default=1.03)
    parser.add_argument("--days", type=int, default=30, help="retention to size for")
    args = parser.parse_args(argv)
    now = datetime.now(UTC)
    wires: list[int] = []
    records: list[int] = []
    for item in iter_inputs([str(args.folder)], max_bytes=10 * 1024 * 1024):
        if item.content is None:
            continue
        raw = to_raw(item, format_hint=None, now=now)
        wires.append(len(item.content))
        records.append(len(raw.wire_id) + len(raw.to_json()))
    if not records:
        raise SystemExit(f"no wires under {args.folder}")
    mean = statistics.mean(records)
    print(
        f"{len(records)} wires under {args.folder}: wire mean {statistics.mean(wires):,.0f} "
        f"bytes, record (key + value) mean {mean:,.0f}, median "
        f"{statistics.median(records):,.0f}, largest {max(records):,}"
    )
    on_disk = mean * args.disk_factor
    print(f"on disk, x{args.disk_factor:g}: {on_disk:,.0f} bytes a wire (one replica)")
    for per_day in args.per_day:
        day = per_day * on_disk
        print(
            f"  {per_day:>7,} wires a day: {day / 1e6:8.1f} MB a day, "
            f"{day * args.days / 1e9:6.2f} GB for {args.days} days"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
