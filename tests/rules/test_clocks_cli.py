"""`waymark clocks`: the JSON contract, the table and every error path."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer
from typer.testing import CliRunner

from waymark import areas as areas_module
from waymark.cli.clocks import clocks


def make_app() -> typer.Typer:
    """A small app registering the command the way the main app does."""
    app = typer.Typer()
    app.command("clocks")(clocks)

    @app.command()
    def other() -> None:
        """A second command, so `clocks` is a subcommand as it is in the main app."""

    return app


def run(*args: str) -> SimpleNamespace:
    # A wide, colourless terminal, so Rich neither wraps nor styles the text checked below.
    runner = CliRunner(env={"NO_COLOR": "1", "FORCE_COLOR": None, "COLUMNS": "200"})
    result = runner.invoke(make_app(), ["clocks", *args])
    return SimpleNamespace(code=result.exit_code, out=result.stdout, err=result.stderr)


def test_json_shape_for_england() -> None:
    result = run(
        "--area",
        "england",
        "--edd",
        "2026-09-10",
        "--strategy-discussion",
        "2026-03-02",
        "--conference",
        "2026-03-20",
        "--birth",
        "2026-05-01",
        "--json",
    )
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert set(payload) == {"area", "deadlines"}
    assert payload["area"] == "england"
    assert all(set(item) == {"key", "due", "basis"} for item in payload["deadlines"])
    assert {item["key"]: item["due"] for item in payload["deadlines"]} == {
        "prebirth_conference_latest": "2026-06-18",
        "initial_conference": "2026-03-23",
        "conference_due": "2026-03-23",
        "notice_to_participants": "2026-03-13",
        "reports_to_woman": "2026-03-17",
        "decision_letter": "2026-03-23",
        "minutes": "2026-04-14",
        "first_core_group": "2026-04-07",
        "first_review": "2026-06-02",
    }
    assert payload["deadlines"][1]["basis"] == (
        "15 working days after the strategy discussion (2 March 2026)"
    )


def test_json_for_an_area_file_and_a_review() -> None:
    # Glenbrae closes on Easter Monday (6 April 2026), which Scotland does not.
    result = run(
        "--area",
        "glenbrae",
        "--edd",
        "2026-09-10",
        "--conference",
        "2026-03-20",
        "--conference-kind",
        "review",
        "--concern",
        "2026-03-01",
        "--json",
    )
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert payload["area"] == "glenbrae"
    assert {item["key"]: item["due"] for item in payload["deadlines"]} == {
        "prebirth_conference_latest": "2026-03-29",
        "conference_due": "2026-03-29",
        "notice_to_participants": "2026-03-15",
        "reports_to_woman": "2026-03-18",
        "decision_letter": "2026-03-23",
        "minutes": "2026-04-07",
        "next_review": "2026-09-20",
    }


def test_table_without_json() -> None:
    result = run("--area", "scotland", "--edd", "2026-09-10", "--concern", "2026-03-01")
    assert result.code == 0, result.err
    assert "Deadlines in Scotland" in result.out
    assert "2026-03-29" in result.out
    assert "Conference due by" in result.out
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "nowhere", "--edd", "2026-09-10"], "Unknown area 'nowhere'"),
        (["--area", "england", "--edd", "2026-13-10"], "YYYY-MM-DD"),
        (["--area", "england", "--edd", "10/09/2026"], "YYYY-MM-DD"),
        (["--area", "england", "--edd", "2026-09-10", "--birth", "soon"], "YYYY-MM-DD"),
        (
            [
                "--area",
                "england",
                "--edd",
                "2026-09-10",
                "--strategy-discussion",
                "2026-03-02",
                "--conference",
                "2026-03-01",
            ],
            "cannot be before the strategy discussion",
        ),
        (["--area", "england", "--edd", "2026-09-10", "--conference-kind", "final"], "final"),
        (["--area", "england"], "--edd"),
        (["--edd", "2026-09-10"], "--area"),
    ],
)
def test_bad_input_exits_with_a_clear_error(args: list[str], message: str) -> None:
    result = run(*args, "--json")
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    assert result.out == ""


def test_malformed_area_file_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken.toml").write_text('name = "Broken"\nnation = "wales"\n', encoding="utf-8")
    monkeypatch.setattr(areas_module, "get_settings", lambda: SimpleNamespace(areas_dir=tmp_path))
    result = run("--area", "england", "--edd", "2026-09-10", "--json")
    assert result.code == 2
    assert "broken.toml" in result.err
    assert "nation" in result.err
    assert "Traceback" not in result.err
