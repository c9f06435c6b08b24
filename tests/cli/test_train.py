"""`wirestream train`: the command group and its refusals (training itself is in tests/classify)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from streams.classify import build
from streams.cli.main import app

runner = CliRunner()


def test_train_group_lists_the_topics_and_ner_commands() -> None:
    result = runner.invoke(app, ["train", "--help"])
    assert result.exit_code == 0
    assert "topics" in result.output
    assert "Train the CoNLL-2003 NER weights" in result.output


def test_train_topics_refuses_the_held_out_conll_sets_before_reading_any_data(
    tmp_path: Path,
) -> None:
    out = tmp_path / "model.npz"
    result = runner.invoke(
        app, ["train", "topics", "--conll", str(tmp_path / "eng.testb"), "--out", str(out)]
    )
    assert result.exit_code == 2
    assert "only CoNLL-2003 eng.train may be trained on" in result.output
    assert not out.exists()


@pytest.mark.skipif(
    not build.DEFAULT_SOURCE.parent.is_dir(),
    reason=f"IPTC source folder {build.DEFAULT_SOURCE.parent} is absent (read before HuffPost)",
)
def test_train_topics_says_which_data_file_is_missing(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    result = runner.invoke(
        app,
        ["train", "topics", "--huffpost", str(missing), "--no-conll", "--out", str(tmp_path / "m")],
    )
    assert result.exit_code == 2
    assert "cannot read HuffPost data" in result.output and "nope.jsonl" in result.output


def test_train_ner_help_lists_the_training_modules_options() -> None:
    result = runner.invoke(app, ["train", "ner", "--help"])
    assert result.exit_code == 0
    assert "usage: wirestream train ner" in result.output
    for option in ("--data", "--seed", "--width", "--rows", "--learn-rate"):
        assert option in result.output


def test_train_ner_refuses_row_counts_that_do_not_match_the_attributes(tmp_path: Path) -> None:
    out = tmp_path / "weights"
    result = runner.invoke(app, ["train", "ner", "--rows", "1,2", "--out", str(out)])
    assert result.exit_code == 2
    assert "2 row counts for 4 attributes" in result.output
    assert not out.exists()


def test_train_ner_says_where_it_looked_for_eng_train(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "ner", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert f"no eng.train in {tmp_path}" in result.output
