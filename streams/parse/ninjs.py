"""Placeholder: this format is not implemented yet (see issue 3)."""

from __future__ import annotations

from datetime import datetime

from schemas.article import Article
from streams.parse.errors import UnknownFormatError


def sniff(head: bytes, text: str) -> bool:
    return False


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    raise UnknownFormatError("ninjs: this format is not supported yet")
