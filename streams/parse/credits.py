"""Byline and rights lines, as agencies write them in text copy.

Neutral ground for every text layout (Yonhap's, ANPA's, AAP's ...): a parser
reads ``By ...`` and ``(c) ...`` lines through these, never through another
format's module.
"""

from __future__ import annotations

import re

from schemas.article import Copyright
from streams.parse.text import collapse_whitespace

_BYLINE_RE = re.compile(r"^By\s+(?P<names>\S.{0,100})$")
_COPYRIGHT_RE = re.compile(
    r"^(?:저작권자\s*)?"
    r"(?:ⓒ|©|\(\s*[cC]\s*\)|Copyright\s*(?:ⓒ|©|\(\s*[cC]\s*\)|(?=[0-9]{4})))"
    r"\s*(?:[0-9]{4}(?:\s*-\s*[0-9]{4})?\b)?\s*(?P<rest>.*)$"
)
_MAX_COPYRIGHT_CHARS = 160
_BRACKETS = {"[": "]", "<": ">", "(": ")", "【": "】", "〈": "〉", "《": "》"}
# Tokens whose '.' sits inside a holder's name ("Example Co. Ltd.", "U.S. News").
# "Ltd.", "Inc.", "Corp." are left out on purpose: they end the name.
_ABBREVIATIONS = frozenset({"co", "jr", "sr", "st", "no", "mr", "u.s", "u.k"})


def read_byline(line: str) -> str | None:
    """The names of a ``By ...`` line; ``None`` for anything else ("By the numbers: ...")."""
    match = _BYLINE_RE.match(line)
    if match is None:
        return None
    names = match["names"].strip()
    words = names.replace(",", " ").split()
    # "By the numbers: ..." is a headline, "By Park Boram" a byline: names are
    # capitalised, short and carry no sentence punctuation.
    if (
        not words
        or not words[0][0].isupper()
        or len(words) > 10
        or any(ch in names for ch in ':;?!"“”')
        or names.endswith(".")
    ):
        return None
    return collapse_whitespace(names)


def parse_copyright(line: str) -> Copyright | None:
    """Read a rights line: ``[ⓒ K-VIBE. 무단전재-재배포 금지]``, ``(C) Yonhap News Agency`` ...

    The holder is the text before the first sentence-ending ``.`` (or, failing
    that, the first ``,``); the notice is the rest. ``None`` if not a rights line.
    """
    inner = line.strip()
    if len(inner) > _MAX_COPYRIGHT_CHARS:
        return None
    closing = _BRACKETS.get(inner[:1])
    if closing is not None and inner.endswith(closing) and len(inner) > 1:
        inner = inner[1:-1].strip()
    match = _COPYRIGHT_RE.match(inner)
    if match is None:
        return None
    rest = match["rest"].strip()
    if not rest:
        return Copyright(holder=None, notice=None)
    holder, notice = _split_holder(rest)
    return Copyright(holder=holder or None, notice=notice or None)


def _split_holder(text: str) -> tuple[str, str]:
    for index, char in enumerate(text):
        if char != ".":
            continue
        at_boundary = index + 1 == len(text) or text[index + 1].isspace()
        word = text[:index].rsplit(maxsplit=1)[-1] if text[:index].strip() else ""
        if at_boundary and word.casefold().strip(",") not in _ABBREVIATIONS:
            return text[:index].strip(), text[index + 1 :].strip()
    if "," in text:
        holder, notice = text.split(",", 1)
        return holder.strip(), notice.strip()
    return text.strip(), ""


__all__ = ["parse_copyright", "read_byline"]
