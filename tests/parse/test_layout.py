"""The parse package's layout rules: no import circles, a base never imports its flavours."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PARSE_ROOT = Path(__file__).resolve().parents[2] / "streams" / "parse"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PARSE_ROOT.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every streams.parse module and the streams.parse modules it imports, anywhere in it."""
    graph: dict[str, set[str]] = {}
    for path in PARSE_ROOT.rglob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.startswith("streams.parse"):
                    found.add(node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("streams.parse")}
        graph[_module_name(path)] = found
    return graph


def test_parse_modules_import_each_other_without_a_circle() -> None:
    graph = _imports()
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:  # pragma: no cover - the failure message is the point
        pytest.fail(f"import circle in streams.parse: {' -> '.join(exc.args[1])}")


@pytest.mark.parametrize(
    ("base", "flavours"),
    [
        ("streams.parse.yonhap.base", ("portal", "crawl", "teletype")),
        ("streams.parse.xml.xmlsafe", ("newsmlg2", "newsml12", "nitf", "atom")),
        ("streams.parse.json.jsonwire", ("ninjs", "apmedia")),
    ],
)
def test_a_base_module_never_imports_its_flavours(base: str, flavours: tuple[str, ...]) -> None:
    family = base.rsplit(".", 1)[0]
    imported = _imports()[base]
    assert not imported & {f"{family}.{name}" for name in flavours}


def test_the_shared_core_imports_no_format_family() -> None:
    families = (
        "streams.parse.xml",
        "streams.parse.json",
        "streams.parse.agency",
        "streams.parse.yonhap",
    )
    core = {m: deps for m, deps in _imports().items() if m.count(".") == 2}
    leaks = {m: sorted(d for d in deps if d.startswith(families)) for m, deps in core.items()}
    assert {m: d for m, d in leaks.items() if d} == {}


def test_agency_text_parsers_borrow_nothing_from_yonhap() -> None:
    graph = _imports()
    agency = {m: deps for m, deps in graph.items() if m.startswith("streams.parse.agency")}
    assert all(
        not any(d.startswith("streams.parse.yonhap") for d in deps) for deps in agency.values()
    )
