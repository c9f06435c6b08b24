"""Label -> IPTC level-1 topics mappings: read from TOML, JSON or CSV/TSV files.

One reader for the training data's category mapping and for the mapping a user
gives ``wirestream eval topics``, so that both accept the same files:

* TOML: ``[categories]`` (or top level) with ``"LABEL" = "medtop:11000000"`` or a
  list of codes; ``#`` comments allowed;
* JSON: ``{"LABEL": "medtop:11000000", "OTHER": ["medtop:...", ...]}``, optionally
  nested under ``"categories"``;
* CSV/TSV/plain lines: ``LABEL,CODE[,CODE...]`` (comma, tab, ``:`` or ``=``
  separated; ``#`` comments and a header line naming ``label`` are skipped).

A code may be written ``medtop:11000000``, ``11000000``, ``11`` (the two-digit
level-1 number) or as the topic's English name (``politics``), in any case. A
label mapped to several codes accepts any of them; the first is the usual one.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from streams.classify.errors import MappingError
from streams.classify.iptc import topic_names

_QCODE = re.compile(r"(?:medtop:)?(\d{8})")


def resolve_code(text: str) -> str:
    """The level-1 ``medtop:`` qcode that ``text`` names (code, number or English name)."""
    names = topic_names()
    value = text.strip()
    match = _QCODE.fullmatch(value.lower())
    if match:
        qcode = f"medtop:{match.group(1)}"
    elif value.isdigit() and 1 <= int(value) <= 99:
        qcode = f"medtop:{int(value):02d}000000"
    else:
        by_name = {name.casefold(): q for q, name in names.items()}
        found = by_name.get(value.casefold())
        if found is None:
            raise MappingError(
                f"{value!r} is not an IPTC level-1 topic (use e.g. medtop:11000000 or 'politics')"
            )
        qcode = found
    if qcode not in names:
        raise MappingError(f"{value!r} is not one of the 17 IPTC level-1 topics")
    return qcode


def _codes(label: str, value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str | int) for item in items):
        raise MappingError(f"label {label!r}: expected a topic code or a list of them")
    codes: list[str] = []
    for item in items:
        qcode = resolve_code(str(item))
        if qcode not in codes:
            codes.append(qcode)
    return tuple(codes)


def _from_table(table: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
    inner = table.get("categories")
    if isinstance(inner, dict):
        table = inner
    return {str(label): _codes(str(label), value) for label, value in table.items()}


def _from_lines(text: str) -> dict[str, tuple[str, ...]]:
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        return {}
    sample = "\n".join(lines[:20])
    delimiter = next((d for d in ("\t", ",", ";", "=", ":") if d in lines[0]), ",")
    out: dict[str, tuple[str, ...]] = {}
    for i, row in enumerate(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)):
        cells = [cell.split("#", 1)[0].strip() for cell in row]
        cells = [cell for cell in cells if cell]
        if not cells:
            continue
        if i == 0 and cells[0].casefold() in ("label", "category", "class"):
            continue
        if len(cells) < 2:
            raise MappingError(f"mapping line {row!r} has no topic code (sample:\n{sample})")
        out[cells[0]] = _codes(cells[0], cells[1:])
    return out


def load_mapping(path: Path) -> dict[str, tuple[str, ...]]:
    """Read a mapping file (TOML, JSON or delimited lines, chosen by content)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"cannot read mapping file {path}: {exc}") from exc
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")) and path.suffix.lower() != ".toml":
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict):
            mapping = _from_table(data)
            return _checked(mapping, path)
    if path.suffix.lower() == ".toml" or re.search(r'^\s*"[^"]+"\s*=', text, re.M):
        try:
            return _checked(_from_table(tomllib.loads(text)), path)
        except tomllib.TOMLDecodeError as exc:
            if path.suffix.lower() == ".toml":
                raise MappingError(f"{path}: invalid TOML: {exc}") from exc
    return _checked(_from_lines(text), path)


def _checked(mapping: dict[str, tuple[str, ...]], path: Path) -> dict[str, tuple[str, ...]]:
    if not mapping:
        raise MappingError(f"mapping file {path} maps no labels")
    return mapping


def load_level2_mapping(
    path: Path, known: frozenset[str] | None = None
) -> dict[str, tuple[str, ...]]:
    """Section -> accepted level-2 qcodes (the usual one first), from TOML (``[categories]``).

    ``known``: the level-2 qcodes the model has; a code outside it is refused.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"cannot read level-2 mapping {path}: {exc}") from exc
    inner = data.get("categories", data)
    table: Mapping[str, object] = inner if isinstance(inner, dict) else data
    out: dict[str, tuple[str, ...]] = {}
    for label, value in table.items():
        codes = value if isinstance(value, list) else [value]
        if not codes or not all(isinstance(c, str) and c.startswith("medtop:") for c in codes):
            raise MappingError(f"{path}: {label!r} needs medtop: codes")
        unknown = [c for c in codes if known is not None and c not in known]
        if unknown:
            raise MappingError(f"{path}: {label!r} names {unknown}, not level-2 topics")
        out[str(label)] = tuple(str(c) for c in codes)
    if not out:
        raise MappingError(f"level-2 mapping {path} maps no labels")
    return out
