"""`wirestream parse`: a report of what the parsers make of wires, no Kafka, no model."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from schemas.article import Article
from streams.cli.main import app
from streams.cli.parse_cmd import FormatCounts, render_summary, summarise
from tests.conftest import EXAMPLES

runner = CliRunner()

YONHAP = EXAMPLES / "yonhap-20260114-port-strike.txt"
PLAIN = EXAMPLES / "plain-20260220-central-bank.txt"
CORRUPT = EXAMPLES / "corrupt-upload.bin"


def test_each_wire_shows_format_headline_dateline_body_ends_version_and_story() -> None:
    result = runner.invoke(app, ["parse", str(YONHAP)])

    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[yonhap-text]" in out
    assert "headline  Dockworkers at Busan port end three-day strike after wage deal" in out
    assert "dateline  BUSAN" in out
    assert "body      6 paragraphs: \"Dockworkers at South Korea's largest" in out
    assert "version   2 LEAD" in out
    assert "story     yonhap:20260114:busan-port-strike" in out


def test_rejections_are_reported_with_their_code_and_do_not_fail_the_run() -> None:
    result = runner.invoke(app, ["parse", str(CORRUPT), str(PLAIN)])

    assert result.exit_code == 0, result.output
    assert "rejected [W102]" in result.stdout
    assert "Central bank holds rates steady" in result.stdout


def test_strict_fails_when_any_wire_is_rejected() -> None:
    assert runner.invoke(app, ["parse", "--strict", str(CORRUPT)]).exit_code == 1
    assert runner.invoke(app, ["parse", "--strict", str(PLAIN)]).exit_code == 0


def test_summary_counts_parsed_and_rejected_per_format(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["parse", "--summary", str(EXAMPLES), str(tmp_path)])

    assert result.exit_code == 0, result.output
    table = result.stdout[result.stdout.index("format ") :].splitlines()
    rows = {line.split()[0]: line.split() for line in table[1:]}
    assert rows["yonhap-text"][1:4] == ["1", "1", "0"]
    assert rows["plain-text"][1:4] == ["1", "1", "1"]
    assert "W102" in " ".join(rows["plain-text"][4:])
    assert rows["-"][1:4] == ["0", "0", "1"], "the empty file never reached a parser"
    assert rows["total"][1:4] == ["2", "2", "2"]


def test_json_lines_and_summary_object() -> None:
    result = runner.invoke(app, ["parse", "--json", "--summary", str(CORRUPT), str(YONHAP)])

    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    rejected, parsed, summary = lines
    assert rejected["status"] == "rejected" and rejected["code"] == "W102"
    assert parsed["status"] == "parsed"
    assert (parsed["format"], parsed["item"], parsed["items"]) == ("yonhap-text", 1, 1)
    article = parsed["article"]
    assert article["dateline"]["cities"] == ["BUSAN"]
    assert article["version"] == 2
    assert article["body"][-1].endswith("Europe and the United States.")
    assert summary["summary"]["yonhap-text"] == {
        "parsed": 1,
        "items": 1,
        "rejected": 0,
        "reasons": {},
    }


def test_a_declared_format_is_used_and_an_unknown_one_is_refused() -> None:
    as_plain = runner.invoke(app, ["parse", "--json", "--format", "text", str(YONHAP)])
    assert json.loads(as_plain.stdout)["format"] == "plain-text"

    unknown = runner.invoke(app, ["parse", "--format", "telex", str(YONHAP)])
    assert unknown.exit_code == 2
    assert "W103" in unknown.output


def test_summary_table_totals() -> None:
    counts = {"a": FormatCounts(parsed=2, articles=3), "b": FormatCounts(parsed=0)}
    counts["b"].rejected["W104 LayoutError"] = 2

    table = render_summary(counts).splitlines()

    assert table[-1].split() == ["total", "2", "3", "2"]
    assert table[2].split()[-2:] == ["LayoutError", "x2"]
    assert summarise([]) == {}


def test_json_prints_every_article_field_untruncated() -> None:
    result = runner.invoke(app, ["parse", "--json", str(YONHAP)])

    assert result.exit_code == 0, result.output
    article = json.loads(result.stdout)["article"]
    expected = Article.model_fields.keys()
    assert set(article) == set(expected)
    assert len(article["body"]) == 6
    assert "\u2026" not in "".join(article["body"]), "nothing is clipped"
    assert Article.model_validate(article).headline == article["headline"]
