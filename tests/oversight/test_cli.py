"""`waymark ledger`, run against the test database: JSON, the table, a bad area."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner, Result

from tests.oversight.builders import allocate, check, make_woman, open_episode, owe
from waymark.cli import app
from waymark.db.base import utcnow
from waymark.db.models import AuditEvent
from waymark.db.session import make_engine, make_sessionmaker
from waymark.settings import async_url, get_settings

Run = Callable[..., Result]


@pytest.fixture
def run(database_url: str, demo: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:
    """Runs `waymark ledger ...` with the settings pointing at this test's database (the demo
    people in it)."""
    monkeypatch.setenv("WAYMARK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner(env={"NO_COLOR": "1", "FORCE_COLOR": None, "COLUMNS": "250"})
    yield lambda *args: runner.invoke(app, ["ledger", *args])
    get_settings.cache_clear()  # the next reader sees the environment monkeypatch restores


def women(database_url: str) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """A woman whose invariant holds, one in breach (Northmoor), one in Glenbrae."""
    return asyncio.run(_women(database_url))


async def _women(database_url: str) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    engine = make_engine(async_url(database_url))
    sessions = make_sessionmaker(engine)
    try:
        held = await make_woman(sessions, given="Amy")
        await allocate(sessions, held)
        await open_episode(sessions, held)
        breached = await make_woman(sessions, given="Bea")
        await open_episode(sessions, breached)
        await check(sessions, breached)
        await owe(sessions, breached, "advocate", utcnow() - timedelta(days=1))
        elsewhere = await make_woman(sessions, given="Isla", team="glenbrae-sw")
        return held, breached, elsewhere
    finally:
        await engine.dispose()


def test_json_for_one_area(run: Run, database_url: str) -> None:
    held, breached, _ = women(database_url)
    result = run("--area", "northmoor", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["area"] == "northmoor"
    assert [row["woman_id"] for row in body["rows"]] == [str(breached), str(held)]
    assert [b["kind"] for b in body["rows"][0]["breaches"]] == ["advocate"]


def test_every_area_as_a_table(run: Run, database_url: str) -> None:
    women(database_url)
    result = run()
    assert result.exit_code == 0, result.output
    for name in ("Amy Example", "Bea Example", "Isla Example", "advocate", "Ava Lewis"):
        assert name in result.output
    # The page is one view on the audit trail, naming the three women it listed.
    assert asyncio.run(_views(database_url)) == ["waymark ledger"]


def test_a_page_at_a_time(run: Run, database_url: str) -> None:
    _, breached, _ = women(database_url)
    first = run("--area", "northmoor", "--limit", "1", "--json")
    assert first.exit_code == 0, first.output
    body = json.loads(first.output)
    assert [row["woman_id"] for row in body["rows"]] == [str(breached)]
    rest = run("--area", "northmoor", "--after", body["next"], "--json")
    assert [row["name"] for row in json.loads(rest.output)["rows"]] == ["Amy Example"]
    table = run("--area", "northmoor", "--limit", "1")
    assert f"More: --after {body['next']}" in table.output
    refused = run("--after", "not-a-cursor")
    assert refused.exit_code == 2
    assert "cursor is not valid" in refused.output


async def _views(database_url: str) -> list[str | None]:
    engine = make_engine(async_url(database_url))
    try:
        async with make_sessionmaker(engine)() as session:
            query = select(AuditEvent.detail).where(AuditEvent.action == "view_ledger")
            return list(await session.scalars(query))
    finally:
        await engine.dispose()


def test_an_unknown_area_is_a_usage_error(run: Run, database_url: str) -> None:
    result = run("--area", "atlantis")
    assert result.exit_code == 2
    assert "Unknown area 'atlantis'" in result.output
