"""`waymark onboard`: a file's problems listed by line and column (exit 1, nothing written), and
a dry run that says what would happen; neither needs Temporal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.onboard.test_onboard import case, file_of
from waymark.cli import app
from waymark.settings import get_settings

Run = Callable[..., Result]


@pytest.fixture
def run(
    database_url: str, demo: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Run]:
    monkeypatch.setenv("WAYMARK_DATABASE_URL", database_url)
    monkeypatch.setenv("WAYMARK_STATE_DIR", str(tmp_path / "state"))
    get_settings.cache_clear()
    runner = CliRunner(env={"NO_COLOR": "1", "FORCE_COLOR": None, "COLUMNS": "250"})
    yield lambda *args: runner.invoke(app, ["onboard", *args])
    get_settings.cache_clear()


def test_the_command_names_each_problem_and_writes_nothing(run: Run, tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text(file_of([case(1), case(2, nhs_number="123"), case(3, edd="")]))
    result = run(str(cases), "--by", "lee.lead")
    assert result.exit_code == 1, result.output
    assert "line 3, column nhs_number" in result.output
    assert "line 4, column edd: this is required" in result.output
    assert "2 problems: nothing was written" in result.output
    dry = run(str(cases.with_name("good.csv")), "--by", "lee.lead", "--dry-run")
    assert dry.exit_code == 2  # no such file: typer says so


def test_a_dry_run_says_what_would_happen(run: Run, tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text(file_of([case(1), case(2)]))
    result = run(str(cases), "--by", "lee.lead", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2 cases are fine: 2 would be brought in, 0 are in" in result.output
