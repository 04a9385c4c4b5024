"""`waymark audit verify` and `waymark audit who-viewed`, run against the test database."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from unittest.mock import patch

import pytest
from sqlalchemy import select
from typer.testing import CliRunner, Result

from forms.common import Actor, Role
from tests.services.test_audit_trail import swap, tamper
from waymark import audit
from waymark.cli import app
from waymark.db.models import AuditEvent, User
from waymark.db.session import make_engine, make_sessionmaker, transaction
from waymark.settings import async_url, get_settings

Run = Callable[..., Result]
MARCH_1 = datetime(2026, 3, 1, 10, tzinfo=UTC)
MARCH_3 = datetime(2026, 3, 3, 10, tzinfo=UTC)


@pytest.fixture
def run(
    database_url: str, demo: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Run]:
    """Runs `waymark audit ...` with the settings pointing at this test's database (the demo
    people in it), and its anchors in this test's own state folder."""
    monkeypatch.setenv("WAYMARK_DATABASE_URL", database_url)
    monkeypatch.setenv("WAYMARK_STATE_DIR", str(tmp_path / "state"))
    get_settings.cache_clear()
    # A wide, colourless terminal, so Rich neither wraps nor styles the text checked below.
    runner = CliRunner(env={"NO_COLOR": "1", "FORCE_COLOR": None, "COLUMNS": "250"})
    yield lambda *args: runner.invoke(app, ["audit", *args])
    get_settings.cache_clear()  # the next reader sees the environment monkeypatch restores


def write(database_url: str, entries: list[tuple[datetime, str | None, uuid.UUID]]) -> None:
    """Audit rows (when, by which demo user, about whom); `run` put the demo people there."""
    asyncio.run(_write(database_url, entries))


async def _write(database_url: str, entries: list[tuple[datetime, str | None, uuid.UUID]]) -> None:
    engine = make_engine(async_url(database_url))
    sessions = make_sessionmaker(engine)
    try:
        for at, username, woman_id in entries:
            async with transaction(sessions) as session:
                user = await session.scalar(select(User).where(User.username == username))
                actor = None
                if user is not None:
                    role, org = Role(user.role), user.organisation_id
                    actor = Actor(user_id=user.id, role=role, organisation_id=org, request_id="r1")
                with patch.object(audit, "utcnow", return_value=at):
                    audit.record(
                        session,
                        actor,
                        action="view_woman",
                        record_type="woman",
                        record_id=woman_id,
                        reason="covering [urgent] for a colleague"
                        if username == "lee.lead"
                        else None,
                    )
    finally:
        await engine.dispose()


def rows(database_url: str) -> list[AuditEvent]:
    async def read() -> list[AuditEvent]:
        engine = make_engine(async_url(database_url))
        try:
            async with make_sessionmaker(engine)() as session:
                return list(await session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_verify_says_the_trail_is_intact_and_anchors_it(run: Run, database_url: str) -> None:
    write(database_url, [(MARCH_1, "sam.social", uuid.uuid4())] * 3)
    result = run("verify")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "audit trail intact: 3 rows, 0 earlier anchors"
    assert f"anchored at row 3, hash {rows(database_url)[-1].hash}" in result.stdout
    write(database_url, [(MARCH_3, "sam.social", uuid.uuid4())])
    again = run("verify")
    assert again.stdout.splitlines()[0] == "audit trail intact: 4 rows, 1 earlier anchors"
    assert "anchored at row 4" in again.stdout


@pytest.mark.parametrize(
    ("statements", "problem"),
    [
        (
            ["DELETE FROM audit_events WHERE seq > 3"],
            "rows 4 to 6 cut from the end (the trail reached row 6 on ",
        ),
        (["UPDATE audit_events SET action = 'list_women' WHERE seq = 5"], "row 5 was edited"),
        (swap(4, 5), "rows out of order / chain broken at 4 (row 4 was written as row 5)"),
    ],
    ids=["cut-end", "edit", "reorder"],
)
def test_verify_fails_on_a_cut_end_an_edit_and_a_reorder(
    run: Run, database_url: str, statements: list[str], problem: str
) -> None:
    write(database_url, [(MARCH_1, "sam.social", uuid.uuid4())] * 6)
    assert run("verify").exit_code == 0  # anchored at row 6
    tamper(database_url, *statements)
    result = run("verify")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[0].startswith("audit trail NOT intact")
    assert problem in result.stdout


def test_verify_lists_every_problem_and_fails(run: Run, database_url: str) -> None:
    write(database_url, [(MARCH_1, "sam.social", uuid.uuid4())] * 9)
    tamper(
        database_url,
        "UPDATE audit_events SET outcome = 'denied' WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 4",
        *swap(6, 7),
    )
    result = run("verify")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "audit trail NOT intact: 8 rows, 5 problems",
        "  row 2 was edited",
        "  row 4 is missing (sequence gap)",
        "  rows out of order / chain broken at 6 (row 6 was written as row 7)",
        "  rows out of order / chain broken at 7 (row 7 was written as row 6)",
        "  rows out of order / chain broken at 8",
    ]


def test_who_viewed_as_json_for_a_period(run: Run, database_url: str) -> None:
    her, other = uuid.uuid4(), uuid.uuid4()
    write(
        database_url,
        [(MARCH_1, "sam.social", her), (MARCH_3, "lee.lead", her), (MARCH_3, "sam.social", other)],
    )
    result = run("who-viewed", str(her), "--from", "2026-03-02", "--to", "2026-03-04", "--json")
    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.stdout)
    assert {key: entry[key] for key in ("at", "name", "role", "organisation", "reason")} == {
        "at": "2026-03-03T10:00:00Z",
        "name": "Lee Morgan",
        "role": "safeguarding_lead",
        "organisation": "Northmoor Safeguarding Partnership",
        "reason": "covering [urgent] for a colleague",
    }
    assert (entry["action"], entry["outcome"], entry["request_id"]) == (
        "view_woman",
        "allowed",
        "r1",
    )

    looked = rows(database_url)[-1]  # reading the trail is itself on the trail
    assert (looked.action, looked.record_id, looked.actor_user_id) == ("view_audit", str(her), None)
    assert looked.detail == "waymark audit who-viewed"


def test_who_viewed_as_a_table(run: Run, database_url: str) -> None:
    her = uuid.uuid4()
    write(database_url, [(MARCH_1, "sam.social", her), (MARCH_3, "lee.lead", her)])
    result = run("who-viewed", str(her))
    assert result.exit_code == 0, result.output
    for text in ("2026-03-01 10:00:00", "Sam Okafor", "Northmoor Children's Social Care"):
        assert text in result.stdout
    assert "covering [urgent] for a colleague" in result.stdout  # printed as written
    assert "No audited access" in run("who-viewed", str(uuid.uuid4())).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "1 March"], "is not a date"),
        (["--from", "2026-03-04", "--to", "2026-03-01"], "--from is after --to"),
    ],
)
def test_who_viewed_refuses_bad_dates(run: Run, args: list[str], message: str) -> None:
    result = run("who-viewed", str(uuid.uuid4()), *args)
    assert result.exit_code == 2
    assert message in result.output
