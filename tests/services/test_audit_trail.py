"""The audit trail's hash chain: how it is written, what tampering `verify_chain` finds, the
triggers that refuse changes, the migration that chains existing rows, and who viewed whom."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import pairwise
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import DateTime, column, create_engine, event, select, table, text
from sqlalchemy.exc import DBAPIError

from forms.common import Actor, Role
from services.audit_trail import verify_chain, who_viewed
from tests.conftest import POSTGRES_URL
from tests.helpers.api import Sessions
from waymark import audit
from waymark.db.migrate import alembic_config
from waymark.db.models import AuditEvent
from waymark.db.session import make_engine, make_sessionmaker, transaction
from waymark.settings import async_url, sync_url

BEFORE_CHAIN = "6b95c015b33a"
ACTOR = Actor(
    user_id=uuid.uuid4(), role=Role.SOCIAL_WORKER, organisation_id=uuid.uuid4(), request_id="r"
)


def tamper(database_url: str, *statements: str) -> None:
    """Run raw SQL on audit_events as someone with database access, its triggers out of the way."""
    engine = create_engine(sync_url(database_url))
    try:
        with engine.begin() as conn:
            postgres = conn.dialect.name == "postgresql"
            if postgres:
                conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
            else:
                conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
                conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
            for statement in statements:
                conn.execute(text(statement))
            if postgres:  # the schema is shared by the session's tests: put the guard back
                conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
    finally:
        engine.dispose()


def swap(first: int, second: int) -> list[str]:
    """SQL that swaps two rows' places in the chain."""
    return [
        f"UPDATE audit_events SET seq = -1 WHERE seq = {first}",
        f"UPDATE audit_events SET seq = {first} WHERE seq = {second}",
        f"UPDATE audit_events SET seq = {second} WHERE seq = -1",
    ]


async def write(sessions: Sessions, count: int, *, woman_id: uuid.UUID | None = None) -> None:
    """Write `count` audit rows, one transaction each."""
    for _ in range(count):
        async with transaction(sessions) as session:
            audit.record(
                session, ACTOR, action="view_woman", record_type="woman", record_id=woman_id
            )


async def rows(sessions: Sessions) -> list[AuditEvent]:
    async with sessions() as session:
        return list(await session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


# --- writing the chain ----------------------------------------------------------------------


async def test_an_empty_trail_is_intact(sessions: Sessions) -> None:
    async with sessions() as session:
        report = await verify_chain(session)
    assert (report.intact, report.rows, report.problems) == (True, 0, [])


async def test_rows_are_chained_in_seq_order_from_the_genesis_hash(sessions: Sessions) -> None:
    async with transaction(sessions) as session:
        for action in ("a", "b", "c"):
            audit.record(session, ACTOR, action=action, record_type="woman", record_id=None)
    await write(sessions, 2)

    written = await rows(sessions)
    assert [row.seq for row in written] == [1, 2, 3, 4, 5]
    assert [row.action for row in written[:3]] == ["a", "b", "c"]
    assert written[0].prev_hash == audit.GENESIS_HASH
    assert all(row.prev_hash == before.hash for before, row in pairwise(written))
    assert all(audit.chain_hash(row) == row.hash for row in written)
    async with sessions() as session:
        report = await verify_chain(session, batch_size=2)
    assert (report.intact, report.rows, report.last_seq) == (True, 5, 5)
    assert report.last_hash == written[-1].hash


async def test_a_commit_that_fails_after_the_insert_leaves_no_gap(sessions: Sessions) -> None:
    def fail_after_insert(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.startswith("INSERT INTO audit_events"):
            raise RuntimeError("the commit failed after the audit rows were sent")

    async def failing_transaction() -> None:
        async with transaction(sessions) as session:
            connection = (await session.connection()).sync_connection
            event.listen(connection, "after_cursor_execute", fail_after_insert)
            audit.record(session, ACTOR, action="lost", record_type="woman", record_id=None)

    await write(sessions, 1)
    with pytest.raises(RuntimeError, match="after the audit rows were sent"):
        await failing_transaction()
    await write(sessions, 1)

    assert [(row.seq, row.action) for row in await rows(sessions)] == [
        (1, "view_woman"),
        (2, "view_woman"),
    ]


async def test_concurrent_writers_still_make_one_unbroken_chain(sessions: Sessions) -> None:
    async def writer(n: int) -> None:
        async with transaction(sessions) as session:
            audit.record(session, ACTOR, action="first", record_type="woman", record_id=None)
            await asyncio.sleep(0.001 * (n % 3))  # interleave the transactions
            await session.execute(select(1))
            audit.record(session, ACTOR, action="second", record_type="woman", record_id=None)

    await asyncio.gather(*(writer(n) for n in range(25)))

    written = await rows(sessions)
    assert [row.seq for row in written] == list(range(1, 51))
    # A transaction's rows are appended together, under one lock.
    assert [row.action for row in written] == ["first", "second"] * 25
    async with sessions() as session:
        report = await verify_chain(session)
    assert (report.intact, report.rows) == (True, 50)


# --- finding tampering ----------------------------------------------------------------------


async def verify(sessions: Sessions) -> list[str]:
    async with sessions() as session:
        report = await verify_chain(session, batch_size=3)
    assert report.intact is not report.problems
    return report.problems


@pytest.mark.parametrize(
    ("statements", "problems"),
    [
        (["UPDATE audit_events SET action = 'list_woman' WHERE seq = 4"], ["row 4 was edited"]),
        (["DELETE FROM audit_events WHERE seq = 3"], ["row 3 is missing (sequence gap)"]),
        (["DELETE FROM audit_events WHERE seq < 3"], ["rows 1 to 2 are missing (sequence gap)"]),
        (
            swap(3, 4),
            [
                "rows out of order / chain broken at 3 (row 3 was written as row 4)",
                "rows out of order / chain broken at 4 (row 4 was written as row 3)",
                "rows out of order / chain broken at 5",
            ],
        ),
    ],
    ids=["edited", "deleted", "first-deleted", "swapped"],
)
async def test_tampering_is_found(
    sessions: Sessions, database_url: str, statements: list[str], problems: list[str]
) -> None:
    await write(sessions, 6)
    tamper(database_url, *statements)
    assert await verify(sessions) == problems


async def test_an_edited_row_with_a_recomputed_hash_breaks_the_chain_after_it(
    sessions: Sessions, database_url: str
) -> None:
    await write(sessions, 6)
    [row] = [row for row in await rows(sessions) if row.seq == 4]
    row.outcome = "denied"
    forged = audit.chain_hash(row)
    tamper(
        database_url,
        f"UPDATE audit_events SET outcome = 'denied', hash = '{forged}' WHERE seq = 4",
    )
    assert await verify(sessions) == ["rows out of order / chain broken at 5"]


async def test_rows_cut_from_the_end_do_not_show_in_the_table_alone(
    sessions: Sessions, database_url: str
) -> None:
    """Why anchors are kept outside the database (tests/services/test_audit_anchor.py)."""
    await write(sessions, 5)
    async with sessions() as session:
        before = await verify_chain(session)
    tamper(database_url, "DELETE FROM audit_events WHERE seq = 5")
    async with sessions() as session:
        report = await verify_chain(session)
    assert report.intact
    assert (report.last_seq, report.last_hash) != (before.last_seq, before.last_hash)


# --- the triggers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET outcome = 'denied'", "DELETE FROM audit_events"],
)
async def test_the_database_refuses_to_change_or_delete_audit_rows(
    sessions: Sessions, database_url: str, statement: str
) -> None:
    await write(sessions, 2)
    count = text("SELECT count(*) FROM audit_events")
    engine = create_engine(sync_url(database_url))
    try:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
        with engine.begin() as conn:
            assert conn.scalar(count) == 2
            if conn.dialect.name == "postgresql":
                # Row triggers do not fire on TRUNCATE, the suite's reset between tests.
                conn.execute(text("TRUNCATE audit_events RESTART IDENTITY CASCADE"))
                assert conn.scalar(count) == 0
    finally:
        engine.dispose()


# --- the migration --------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"])
def unmigrated_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of our own, to migrate step by step."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'steps.db'}"
        return
    assert POSTGRES_URL is not None
    schema = f"waymark_steps_{uuid.uuid4().hex[:8]}"
    admin = create_engine(sync_url(POSTGRES_URL))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def test_the_migration_chains_rows_written_before_it(unmigrated_url: str) -> None:
    config = alembic_config(unmigrated_url)
    command.upgrade(config, BEFORE_CHAIN)
    old = table(
        "audit_events",
        *(column(name) for name in ("seq", "action", "record_type", "outcome")),
        column("occurred_at", DateTime(timezone=True)),
    )
    at = datetime(2026, 11, 1, 9, 0, 7, 123456, tzinfo=UTC)
    engine = create_engine(sync_url(unmigrated_url))
    with engine.begin() as conn:
        for seq in (1, 2, 3):
            values = {"seq": seq, "action": "view_woman", "record_type": "woman"}
            conn.execute(old.insert().values(values | {"outcome": "allowed", "occurred_at": at}))
    engine.dispose()

    # To the head: the rows are written through today's model (which has later columns).
    command.upgrade(config, "head")
    assert asyncio.run(_write_then_verify(unmigrated_url)) == (True, 4, [])

    command.downgrade(config, BEFORE_CHAIN)
    command.upgrade(config, "head")
    assert asyncio.run(_write_then_verify(unmigrated_url)) == (True, 4, [])


async def _write_then_verify(database_url: str) -> tuple[bool, int, list[str]]:
    engine = make_engine(async_url(database_url))
    try:
        sessions = make_sessionmaker(engine)
        async with sessions() as session:
            last = await session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()))
        if last == 3:
            await write(sessions, 1)
        async with sessions() as session:
            report = await verify_chain(session)
    finally:
        await engine.dispose()
    return report.intact, report.rows, report.problems


# --- who viewed her record ------------------------------------------------------------------


async def test_who_viewed_keeps_to_her_record_and_to_uk_days(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    her, other = uuid.uuid4(), uuid.uuid4()
    times = [
        datetime(2026, 6, 30, 12, 0, tzinfo=UTC),
        datetime(2026, 7, 1, 23, 30, tzinfo=UTC),  # 00:30 on 2 July in the UK (BST)
        datetime(2026, 7, 3, 9, 0, tzinfo=UTC),
    ]
    for at in times:
        monkeypatch.setattr(audit, "utcnow", lambda at=at: at)
        await write(sessions, 1, woman_id=her)
        await write(sessions, 1, woman_id=other)

    async with sessions() as session:
        everything = await who_viewed(session, woman_id=her)
        second_of_july = await who_viewed(
            session, woman_id=her, since=date(2026, 7, 2), until=date(2026, 7, 2)
        )
        from_july = await who_viewed(session, woman_id=her, since=date(2026, 7, 1))
        to_july = await who_viewed(session, woman_id=her, until=date(2026, 7, 1))

    assert [entry.at for entry in everything] == times
    assert [entry.at for entry in second_of_july] == [times[1]]
    assert [entry.at for entry in from_july] == times[1:]
    assert [entry.at for entry in to_july] == times[:1]
    assert {(entry.user_id, entry.role, entry.action) for entry in everything} == {
        (ACTOR.user_id, "social_worker", "view_woman")
    }
