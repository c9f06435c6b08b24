"""The news prior: stored in the model, read from its TOML file, applied when scoring."""

from __future__ import annotations

import dataclasses
import json
import math
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from streams.classify.errors import ClassifyError, ModelError
from streams.classify.model import (
    MODEL_FILE,
    NEWS_PRIOR_KEY,
    TopicModel,
    load_model,
    news_log_prior,
    read_model,
    score,
)
from streams.classify.training import read_news_prior
from streams.classify.training.sources import DEFAULT_NEWS_PRIOR

HEADLINE = "Minister resigns after budget vote"
BODY = "The finance minister stepped down on Tuesday after parliament rejected the budget."


def with_prior(weight: float, shares: dict[str, float]) -> TopicModel:
    model = load_model()
    meta = {**model.meta, NEWS_PRIOR_KEY: {"weight": weight, "shares": shares}}
    return dataclasses.replace(model, meta=meta)


def uniform(value: float = 1.0) -> dict[str, float]:
    return {q: value for q in load_model().qcodes}


def test_the_prior_adds_weight_times_log_share_to_each_topic() -> None:
    model = load_model()
    shares = uniform()
    shares[model.qcodes[0]] = 4.0
    prior = news_log_prior(with_prior(0.5, shares))
    assert prior is not None
    # Only differences matter: the first topic gains 0.5 * ln 4 over the others.
    assert float(prior[0] - prior[1]) == pytest.approx(0.5 * math.log(4.0), abs=1e-5)
    assert float(prior[1] - prior[2]) == pytest.approx(0.0, abs=1e-6)


def without_prior() -> TopicModel:
    model = load_model()
    meta = {k: v for k, v in model.meta.items() if k != NEWS_PRIOR_KEY}
    return dataclasses.replace(model, meta=meta)


def test_a_uniform_or_zero_weight_prior_changes_no_probability() -> None:
    plain = score(headline=HEADLINE, body=BODY, model=without_prior())
    tilted = {**uniform(), "medtop:11000000": 50.0}
    for model in (with_prior(1.0, uniform(3.0)), with_prior(0.0, tilted)):
        scored = score(headline=HEADLINE, body=BODY, model=model)
        np.testing.assert_allclose(scored.probabilities, plain.probabilities, atol=1e-6)


def test_a_model_file_with_a_malformed_prior_is_refused(tmp_path: Path) -> None:
    source = resources.files("streams.classify").joinpath("data", MODEL_FILE)
    with source.open("rb") as handle, np.load(handle) as archive:
        arrays = {name: archive[name] for name in archive.files}
    meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
    meta[NEWS_PRIOR_KEY] = {"weight": 1.0, "shares": {"medtop:11000000": 2.0}}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    path = tmp_path / "model.npz"
    np.savez(path, **arrays)
    with pytest.raises(ModelError, match="news prior"):
        read_model(path)


def test_a_prior_favouring_a_topic_raises_its_probability() -> None:
    base = with_prior(0.0, uniform())
    tilted = with_prior(1.0, {**uniform(), "medtop:15000000": 100.0})
    sport = load_model().qcodes.index("medtop:15000000")
    before = score(headline=HEADLINE, body=BODY, model=base).probabilities[sport]
    after = score(headline=HEADLINE, body=BODY, model=tilted).probabilities[sport]
    assert after > 10 * before


def test_read_news_prior_orders_the_shares_by_the_models_topics(tmp_path: Path) -> None:
    qcodes = list(load_model().qcodes)
    path = tmp_path / "prior.toml"
    shares = (f'"{q}" = {i + 1}' for i, q in enumerate(reversed(qcodes)))
    lines = ["weight = 0.3", "[shares]", *shares]
    path.write_text("\n".join(lines), encoding="utf-8")
    prior = read_news_prior(path, qcodes)
    assert prior["weight"] == 0.3
    assert list(prior["shares"]) == qcodes
    assert prior["shares"][qcodes[-1]] == 1.0


@pytest.mark.parametrize(
    "text",
    [
        'weight = 0.3\n[shares]\n"medtop:11000000" = 2\n',  # topics missing
        "[shares]\n",  # no weight
        "weight = 'x'\n",
        "weight = [",
    ],
)
def test_a_malformed_prior_file_raises_a_classify_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "prior.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ClassifyError, match="news prior"):
        read_news_prior(path, list(load_model().qcodes))


def test_a_zero_share_is_refused(tmp_path: Path) -> None:
    qcodes = list(load_model().qcodes)
    path = tmp_path / "prior.toml"
    body = "\n".join(f'"{q}" = {0 if i == 0 else 1}' for i, q in enumerate(qcodes))
    path.write_text(f"weight = 1.0\n[shares]\n{body}\n", encoding="utf-8")
    with pytest.raises(ClassifyError, match="positive share"):
        read_news_prior(path, qcodes)


def test_the_packaged_prior_file_covers_every_topic() -> None:
    prior = read_news_prior(DEFAULT_NEWS_PRIOR, list(load_model().qcodes))
    assert 0.0 <= prior["weight"] <= 1.0
