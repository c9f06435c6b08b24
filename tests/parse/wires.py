"""Helpers shared by the parser tests: fixture wires and RawWire construction."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from schemas.raw import RawWire

FIXTURES = Path(__file__).parent / "fixtures"

#: A fixed receipt time: the parser never reads the clock, so tests pin it.
RECEIVED_AT = datetime(2025, 3, 4, 6, 0, tzinfo=UTC)

LEAD = "yonhap_lead_economy.txt"
SECOND_LD = "yonhap_2nd_ld_economy.txt"
URGENT = "yonhap_urgent_minimal.txt"
ROUNDUP = "yonhap_3rd_ld_roundup_wrapped.txt"
PLAIN = "plain_ap_style.txt"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_text(name: str) -> str:
    return fixture_bytes(name).decode("utf-8")


def wire_id_of(content: bytes) -> str:
    return "sha256:" + hashlib.sha256(content).hexdigest()[:32]


def raw_wire(
    content: bytes | str,
    *,
    hint: str | None = None,
    received_at: datetime = RECEIVED_AT,
) -> RawWire:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return RawWire(
        wire_id=wire_id_of(data),
        content=data,
        source="test",
        format_hint=hint,
        received_at=received_at,
    )


def without_lines(text: str, *prefixes: str) -> str:
    """``text`` minus every line starting with one of ``prefixes``."""
    return "\n".join(line for line in text.split("\n") if not line.startswith(prefixes))
