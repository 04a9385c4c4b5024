"""Engines and sessions. The boundary (request or activity) owns the transaction.

On SQLite a transaction that writes takes its turn (`waymark.db.write_turn`: in order within a
process, and between the web app and the worker) and begins `BEGIN IMMEDIATE`, so concurrent
writers queue for the one write lock instead of failing or polling for it; a read transaction
(`read_transaction`, or a GET request) begins deferred and takes no write lock at all: in WAL
mode readers neither wait for writers nor hold them up. The small writes a read still makes (its
audit rows, the token's last use) are queued on the session with `write_later` (and
`waymark.audit.record`) and made afterwards in a short write transaction of their own
(`write_deferred`), before the reader sees any result.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql import Executable
from sqlalchemy.util import await_only

from waymark.db.inline_sqlite import inline_connector
from waymark.db.write_turn import WriteTurns, begin_immediate_on_the_loop, lock_file_of

SQLITE_BUSY_TIMEOUT_MS = 15_000
# PostgreSQL: connections each process keeps (web and worker each have their own pool).
PG_POOL_SIZE = 10
# Execution option (and session flag) of a transaction that only reads.
READ_ONLY = "waymark_read_only"
# Session.info keys of the writes a read transaction leaves for `write_deferred`.
AUDIT_PENDING = "waymark.audit.pending"
WRITE_LATER = "waymark.write_later"
DEFERRED_KEYS = (AUDIT_PENDING, WRITE_LATER)


class WriteInReadTransaction(RuntimeError):
    """Code running in a read transaction tried to change a row (a programming error)."""


def make_engine(
    url: str, *, pool_size: int = PG_POOL_SIZE, inline: bool = False, **kwargs: Any
) -> AsyncEngine:
    """Create the asyncio engine; SQLite gets WAL, a busy timeout and BEGIN IMMEDIATE writes,
    PostgreSQL a pool of `pool_size` connections (as many again at a peak). `inline`: SQLite's
    statements run on the event loop's own thread (`waymark.db.inline_sqlite`), for the worker
    and the simulator, whose statements are short."""
    if url.startswith("sqlite"):
        if inline:
            path = make_url(url).database or ":memory:"
            kwargs["async_creator"] = inline_connector(path, SQLITE_BUSY_TIMEOUT_MS / 1000)
        engine = create_async_engine(url, connect_args={"timeout": 15}, **kwargs)
        _configure_sqlite(engine, inline)
        return engine
    return create_async_engine(
        url, pool_pre_ping=True, pool_size=pool_size, max_overflow=pool_size, **kwargs
    )


def _configure_sqlite(engine: AsyncEngine, inline: bool) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    turns = WriteTurns(lock_file_of(engine.url.database), SQLITE_BUSY_TIMEOUT_MS / 1000)

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A read transaction never writes, so it begins deferred and takes no lock.
        if conn.get_execution_options().get(READ_ONLY, False):
            conn.exec_driver_sql("BEGIN")
            return
        # A deferred transaction that later writes fails with SQLITE_BUSY whatever the
        # timeout; a writer takes its turn (`write_turn`), then the write lock up front.
        # The turn is the pool entry's (not its `info`, which an invalidation clears) until
        # the entry is checked back in, however the transaction ended.
        await_only(turns.take(conn.connection._connection_record))
        if inline:
            begin_immediate_on_the_loop(conn, SQLITE_BUSY_TIMEOUT_MS)
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(sync_engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        turns.give_back(record)

    @event.listens_for(sync_engine, "engine_disposed")
    def _on_disposed(_engine: Any) -> None:
        turns.close()


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit on success, roll back on any error. On SQLite its writers take
    turns for the one write lock (`waymark.db.write_turn`)."""
    async with sessions() as session, session.begin():
        yield session


@asynccontextmanager
async def read_transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A unit of work that only reads; its deferred writes (audit rows) are made afterwards."""
    async with sessions() as session:
        await begin_read(session)
        try:
            yield session
        finally:
            deferred = take_deferred(session)
            await session.rollback()
    await write_deferred(sessions, deferred)


async def begin_read(session: AsyncSession) -> None:
    """Begin a read transaction on this session (deferred on SQLite: no write lock)."""
    session.info[READ_ONLY] = True
    await session.begin()
    await session.connection(execution_options={READ_ONLY: True})


def write_later(session: AsyncSession, statement: Executable) -> None:
    """A small write made when this session's transaction commits, or, when it only reads, in a
    short write transaction of its own straight after (`write_deferred`)."""
    session.info.setdefault(WRITE_LATER, []).append(statement)


def take_deferred(session: AsyncSession) -> dict[str, list[Any]]:
    """Take the writes a read transaction left (audit rows, statements) off its session."""
    return {key: session.info.pop(key) for key in DEFERRED_KEYS if session.info.get(key)}


async def write_deferred(
    sessions: async_sessionmaker[AsyncSession], deferred: dict[str, list[Any]]
) -> None:
    """Make a read's deferred writes in a short write transaction, returning once committed
    (fail closed: an error here fails the request before its result is sent).

    Group commit: the reads waiting meanwhile in this process are written together, in one
    transaction, by whichever of them gets the turn; the others queue on an asyncio lock, not
    on SQLite's busy handler (which sleeps in steps of up to 100 ms)."""
    if not deferred:
        return
    batch = _batch_for(sessions)
    done = asyncio.get_running_loop().create_future()
    batch.waiting.append((deferred, done))
    async with batch.turn:
        if not done.done():
            await _write_batch(sessions, batch)
    await done


@dataclass
class _Batch:
    loop: asyncio.AbstractEventLoop
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: list[tuple[dict[str, list[Any]], asyncio.Future[None]]] = field(default_factory=list)


_batches: weakref.WeakKeyDictionary[Any, _Batch] = weakref.WeakKeyDictionary()


def _batch_for(sessions: async_sessionmaker[AsyncSession]) -> _Batch:
    loop = asyncio.get_running_loop()
    batch = _batches.get(sessions)
    if batch is None or batch.loop is not loop:
        batch = _batches[sessions] = _Batch(loop)
    return batch


async def _write_batch(sessions: async_sessionmaker[AsyncSession], batch: _Batch) -> None:
    taken, batch.waiting = batch.waiting, []
    try:
        async with transaction(sessions) as session:
            for deferred, _ in taken:
                for key, items in deferred.items():
                    session.info.setdefault(key, []).extend(items)
    except Exception as exc:
        for _, done in taken:
            done.set_exception(exc)
        return
    except BaseException:  # cancelled: the next in turn writes what was taken
        batch.waiting[:0] = taken
        raise
    for _, done in taken:
        done.set_result(None)


@event.listens_for(Session, "before_flush")
def _refuse_writes_when_reading(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise WriteInReadTransaction("a read transaction cannot change rows; use a write")


@event.listens_for(Session, "do_orm_execute")
def _refuse_statements_when_reading(state: ORMExecuteState) -> None:
    writes = state.is_insert or state.is_update or state.is_delete
    if writes and state.session.info.get(READ_ONLY):
        raise WriteInReadTransaction("a read transaction cannot change rows; use a write")


@event.listens_for(Session, "before_commit")
def _write_later(session: Session) -> None:
    """Run the statements queued by `write_later` inside the committing transaction."""
    if session.info.get(READ_ONLY):
        return
    for statement in session.info.pop(WRITE_LATER, []):
        session.execute(statement)


@event.listens_for(Session, "after_begin")
def _reset_mode(session: Session, _transaction: Any, connection: Any) -> None:
    """A session flagged for reading keeps the flag only while its connection is read-only."""
    if not connection.get_execution_options().get(READ_ONLY, False):
        session.info.pop(READ_ONLY, None)
