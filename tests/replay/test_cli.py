"""`wirestream replay` refuses bad input with a clear error before touching Kafka."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from streams.cli.main import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-01-14T00:00"], "[W701] the time '2026-01-14T00:00' has no zone"),
        (["--from", "-1d", "--to", "-2d"], "is not before --to"),
        (["--from", "yesterday"], "cannot read the time 'yesterday'"),
        ([], "give --from (and --to), --resume ID or --list"),
        (["--copy", "--from", "-1d"], "--copy needs --topic"),
        (["--resume", "r1", "--from", "-1d"], "--resume takes the replay's own window"),
        (["--copy", "--re-enrich", "--from", "-1d"], "exclude each other"),
    ],
)
def test_bad_input_is_one_error_line_and_exit_code_2(args: list[str], message: str) -> None:
    # No cluster answers at this address: every one of these fails before asking it.
    result = runner.invoke(
        app, ["replay", *args], env={"WIRESTREAM_KAFKA_BOOTSTRAP": "127.0.0.1:1"}
    )
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_help_names_every_option() -> None:
    result = runner.invoke(app, ["replay", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in ("--from", "--to", "--copy", "--re-enrich", "--resume", "--list", "--max-rate"):
        assert option in result.output
