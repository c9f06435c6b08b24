"""`wirestream build`: the shipped data files, rebuilt by the CLI."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from streams.cli.main import app
from streams.nlp import build_gazetteer

runner = CliRunner()


def test_build_group_lists_its_three_builders() -> None:
    result = runner.invoke(app, ["build", "--help"])
    assert result.exit_code == 0
    for command in ("gazetteer", "lexicon", "term-df"):
        assert command in result.output


def test_each_builder_shows_its_own_options_under_its_cli_name() -> None:
    for command, option in (("gazetteer", "--out"), ("lexicon", "--cues"), ("term-df", "--data")):
        result = runner.invoke(app, ["build", command, "--help"])
        assert result.exit_code == 0, result.output
        assert f"usage: wirestream build {command}" in result.output
        assert option in result.output


def test_build_gazetteer_writes_the_shipped_file_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "gazetteer.json"
    result = runner.invoke(app, ["build", "gazetteer", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == build_gazetteer.OUTPUT.read_bytes()


def test_build_refuses_an_unknown_option() -> None:
    result = runner.invoke(app, ["build", "gazetteer", "--colour", "red"])
    assert result.exit_code == 2
    assert "unrecognized arguments: --colour red" in result.output
