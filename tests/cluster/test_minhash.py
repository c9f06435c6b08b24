"""MinHash signatures and LSH bands: estimates, stability, encoding."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from streams.cluster import minhash

HEADLINE = "Dockworkers at Busan port walk out over pay"
BODY = "About 2,300 dockworkers at Busan port went on strike on Wednesday over wages."


def test_identical_texts_have_identical_signatures() -> None:
    a = minhash.fingerprint(headline=HEADLINE, body=BODY)
    b = minhash.fingerprint(headline=HEADLINE, body=BODY)
    assert np.array_equal(a.signature, b.signature)
    assert minhash.jaccard(a.signature, b.signature) == 1.0


def test_estimate_follows_the_true_jaccard_of_the_word_sets() -> None:
    words = [f"word{i}" for i in range(200)]
    a = set(words[:150])
    b = set(words[50:])  # true Jaccard 100 / 200 = 0.5
    estimate = minhash.jaccard(minhash.signature(a).signature, minhash.signature(b).signature)
    assert abs(estimate - 0.5) < 0.15


def test_disjoint_sets_have_a_low_estimate_and_empty_ones_zero() -> None:
    a = minhash.signature({f"a{i}" for i in range(100)})
    b = minhash.signature({f"b{i}" for i in range(100)})
    assert minhash.jaccard(a.signature, b.signature) < 0.1
    empty = minhash.signature(set())
    assert empty.size == 0
    assert minhash.jaccard(empty.signature, empty.signature) == 0.0


def test_shingles_drop_function_words_and_furniture_and_keep_numbers() -> None:
    found = minhash.shingles(
        headline="(LEAD) Strike at the port", body="SEOUL (Yonhap) -- 2,300 workers"
    )
    assert "2300" in found
    assert not found & {"the", "at", "yonhap", "lead"}
    assert "strik" in found


def test_containment_of_a_short_take_in_the_full_story() -> None:
    assert minhash.containment(0.2, 10, 50) == pytest.approx(1.0)
    assert minhash.containment(0.0, 10, 50) == 0.0


def test_signature_round_trips_through_its_text_form() -> None:
    sig = minhash.fingerprint(headline=HEADLINE, body=BODY).signature
    assert np.array_equal(minhash.decode(minhash.encode(sig)), sig)
    with pytest.raises(ValueError):
        minhash.decode("00ff")


def test_bands_have_one_key_per_band_and_equal_texts_share_all() -> None:
    a = minhash.bands(minhash.fingerprint(headline=HEADLINE, body=BODY).signature)
    assert len(a) == minhash.BANDS
    assert a == minhash.bands(minhash.fingerprint(headline=HEADLINE, body=BODY).signature)


def test_signatures_do_not_depend_on_the_hash_seed() -> None:
    code = (
        "import sys, json; from streams.cluster import minhash; h, b = json.load(sys.stdin); "
        "print(minhash.encode(minhash.fingerprint(headline=h, body=b).signature))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps([HEADLINE, BODY]),
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_index_keys_agree_with_the_band_digests_band_by_band() -> None:
    a = minhash.fingerprint(headline=HEADLINE, body=BODY).signature
    b = minhash.fingerprint(headline=HEADLINE, body=BODY + " One more sentence here.").signature
    same_digest = [x == y for x, y in zip(minhash.bands(a), minhash.bands(b), strict=True)]
    same_key = [x == y for x, y in zip(minhash.index_keys(a), minhash.index_keys(b), strict=True)]
    assert same_key == same_digest
    assert any(same_key) and not all(same_key)
    assert len(set(minhash.index_keys(a))) == minhash.BANDS, "band numbers keep bands apart"
