"""The commands a person types: output, exit codes, help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from streams.cli.main import app
from streams.cli.tail import resolve_topic
from tests.conftest import EXAMPLES

runner = CliRunner()


def test_enrich_prints_one_json_record_per_wire_with_entities_and_topics() -> None:
    result = runner.invoke(
        app,
        [
            "enrich",
            str(EXAMPLES / "yonhap-20260114-port-strike.txt"),
            str(EXAMPLES / "plain-20260220-central-bank.txt"),
        ],
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["article"]["headline"] for r in records] == [
        "Dockworkers at Busan port end three-day strike after wage deal",
        "Central bank holds rates steady as inflation cools",
    ]
    first = records[0]
    types = {e["name"]: e["type"] for e in first["entities"]}
    assert {
        "Busan": "GPE",
        "Korean Port Workers' Union": "ORG",
        "Ministry of Oceans and Fisheries": "ORG",
        "Choi Dong-hyun": "PERSON",
        "HMM": "ORG",
    }.items() <= types.items()
    sections = {
        "headline": first["article"]["headline"],
        "body": "\n\n".join(first["article"]["body"]),
    }
    mentions = [m for e in first["entities"] for m in e["mentions"]]
    assert {m["section"] for m in mentions} == {"headline", "body"}
    for m in mentions:
        assert sections[m["section"]][m["start"] : m["end"]] == m["text"]
    assert first["stages"] == ["parse", "entities", "topics"]
    assert first["topics"]


def test_enrich_reports_a_bad_wire_with_its_code_and_exits_1() -> None:
    result = runner.invoke(app, ["enrich", str(EXAMPLES / "corrupt-upload.bin")])
    assert result.exit_code == 1
    assert "[W102]" in result.stderr
    assert result.stdout == ""


def test_enrich_reads_stdin() -> None:
    result = runner.invoke(
        app, ["enrich", "-"], input="Storm closes schools\n\nSchools in Busan closed on Monday.\n"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["article"]["headline"] == "Storm closes schools"


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["demo"],
        ["ingest"],
        ["enrich"],
        ["tail"],
        ["worker"],
        ["schemas"],
        ["broker"],
        ["broker", "start"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.stdout


def test_tail_accepts_short_topic_names_and_rejects_unknown_ones() -> None:
    assert resolve_topic("enriched") == "wires.enriched"
    assert resolve_topic("wires.dlq") == "wires.dlq"
    with pytest.raises(typer.BadParameter, match=r"wires\.raw"):
        resolve_topic("nope")


def test_schemas_check_passes_on_the_committed_files() -> None:
    result = runner.invoke(app, ["schemas", "--check"])
    assert result.exit_code == 0, result.output


def test_enrich_gives_a_resent_story_and_its_update_one_cluster(tmp_path: Path) -> None:
    first = (EXAMPLES / "plain-20260220-central-bank.txt").read_text(encoding="utf-8")
    update = first.replace(
        "Markets had widely expected the decision.",
        "Markets had widely expected the decision, analysts said.",
    )
    other = "Storm closes schools\n\nSchools in Busan closed on Monday as a typhoon neared.\n"
    paths = []
    for name, text in (("a.txt", first), ("b.txt", update), ("c.txt", other)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    result = runner.invoke(app, ["enrich", *paths])
    assert result.exit_code == 0, result.output
    clusters = [json.loads(line)["cluster_id"] for line in result.stdout.splitlines()]
    assert clusters[0] == clusters[1]
    assert clusters[2] != clusters[0]


def test_tail_pretty_shows_kills_and_released_copy_readably() -> None:
    from datetime import UTC, datetime

    from schemas import KillNotice
    from streams.cli.tail import render

    kill = KillNotice(
        pipeline_version="v",
        story_id="ap:story-1",
        article_id="a",
        wire_id="w",
        source_agency="AP",
        headline="KILL: Dam story",
        reason="publication status canceled",
        received_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    shown = render("wires.kills", kill.to_json(), pretty=True)
    assert "kill: KILL: Dam story" in shown and "ap:story-1" in shown
    assert render("wires.kills", b"not json", pretty=True) == "not json"
