"""MinHash signatures and LSH bands of an article's word shingles: pure functions.

Shingles are single content words: folded, lightly stemmed, function words
and wire furniture dropped, numbers kept. Two agencies' reports of one event
share its names, places and figures rather than its sentences, so word
n-grams would miss them; on our labelled pairs (``tests/cluster/pairs.jsonl``)
the same story from two agencies has a word-set Jaccard of 0.36-0.48, a re-sent
take about 0.8, and unrelated stories of the same day and beat 0.04-0.15.

A signature is :data:`NUM_PERM` minima of salted multiply-shift hashes of the
shingles' CRC-32 (salts drawn once from a fixed seed), so the share of equal
slots estimates the Jaccard similarity of two shingle sets. It is cut into
:data:`BANDS` bands of :data:`ROWS` slots; two articles sharing any band are
candidates, which is near certain from a Jaccard of 0.25 on (64 bands of 2
rows: 98.4%) and still likely at 0.15 (77%). Candidates are then judged on the
full signatures.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from streams.classify.text import STOP_WORDS, stem

NUM_PERM = 128
ROWS = 2
BANDS = NUM_PERM // ROWS
_SEED = 20250903
# Multiply-shift hashing: (a*x + b) mod 2**64, top 32 bits; a odd. numpy's
# uint64 arithmetic wraps, which is exactly the mod 2**64 wanted.
_rng = np.random.Generator(np.random.PCG64(_SEED))
_A = _rng.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64)
_SHIFT = np.uint64(32)
_EMPTY_SLOT = 0xFFFFFFFF

_TOKEN = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*")
# Wire furniture that every story of an agency shares.
_FURNITURE_TEXT = (
    "yonhap ap afp reuters dpa kyodo xinhua ld lead roundup urgent update updates adds end "
    "attn photo photos copyright"
)
_FURNITURE = frozenset(_FURNITURE_TEXT.split())

Signature = npt.NDArray[np.uint32]


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """An article's signature and the size of its shingle set."""

    signature: Signature
    size: int


def _fold(token: str) -> str:
    token = token.casefold().replace("’", "'")
    if not token.isascii():
        token = "".join(
            ch for ch in unicodedata.normalize("NFKD", token) if not unicodedata.combining(ch)
        )
    return token.removesuffix("'s")


def content_words(text: str) -> list[str]:
    """Folded content words and numbers of ``text``, in order."""
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        token = _fold(match.group())
        if token.replace(".", "").replace(",", "").isdigit():
            out.append(token.replace(",", ""))
            continue
        if len(token) < 2 or token in STOP_WORDS or token in _FURNITURE:
            continue
        out.append(stem(token))
    return out


def shingles(*, headline: str, body: str) -> set[str]:
    """The content words of headline and body, as a set."""
    return {*content_words(headline), *content_words(body)}


def signature(items: Iterable[str]) -> Fingerprint:
    """MinHash signature of a set of strings (all slots empty for an empty set)."""
    hashes = np.fromiter((zlib.crc32(item.encode("utf-8")) for item in items), dtype=np.uint64)
    if hashes.size == 0:
        return Fingerprint(np.full(NUM_PERM, _EMPTY_SLOT, dtype=np.uint32), 0)
    permuted = (hashes[:, None] * _A[None, :] + _B[None, :]) >> _SHIFT
    minima = permuted.min(axis=0).astype(np.uint32)
    return Fingerprint(minima, int(hashes.size))


def fingerprint(*, headline: str, body: str) -> Fingerprint:
    """The article's signature over :func:`shingles`."""
    return signature(shingles(headline=headline, body=body))


def bands(sig: Signature) -> list[str]:
    """One key per band: band number and a short digest of its slots."""
    rows = np.ascontiguousarray(sig, dtype="<u4").reshape(BANDS, ROWS)
    return [
        f"{i}:{hashlib.blake2b(row.tobytes(), digest_size=6).hexdigest()}"
        for i, row in enumerate(rows)
    ]


def index_keys(sig: Signature) -> list[bytes]:
    """The bands as in-memory index keys: the band number and its slots' bytes, no digest.

    Equal bands give equal keys exactly as :func:`bands` does, at a fraction of the
    cost (the index builds them once per article); they are never stored.
    """
    raw = np.ascontiguousarray(sig, dtype="<u4").tobytes()
    step = ROWS * 4
    return [bytes((i,)) + raw[i * step : (i + 1) * step] for i in range(BANDS)]


def jaccard(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity: the share of equal slots (0 for empty signatures)."""
    if int(a[0]) == _EMPTY_SLOT and bool((a == _EMPTY_SLOT).all()):
        return 0.0
    return float(np.count_nonzero(a == b)) / NUM_PERM


def containment(jaccard_estimate: float, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller set found in the larger one."""
    smaller = min(size_a, size_b)
    if smaller <= 0 or jaccard_estimate <= 0.0:
        return 0.0
    intersection = jaccard_estimate * (size_a + size_b) / (1.0 + jaccard_estimate)
    return min(1.0, intersection / smaller)


def encode(sig: Signature) -> str:
    """Compact text form of a signature (hex of its little-endian bytes), for table values."""
    return np.ascontiguousarray(sig, dtype="<u4").tobytes().hex()


def decode(text: str) -> Signature:
    data = bytes.fromhex(text)
    if len(data) != NUM_PERM * 4:
        raise ValueError(f"a signature has {NUM_PERM * 4} bytes, got {len(data)}")
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def similar(
    a: Fingerprint,
    b: Fingerprint,
    *,
    min_jaccard: float,
    min_containment: float,
    min_size: int,
    min_containment_jaccard: float,
) -> tuple[bool, float]:
    """Whether two fingerprints are one story, and the similarity that decided it.

    Containment is derived from the Jaccard estimate and the set sizes, so its error
    grows with the size ratio: against a long digest or a speech transcript, the few
    everyday words any short story shares with it (estimated Jaccard 0.03-0.1) already
    read as "most of the short one is in there". Below ``min_containment_jaccard`` the
    estimate is too thin to rest containment on.
    """
    j = jaccard(a.signature, b.signature)
    if j >= min_jaccard:
        return True, j
    if j >= min_containment_jaccard and min(a.size, b.size) >= min_size:
        c = containment(j, a.size, b.size)
        if c >= min_containment:
            return True, c
    return False, j


def band_keys(fingerprints: Sequence[Fingerprint]) -> list[list[str]]:
    return [bands(f.signature) for f in fingerprints]
