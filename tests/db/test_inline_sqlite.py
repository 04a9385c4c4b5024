"""The simulator's SQLite connection: statements run on the caller's thread, and units of work
commit and roll back as through aiosqlite's own thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from waymark.db.inline_sqlite import InlineConnection, inline_connector
from waymark.db.session import make_engine, make_sessionmaker, read_transaction, transaction


async def test_statements_run_on_the_callers_thread(tmp_path: Path) -> None:
    connection = await inline_connector(str(tmp_path / "x.db"), 1.0)()
    try:
        assert isinstance(connection, InlineConnection)
        seen = await connection._execute(threading.get_ident)
        assert seen == threading.get_ident()
    finally:
        await connection.close()
    with pytest.raises(ValueError, match="closed"):
        await connection._execute(threading.get_ident)


async def test_units_of_work_commit_and_roll_back(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", inline=True)
    sessions = make_sessionmaker(engine)
    try:
        async with engine.connect() as connection:
            raw = await connection.get_raw_connection()
            assert isinstance(raw.driver_connection, InlineConnection)
        async with transaction(sessions) as session:
            await session.execute(text("CREATE TABLE t (n INTEGER)"))
            await session.execute(text("INSERT INTO t VALUES (1)"))
        with pytest.raises(RuntimeError):
            await _insert_then_fail(sessions)
        async with read_transaction(sessions) as session:
            rows = list(await session.scalars(text("SELECT n FROM t")))
            mode = await session.scalar(text("PRAGMA journal_mode"))
        assert rows == [1]
        assert mode == "wal"  # the engine's connect-time settings reach this connection too
    finally:
        await engine.dispose()


async def _insert_then_fail(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with transaction(sessions) as session:
        await session.execute(text("INSERT INTO t VALUES (2)"))
        raise RuntimeError("undone")
