"""Decoding a wire's bytes and normalising its text before any format parser sees it.

Wires arrive from many senders, so decoding is deliberately conservative: we
accept UTF-8 first, then Korean legacy encodings (CP949/EUC-KR) or Windows
CP1252 only when the decoded result actually looks like text in that encoding,
and refuse anything binary rather than emit mojibake into the pipeline.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from streams.parse.errors import EmptyWireError, UndecodableWireError, WireTooLargeError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
"""Default size limit of one wire (5 MiB). Real wire stories are a few KiB."""

# How much of the start of a wire the binary sniffing looks at.
_SNIFF_BYTES = 4096
# A few framing bytes (SOH/STX/ETX of IPTC 7901 feeds) are normal in real wires;
# beyond this share of the sniffed bytes the content is not text.
_MAX_CONTROL_SHARE = 0.10
# Text statistics are taken from a prefix so a 5 MiB wire is not scanned char by char.
_SAMPLE_CHARS = 16_384

# C0 bytes that plain text legitimately contains: tab, LF, FF, CR.
_TEXT_CONTROL_BYTES = frozenset(b"\t\n\x0c\r")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

_NEWLINES_RE = re.compile("\r\n|[\r\u2028\u2029\x85]")


# --------------------------------------------------------------------------- decoding


def check_size(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Raise :class:`WireTooLargeError` when ``data`` is over ``max_bytes``."""
    size = len(data)
    if size > max_bytes:
        raise WireTooLargeError(
            f"wire is {_human_size(size)} ({size:,} bytes), over the limit of "
            f"{_human_size(max_bytes)} ({max_bytes:,} bytes); raise max_bytes if this is expected"
        )


def decode_wire(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode a wire's bytes to text, or raise a :class:`ParseError` saying why not.

    Order: UTF-8 (a BOM is dropped), then CP949/EUC-KR if the result is mostly
    Hangul and ASCII, then CP1252 if the result is mostly ASCII. The returned
    text is decoded only; call :func:`normalise_text` to clean it up.
    """
    check_size(data, max_bytes=max_bytes)
    if not data:
        raise EmptyWireError("wire is empty: 0 bytes of content")
    _refuse_binary(data)

    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc

    try:
        korean = data.decode("cp949")
    except UnicodeDecodeError:
        pass
    else:
        if looks_like_korean_text(korean):
            return korean

    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        if _mostly_ascii(western):
            return western

    bad = data[utf8_error.start : utf8_error.start + 1].hex()
    raise UndecodableWireError(
        f"wire is not valid UTF-8 (byte 0x{bad} at offset {utf8_error.start}) and does not "
        "read as EUC-KR/CP949 Korean or CP1252 Western text either; "
        "re-send it as UTF-8"
    )


def _refuse_binary(data: bytes) -> None:
    if data.startswith(_UTF16_BOMS):
        raise UndecodableWireError(
            "wire starts with a UTF-16 byte order mark; UTF-16 wires are not supported, "
            "re-send it as UTF-8"
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise UndecodableWireError(
            f"wire is binary: NUL byte at offset {nul} (a binary file, or UTF-16/32 text "
            "without a byte order mark)"
        )
    head = data[:_SNIFF_BYTES]
    controls = sum(1 for b in head if (b < 0x20 and b not in _TEXT_CONTROL_BYTES) or b == 0x7F)
    share = controls / len(head)
    if share > _MAX_CONTROL_SHARE:
        window = "first 4 KiB" if len(data) > _SNIFF_BYTES else f"its {len(head)} bytes"
        raise UndecodableWireError(
            f"wire is binary: {share:.0%} control bytes in {window} "
            f"(text has at most {_MAX_CONTROL_SHARE:.0%})"
        )


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB"
    if size >= 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size} B"


def is_hangul(char: str) -> bool:
    """Hangul syllables and jamo (the letters of Korean text)."""
    code = ord(char)
    return (
        0xAC00 <= code <= 0xD7A3
        or 0x1100 <= code <= 0x11FF
        or 0x3130 <= code <= 0x318F
        or 0xA960 <= code <= 0xA97F
        or 0xD7B0 <= code <= 0xD7FF
    )


def _is_korean_text_char(char: str) -> bool:
    # Besides Hangul, Korean copy uses ASCII, Hanja, CJK punctuation and
    # full-width forms; anything else in quantity means the bytes were not Korean.
    code = ord(char)
    return (
        code < 0x80
        or is_hangul(char)
        or 0x3000 <= code <= 0x303F
        or 0x4E00 <= code <= 0x9FFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x2010 <= code <= 0x203B
        or char in "·ⓒ©※○●◇◆□■△▲▽▼→←↑↓①②③④⑤⑥⑦⑧⑨⑩"
    )


@lru_cache(maxsize=1)
def _ks_x_1001_hangul() -> frozenset[str]:
    # The 2,350 syllables of KS X 1001 (plain EUC-KR): everyday Korean stays in
    # this set, while CP1252 bytes misread as CP949 land in the extended range.
    syllables = set()
    for lead in range(0xB0, 0xC9):
        for trail in range(0xA1, 0xFF):
            try:
                syllables.add(bytes((lead, trail)).decode("euc_kr"))
            except UnicodeDecodeError:
                continue
    return frozenset(syllables)


def looks_like_korean_text(text: str) -> bool:
    """True when ``text`` (decoded from CP949/EUC-KR) plausibly is Korean copy.

    Needs some Hangul, almost nothing outside the Korean/ASCII repertoire, and
    Hangul that is mostly in the common KS X 1001 set. The last check is what
    stops English CP1252 text with smart quotes ("Korea\\x92s") from passing:
    those byte pairs decode to rare CP949-only syllables.
    """
    sample = [c for c in text[:_SAMPLE_CHARS] if not c.isspace()]
    if not sample:
        return False
    hangul = [c for c in sample if 0xAC00 <= ord(c) <= 0xD7A3]
    if not hangul:
        return False
    korean_share = sum(1 for c in sample if _is_korean_text_char(c)) / len(sample)
    non_ascii = sum(1 for c in sample if ord(c) >= 0x80)
    common = _ks_x_1001_hangul()
    common_share = sum(1 for c in hangul if c in common) / len(hangul)
    return korean_share >= 0.95 and len(hangul) >= 0.5 * non_ascii and common_share >= 0.9


def _mostly_ascii(text: str) -> bool:
    # CP1252 wires are Western-language copy: overwhelmingly ASCII with some
    # accents and typographic quotes. Random bytes decode to mostly symbols.
    sample = [c for c in text[:_SAMPLE_CHARS] if not c.isspace()]
    if not sample:
        return True
    non_ascii = sum(1 for c in sample if ord(c) >= 0x80)
    return non_ascii / len(sample) <= 0.3


# ----------------------------------------------------------------------- normalising


def normalise_newlines(text: str) -> str:
    """CRLF, lone CR and Unicode line/paragraph separators all become ``\\n``."""
    return _NEWLINES_RE.sub("\n", text)


def strip_control_chars(text: str) -> str:
    """Drop control characters except ``\\n`` and ``\\t``, and stray byte order marks.

    Feed framing (SOH, STX, ETX ...) and leftover BOMs mean nothing to a reader
    but break headline comparison and ids.
    """
    return "".join(
        c for c in text if c in "\n\t" or (unicodedata.category(c) != "Cc" and c != "\ufeff")
    )


def unescape_entities(text: str) -> str:
    """Decode HTML character references (``&quot;``, ``&#39;``, ``&#x27;``, ``&amp;``).

    Portal reposts of wire copy often carry them from their HTML source.
    """
    return html.unescape(text)


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace (tabs, no-break spaces ...) become one space; ends are trimmed."""
    return " ".join(text.split())


def normalise_text(text: str) -> str:
    """Full clean-up of a decoded wire; line structure is kept for the format parsers.

    Entities are decoded before control characters are stripped so that a
    ``&#13;`` or similar cannot smuggle a control character through.
    """
    text = normalise_newlines(text)
    text = unescape_entities(text)
    text = normalise_newlines(text)
    text = strip_control_chars(text)
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def split_paragraphs(lines: Sequence[str]) -> list[str]:
    """Group lines into paragraphs, each with its inner whitespace collapsed.

    Paragraphs are separated by blank lines when the text has any; without
    blank lines every line is its own paragraph (one-paragraph-per-line wires).
    """
    stripped = [line.strip() for line in lines]
    while stripped and not stripped[0]:
        stripped.pop(0)
    while stripped and not stripped[-1]:
        stripped.pop()
    if "" not in stripped:
        return [p for p in (collapse_whitespace(line) for line in stripped) if p]

    paragraphs: list[str] = []
    block: list[str] = []
    for line in [*stripped, ""]:
        if line:
            block.append(line)
        elif block:
            paragraphs.append(collapse_whitespace(" ".join(block)))
            block = []
    return [p for p in paragraphs if p]


def hangul_share(text: str) -> float:
    """Share of Hangul among the letters of ``text`` (0.0 when there are no letters)."""
    letters = [c for c in text[:_SAMPLE_CHARS] if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if is_hangul(c)) / len(letters)


def decode_text(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode and normalise, refusing a wire with no text: what text formats start with."""
    text = normalise_text(decode_wire(data, max_bytes=max_bytes))
    if not text.strip():
        raise EmptyWireError(
            f"wire has no text: its {len(data):,} bytes are only whitespace, "
            "control characters or a byte order mark"
        )
    return text
