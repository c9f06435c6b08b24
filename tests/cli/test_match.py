from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from streams.cli.main import app
from tests.alerts.factory import record

runner = CliRunner()


def _wires(tmp_path: Path) -> Path:
    path = tmp_path / "enriched.jsonl"
    path.write_text(
        record(
            "Missile launch watched by Kim Jong-un",
            "Kim Jong-un oversaw the missile launch.",
            entities=(("Kim Jong-un", "PERSON"),),
            story_id="s1",
        ).model_dump_json()
        + "\n"
        + record("Port strike ends", "Dockers went back to work.", story_id="s2").model_dump_json()
        + "\n",
        encoding="utf-8",
    )
    return path


def test_match_shows_what_matched_and_where(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["match", '"missile launch" AND NOT strike', str(_wires(tmp_path)), "--enriched"]
    )
    assert result.exit_code == 0, result.output
    assert "Missile launch watched by Kim Jong-un" in result.stdout
    assert "Port strike ends" not in result.stdout
    assert "headline[0:14] …[Missile launch]" in result.stdout
    assert "1 of 2 articles matched" in result.stderr


def test_match_exits_1_when_nothing_matched(tmp_path: Path) -> None:
    result = runner.invoke(app, ["match", "football", str(_wires(tmp_path)), "--enriched"])
    assert result.exit_code == 1
    assert "0 of 2 articles matched" in result.stderr


def test_match_points_at_a_query_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["match", "(missile OR", str(_wires(tmp_path)), "--enriched"])
    assert result.exit_code == 2
    assert "column 12: expected a term" in result.stderr
    assert "\n  (missile OR\n             ^" in result.stderr
