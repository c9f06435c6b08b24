"""The commands a person types: output, exit codes, help."""

from __future__ import annotations

import json

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
    body = "\n\n".join(first["article"]["body"])
    for entity in first["entities"]:
        for m in entity["mentions"]:
            if m["section"] == "body":
                assert body[m["start"] : m["end"]] == m["text"]
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
