"""`wirestream train topics` passes the variant options (--balance, --cap, --blend) to training."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner

from streams.classify import training
from streams.classify.training import TrainOptions, TrainResult
from streams.cli.main import app


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[TrainOptions]:
    seen: list[TrainOptions] = []

    def fake_run(options: TrainOptions, echo: Callable[[str], None] = print) -> TrainResult:
        seen.append(options)
        return TrainResult()

    monkeypatch.setattr(training, "run", fake_run)
    return seen


def test_variant_options_reach_the_training_options(captured: list[TrainOptions]) -> None:
    result = CliRunner().invoke(
        app,
        [
            "train",
            "topics",
            "--all-data",
            "--balance",
            "0.5",
            "--cap",
            "wikipedia:Armed conflicts and attacks=1000",
            "--cap",
            "huffpost:fewshot_headlines_41x900=5",
            "--blend",
            "2",
            "--validate",
        ],
    )
    assert result.exit_code == 0, result.output
    (options,) = captured
    assert options.balance == 0.5
    assert options.caps == {
        "wikipedia:Armed conflicts and attacks": 1000,
        "huffpost:fewshot_headlines_41x900": 5,
    }
    assert options.blend == 2.0


def test_no_variant_options_is_the_shipped_recipe(captured: list[TrainOptions]) -> None:
    result = CliRunner().invoke(app, ["train", "topics", "--validate"])
    assert result.exit_code == 0, result.output
    (options,) = captured
    assert (options.balance, dict(options.caps), options.blend) == (0.0, {}, None)


def test_a_cap_without_a_count_is_refused(captured: list[TrainOptions]) -> None:
    result = CliRunner().invoke(app, ["train", "topics", "--cap", "wikipedia"])
    assert result.exit_code != 0
    assert "--cap" in result.output
    assert captured == []
