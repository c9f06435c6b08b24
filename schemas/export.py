"""Write (or check) the JSON Schema files exported from the record models."""

from __future__ import annotations

import json
from pathlib import Path

from schemas import EXPORTED

JSON_DIR = Path(__file__).with_name("json")


def render(name: str) -> str:
    """The JSON Schema text for one exported model, as committed."""
    model = EXPORTED[name]
    schema = model.model_json_schema(mode="serialization")
    schema["$id"] = f"https://wirestream.dev/schemas/{name}.schema.json"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def path_for(name: str) -> Path:
    return JSON_DIR / f"{name}.schema.json"


def stale() -> list[str]:
    """Names whose committed schema file differs from the model (or is missing)."""
    out = []
    for name in EXPORTED:
        p = path_for(name)
        if not p.exists() or p.read_text(encoding="utf-8") != render(name):
            out.append(name)
    return out


def write_all() -> list[Path]:
    JSON_DIR.mkdir(exist_ok=True)
    written = []
    for name in EXPORTED:
        p = path_for(name)
        p.write_text(render(name), encoding="utf-8")
        written.append(p)
    return written
