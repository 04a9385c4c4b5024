"""Read transactions: they take no write lock (SQLite), cannot write, and the audit rows they
queue are written straight after them, chained like any other, none lost, none twice."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.audit_trail import verify_chain
from waymark import audit
from waymark.db.models import AuditEvent, Organisation
from waymark.db.session import (
    WriteInReadTransaction,
    read_transaction,
    transaction,
    write_later,
)

Sessions = async_sessionmaker[AsyncSession]


async def _audit_rows(sessions: Sessions, action: str) -> int:
    async with sessions() as session:
        found = await session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )
    return found or 0


async def test_a_read_finishes_while_a_writer_holds_the_write_lock(
    sessions: Sessions, database_url: str
) -> None:
    writer_may_finish = asyncio.Event()
    writing = asyncio.Event()

    async def hold_the_write_lock() -> None:
        async with transaction(sessions) as session:
            audit.record(session, None, action="held", record_type="test", record_id=None)
            await session.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: the lock is taken
            writing.set()
            await writer_may_finish.wait()

    writer = asyncio.create_task(hold_the_write_lock())
    await writing.wait()
    async with read_transaction(sessions) as session:
        # Were reads to queue for the write lock, this would wait out the busy timeout.
        seen = await asyncio.wait_for(session.scalar(select(func.count(AuditEvent.seq))), 5)
    assert seen == 0
    assert not writer.done(), "the read finished while the writer still held its lock"
    writer_may_finish.set()
    await writer
    assert await _audit_rows(sessions, "held") == 1


async def test_a_reads_audit_row_is_written_after_it(sessions: Sessions) -> None:
    async with read_transaction(sessions) as session:
        await session.scalar(select(func.count(Organisation.id)))
        audit.record(session, None, action="viewed", record_type="test", record_id="r1")
        assert await _audit_rows(sessions, "viewed") == 0  # not yet: the read is still open
    assert await _audit_rows(sessions, "viewed") == 1
    async with sessions() as session:
        assert (await verify_chain(session)).intact


async def _read_that_fails(sessions: Sessions) -> None:
    async with read_transaction(sessions) as session:
        audit.record(session, None, action="viewed", record_type="test", record_id="r2")
        raise LookupError("the read failed")


async def test_a_read_that_fails_leaves_no_audit_row(sessions: Sessions) -> None:
    with pytest.raises(LookupError):
        await _read_that_fails(sessions)
    assert await _audit_rows(sessions, "viewed") == 0


async def _add_in_a_read(sessions: Sessions, name: str) -> None:
    async with read_transaction(sessions) as session:
        org = Organisation(
            code=f"test-{uuid.uuid4()}", name=name, agency_kind="local_authority", area_code="x"
        )
        session.add(org)
        await session.flush()


async def test_a_read_transaction_refuses_to_change_a_row(sessions: Sessions) -> None:
    name = f"Org {uuid.uuid4()}"
    with pytest.raises(WriteInReadTransaction):
        await _add_in_a_read(sessions, name)
    async with sessions() as session:
        assert await session.scalar(select(Organisation).where(Organisation.name == name)) is None


async def test_many_concurrent_reads_and_writes_lose_no_audit_row(sessions: Sessions) -> None:
    readers, reads_each, writes = 8, 10, 20

    async def read_many(reader: int) -> None:
        for number in range(reads_each):
            async with read_transaction(sessions) as session:
                await session.scalar(select(func.count(AuditEvent.seq)))
                record_id = f"{reader}-{number}"
                audit.record(session, None, action="read", record_type="test", record_id=record_id)

    async def write_many() -> None:
        for number in range(writes):
            async with transaction(sessions) as session:
                audit.record(
                    session, None, action="wrote", record_type="test", record_id=str(number)
                )

    await asyncio.gather(*(read_many(reader) for reader in range(readers)), write_many())
    async with sessions() as session:
        ids = list(
            await session.scalars(select(AuditEvent.record_id).where(AuditEvent.action == "read"))
        )
        report = await verify_chain(session)
    assert sorted(str(i) for i in ids) == sorted(
        f"{r}-{n}" for r in range(readers) for n in range(reads_each)
    )
    assert await _audit_rows(sessions, "wrote") == writes
    assert report.intact, report.problems
    assert report.rows == readers * reads_each + writes


async def _read_with_a_broken_write(sessions: Sessions) -> None:
    async with read_transaction(sessions) as session:
        audit.record(session, None, action="viewed", record_type="test", record_id="r3")
        write_later(session, text("UPDATE no_such_table SET x = 1"))


async def test_a_read_whose_audit_row_cannot_be_written_fails(sessions: Sessions) -> None:
    """Fail closed: the read's caller gets the error, and nothing of it is written."""
    with pytest.raises(DBAPIError):
        await _read_with_a_broken_write(sessions)
    assert await _audit_rows(sessions, "viewed") == 0


async def _update_in_a_read(sessions: Sessions) -> None:
    async with read_transaction(sessions) as session:
        await session.execute(update(Organisation).values(name="Changed"))


async def test_a_read_transaction_refuses_an_update_statement(sessions: Sessions) -> None:
    with pytest.raises(WriteInReadTransaction):
        await _update_in_a_read(sessions)
