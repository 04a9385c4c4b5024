"""`waymark simulate` through typer's CliRunner: the --json shape, usage errors, and no use of
the state folder (everything is temporary)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from waymark.cli import app
from waymark.settings import get_settings


@pytest.fixture
def no_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A state folder that must not be created."""
    state = tmp_path / "state-must-not-exist"
    monkeypatch.setenv("WAYMARK_STATE_DIR", str(state))
    get_settings.cache_clear()
    yield state
    get_settings.cache_clear()


def test_population_json_shape(no_state: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            "--population",
            "2",
            "--months",
            "1",
            "--seed",
            "4",
            "--start",
            "2027-02-01",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["women"] == 2
    assert data["months"] == 1
    assert data["start"] == "2027-02-01"
    for key in (
        "removals",
        "breaches",
        "referrals",
        "conferences",
        "births",
        "returns",
        "episodes_open",
        "contacts",
        "escalations",
    ):
        assert isinstance(data[key], int), key
    assert data["referrals"] == 2
    assert not no_state.exists()


def test_scenario_json_shape(no_state: Path, tmp_path: Path) -> None:
    path = tmp_path / "short.toml"
    path.write_text(
        'title = "Short"\nstart = 2027-01-04\nexpect = ["Screening decision: a pre-birth"]\n'
        "[woman]\nedd = 2027-06-01\n"
        '[[events]]\non = 2027-01-05\ndo = "screening"\ndecision = "pre_birth_assessment"\n'
    )
    result = CliRunner().invoke(app, ["simulate", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["woman"]["pseudonym"] == "Woman 1"
    assert data["start"] == "2027-01-04"
    assert {"date", "time", "kind", "text"} <= set(data["timeline"][0])
    assert data["ledger"]["breaches"] == 0
    assert data["expectations"] == [{"text": "Screening decision: a pre-birth", "met": True}]
    assert not no_state.exists()


def test_an_unmet_expectation_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "wrong.toml"
    path.write_text(
        'start = 2027-01-04\nexpect = ["Something that never happens"]\n[woman]\nedd = 2027-06-01\n'
    )
    result = CliRunner().invoke(app, ["simulate", str(path)])
    assert result.exit_code == 1
    assert "Something that never happens" in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["simulate"], "give a scenario file or --population N"),
        (["simulate", "nowhere.toml"], "nowhere.toml: cannot read it"),
    ],
)
def test_usage_errors_exit_2(args: list[str], expected: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert expected in result.output
