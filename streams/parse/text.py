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
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple, Protocol

from schemas.article import Article
from streams.parse.errors import (
    EmptyWireError,
    FramingError,
    UndecodableWireError,
    WireTooLargeError,
)

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


class DecodedText(NamedTuple):
    """A wire's text and the encoding it was read in (what ``Article.source_encoding`` records)."""

    text: str
    encoding: str


#: Encoding names recorded in ``Article.source_encoding``.
ASCII = "ascii"
UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
EUC_KR = "euc-kr"
CP949 = "cp949"
LATIN1 = "iso-8859-1"
CP1252 = "cp1252"


def decode_wire(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode a wire's bytes to text, or raise a :class:`ParseError` saying why not.

    See :func:`decode_wire_as`, which also says which encoding was used.
    """
    return decode_wire_as(data, max_bytes=max_bytes).text


def decode_wire_as(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_control_share: float = _MAX_CONTROL_SHARE,
) -> DecodedText:
    """Decode a wire's bytes and name the encoding, or raise a :class:`ParseError`.

    Order: 7-bit ASCII; UTF-8 (a BOM is dropped and reported as ``utf-8-sig``);
    EUC-KR, then its superset CP949, if the result is mostly Hangul and ASCII;
    ISO-8859-1 when no byte falls in 0x80-0x9F (there it reads the same as
    CP1252), else CP1252, if the result is mostly ASCII. The text is decoded
    only; call :func:`normalise_text` to clean it up.

    ``max_control_share`` is the share of control bytes in the first 4 KiB above
    which the content counts as binary; control-framed formats (ANPA-1312,
    IPTC 7901) pass a higher one because a short story carries a dozen framing
    bytes.
    """
    check_size(data, max_bytes=max_bytes)
    if not data:
        raise EmptyWireError("wire is empty: 0 bytes of content")
    _refuse_binary(data, max_control_share=max_control_share)

    if data.isascii():
        return DecodedText(data.decode("ascii"), ASCII)
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return DecodedText(data[3:].decode("utf-8"), UTF8_BOM)
        return DecodedText(data.decode("utf-8"), UTF8)
    except UnicodeDecodeError as exc:
        utf8_error = exc

    for codec, name in (("euc_kr", EUC_KR), ("cp949", CP949)):
        try:
            korean = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if looks_like_korean_text(korean):
            return DecodedText(korean, name)
        # EUC-KR text is CP949 text too; a failed check will not pass the second time.
        break

    western = _decode_western(data)
    if western is not None:
        return western

    bad = data[utf8_error.start : utf8_error.start + 1].hex()
    raise UndecodableWireError(
        f"wire is not valid UTF-8 (byte 0x{bad} at offset {utf8_error.start}) and does not "
        "read as EUC-KR/CP949 Korean or Latin-1/CP1252 Western text either; "
        "re-send it as UTF-8"
    )


def _decode_western(data: bytes) -> DecodedText | None:
    # Bytes 0x80-0x9F are C1 controls in ISO-8859-1 but quotes and dashes in
    # CP1252; without them the two read the same and the older name is the truth.
    has_c1 = any(0x80 <= b <= 0x9F for b in data)
    attempts = ((CP1252, CP1252), (LATIN1, LATIN1)) if has_c1 else ((LATIN1, LATIN1),)
    for codec, name in attempts:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            # CP1252 leaves five bytes undefined; ISO-8859-1 then keeps them as
            # C1 controls, which normalise_text strips.
            continue
        if _mostly_ascii(text):
            return DecodedText(text, name)
    return None


def _refuse_binary(data: bytes, *, max_control_share: float = _MAX_CONTROL_SHARE) -> None:
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
    if share > max_control_share:
        window = "first 4 KiB" if len(data) > _SNIFF_BYTES else f"its {len(head)} bytes"
        raise UndecodableWireError(
            f"wire is binary: {share:.0%} control bytes in {window} "
            f"(text has at most {max_control_share:.0%})"
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


#: Characters Windows-1252 gives bytes 0x80-0x9F (Œ œ Š š Ÿ Ž ž ƒ ˆ ˜ and the dashes,
#: quotes, bullet, ellipsis, daggers, per mille, euro and trade mark signs).
_CP1252_HIGH = "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122"
#: The lead characters of UTF-8 read as Windows-1252: "Ã©" (é), "â€™" (’), "Â®" (®).
_MOJIBAKE_RE = re.compile(f"[ÂÃâ][\u0080-\u00bf{_CP1252_HIGH}]")
#: Runs of characters Windows-1252 (or Latin-1 for its five gaps) can hold: one byte each.
_BYTE_RUN_RE = re.compile(f"[\u0000-\u00ff{_CP1252_HIGH}]+")


def _as_bytes(run: str) -> bytes | None:
    out = bytearray()
    for c in run:
        try:
            out += c.encode("cp1252")
        except UnicodeEncodeError:
            if ord(c) > 0xFF:
                return None
            out.append(ord(c))  # the five bytes cp1252 leaves undefined, read as Latin-1
    return bytes(out)


def repair_mojibake(text: str) -> str:
    """UTF-8 that a sender decoded as Windows-1252 and encoded again, put back.

    Wire text double-encoded upstream reads "Dellâ€™s FireProâ„¢" for "Dell’s FirePro™",
    and the entity stage then finds names in the debris. Each run of single-byte
    characters holding such a sequence is re-read as UTF-8; a run that does not decode
    cleanly is left as it is, so genuine Latin-1 text ("Ã" in "SÃO PAULO") stays.
    """
    if _MOJIBAKE_RE.search(text) is None:
        return text

    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        if _MOJIBAKE_RE.search(run) is None:
            return run
        raw = _as_bytes(run)
        if raw is None:
            return run
        try:
            fixed = raw.decode("utf-8")
        except UnicodeDecodeError:
            return run
        return fixed if len(fixed) < len(run) else run

    return _BYTE_RUN_RE.sub(fix, text)


def normalise_text(text: str) -> str:
    """Full clean-up of a decoded wire; line structure is kept for the format parsers.

    Entities are decoded before control characters are stripped so that a
    ``&#13;`` or similar cannot smuggle a control character through; double-encoded
    UTF-8 is repaired first (:func:`repair_mojibake`).
    """
    text = repair_mojibake(normalise_newlines(text))
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


def sniff_text(head: bytes, text: str) -> str:
    """The sniffed prefix of a wire as text, in its own encoding where that is clear.

    The registry hands sniffers the prefix decoded as UTF-8 with replacement
    characters; a CP949 Korean wire then has none of its Hangul markers left.
    ``head`` may end in the middle of a character, so decoding is lenient.
    """
    if "\ufffd" not in text:
        return text
    korean = head.decode("cp949", errors="replace")
    if looks_like_korean_text(korean):
        return korean
    return head.decode("cp1252", errors="replace")


def decode_text(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode and normalise, refusing a wire with no text: what text formats start with."""
    return decode_text_as(data, max_bytes=max_bytes).text


def decode_text_as(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedText:
    """:func:`decode_text`, also naming the encoding the bytes were read in."""
    decoded = decode_wire_as(data, max_bytes=max_bytes)
    text = normalise_text(decoded.text)
    if not text.strip():
        raise EmptyWireError(
            f"wire has no text: its {len(data):,} bytes are only whitespace, "
            "control characters or a byte order mark"
        )
    return DecodedText(text, decoded.encoding)


class TextParser(Protocol):
    """A text format's parser: normalised text of one wire in, its one Article out."""

    def __call__(
        self, text: str, *, wire_id: str, received_at: datetime, source_encoding: str | None = None
    ) -> Article: ...


def parse_text_wire(
    data: bytes, parse_text: TextParser, *, wire_id: str, received_at: datetime
) -> list[Article]:
    """The registry ``parse`` of a one-story text format: decode and normalise the wire,
    then ``parse_text`` it, recording the encoding it was read in."""
    decoded = decode_text_as(data)
    return [
        parse_text(
            decoded.text,
            wire_id=wire_id,
            received_at=received_at,
            source_encoding=decoded.encoding,
        )
    ]


# ------------------------------------------------------------------- hard-wrapped text


def is_indented(line: str) -> bool:
    """A tab or at least two spaces open the line: how teletype copy marks a new paragraph."""
    return line.startswith(("\t", "  "))


def join_wrapped_lines(lines: Sequence[str]) -> list[str]:
    """Rejoin hard-wrapped lines into paragraphs, each with its whitespace collapsed.

    A blank line or an indented line (see :func:`is_indented`) starts a new
    paragraph; any other line continues the one before. Indentation common to
    every line is ignored first, so copy indented as a whole is not read as
    one paragraph per line. A line ending in a hyphen that joins two words
    ("North Korea-" / "U.S. talks") is joined without a space: wire wrappers
    break at hyphens but never hyphenate words themselves.
    """
    expanded = [line.expandtabs(8).rstrip() for line in lines]
    margin = min(
        (len(line) - len(line.lstrip(" ")) for line in expanded if line.strip()), default=0
    )
    paragraphs: list[str] = []
    current = ""
    for line in expanded:
        line = line[margin:]
        if not line.strip():
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if is_indented(line) and current:
            paragraphs.append(current)
            current = ""
        piece = collapse_whitespace(line)
        if not current:
            current = piece
        elif _joins_without_space(current, piece):
            current += piece
        else:
            current = f"{current} {piece}"
    if current:
        paragraphs.append(current)
    return paragraphs


def _joins_without_space(before: str, after: str) -> bool:
    return (
        len(before) >= 2 and before.endswith("-") and before[-2].isalnum() and after[:1].isalnum()
    )


# ------------------------------------------------------------------------- languages

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "of",
            "and",
            "to",
            "in",
            "is",
            "that",
            "for",
            "on",
            "with",
            "as",
            "was",
            "by",
            "said",
            "at",
            "from",
            "has",
            "have",
            "it",
            "its",
            "will",
            "are",
            "be",
            "an",
            "this",
            "which",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "ist",
            "nicht",
            "mit",
            "für",
            "auf",
            "den",
            "dem",
            "des",
            "ein",
            "eine",
            "sich",
            "im",
            "zu",
            "von",
            "wird",
            "sind",
            "bei",
            "nach",
            "auch",
            "wie",
            "am",
            "dass",
            "hat",
            "über",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "des",
            "est",
            "une",
            "pour",
            "dans",
            "que",
            "qui",
            "sur",
            "au",
            "aux",
            "du",
            "par",
            "pas",
            "ont",
            "été",
            "avec",
            "cette",
        ]
    ),
}
# Fewer matching words than this in the sample and the guess keeps its default.
_MIN_STOPWORDS = 3


def guess_language(text: str, *, default: str = "en") -> str:
    """BCP-47 code of the language ``text`` is most likely in: ko, en, de or fr.

    Korean is told by its script, the others by counting frequent function
    words in a prefix. Too little evidence returns ``default``.
    """
    if hangul_share(text) > 0.5:
        return "ko"
    words = re.findall(r"[^\W\d_]+", text[:_SAMPLE_CHARS].casefold())
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] < _MIN_STOPWORDS or scores[best] == scores.get(default, -1):
        return default
    return best


# ------------------------------------------------------------ German 7-bit (DIN 66003)

# Old German 7-bit wire feeds (ISO 646-DE / DIN 66003) reuse these ASCII code
# points for umlauts and the sharp s. "@" (the section sign there) is left
# alone: in today's copy it is far more often part of an e-mail address.
_DIN_66003 = str.maketrans({"[": "Ä", "\\": "Ö", "]": "Ü", "{": "ä", "|": "ö", "}": "ü", "~": "ß"})
_DIN_CHARS = frozenset("[\\]{|}~")


def looks_like_din_66003(text: str) -> bool:
    """True when 7-bit ``text`` uses ``{|}~[\\]`` as German letters ("M}nchen", "Stra~e").

    Nearly every such character must sit inside a word (a letter before it,
    or a lower-case letter after it: brackets in ordinary text stand around
    words, not inside them) and there must be at least two.
    """
    if not text.isascii():
        return False
    found = 0
    in_words = 0
    for index, char in enumerate(text):
        if char not in _DIN_CHARS:
            continue
        found += 1
        before = text[index - 1] if index else ""
        after = text[index + 1 : index + 2]
        if before.isalpha() or after.islower():
            in_words += 1
    return found >= 2 and in_words >= 0.9 * found


def from_din_66003(text: str) -> str:
    """Map German 7-bit text to the umlauts and sharp s it stands for."""
    return text.translate(_DIN_66003)


# ---------------------------------------------------------- control-character framing

SOH = "\x01"
STX = "\x02"
ETX = "\x03"
EOT = "\x04"
SYN = "\x16"

#: The share of control bytes (see :func:`decode_wire_as`) a framed wire may hold: framing
#: is a dozen bytes per message, so a short take can be 20% control bytes.
FRAMED_MAX_CONTROL_SHARE = 0.5


class FramedMessage(NamedTuple):
    """One SOH ... STX ... ETX ... EOT message of an ANPA-1312 or IPTC 7901 stream.

    ``header`` is what stands between SOH and STX, ``text`` between STX and
    ETX, ``trailer`` between ETX and EOT (or the next message); all still hold
    their control characters. ``complete`` is False when STX or ETX is missing.
    """

    header: str
    text: str
    trailer: str
    complete: bool


def split_framed(text: str) -> list[FramedMessage]:
    """Every message in ``text``, in order; an empty list when there is no SOH at all.

    Line noise before the first SOH (SYN fill, CR/LF) is ignored; a stream of
    several messages gives several entries.
    """
    messages: list[FramedMessage] = []
    start = text.find(SOH)
    while start >= 0:
        following = text.find(SOH, start + 1)
        chunk = text[start + 1 : following if following >= 0 else len(text)]
        messages.append(_frame(chunk))
        start = following
    return messages


def framed_messages(text: str, *, format_name: str) -> list[FramedMessage]:
    """:func:`split_framed`, refusing with :class:`FramingError` a wire with no SOH at all."""
    messages = split_framed(text)
    if not messages:
        raise FramingError(
            f"{format_name} wire has no SOH (start of header) control character; "
            f"it is not framed as {format_name} (send it without the hint to auto-detect)"
        )
    return messages


def require_complete(message: FramedMessage, *, format_name: str, shown_header: str) -> None:
    """Refuse with :class:`FramingError` a message cut off before its STX or ETX.

    ``shown_header`` is the header as the error quotes it (each format shows its own way).
    """
    if message.complete:
        return
    part = "STX" if not message.text else "ETX"
    raise FramingError(
        f"{format_name} message is incomplete: no {part} after the header "
        f"{shown_header[:60]!r}; the transmission was probably cut off"
    )


def _frame(chunk: str) -> FramedMessage:
    stx = chunk.find(STX)
    if stx < 0:
        return FramedMessage(header=chunk, text="", trailer="", complete=False)
    header, rest = chunk[:stx], chunk[stx + 1 :]
    etx = rest.find(ETX)
    if etx < 0:
        return FramedMessage(header=header, text=rest, trailer="", complete=False)
    trailer = rest[etx + 1 :]
    eot = trailer.find(EOT)
    if eot >= 0:
        trailer = trailer[:eot]
    return FramedMessage(header=header, text=rest[:etx], trailer=trailer.strip(SYN), complete=True)


def is_number(text: str) -> bool:
    """ASCII digits only. ``str.isdigit`` also accepts '²' and other digits ``int`` refuses."""
    return text.isascii() and text.isdigit()
