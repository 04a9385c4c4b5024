"""What the database holds, table by table, to show that a refused request changed nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, Table, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from waymark.db.base import Base

# Written on purpose by a refused request: the audit of who tried what (kept although the
# request fails), a failed sign-in's count towards locking the account, a token's last use.
KEPT_ON_REFUSAL = frozenset({"audit_events", "users", "auth_sessions"})


async def snapshot(
    sessions: async_sessionmaker[AsyncSession], *, skip: frozenset[str] = KEPT_ON_REFUSAL
) -> dict[str, str]:
    """A digest of every row of every table but those skipped, by table name."""
    async with sessions() as session:
        return {
            table.name: _digest(await session.execute(_every_row(table))) for table in _tables(skip)
        }


def snapshot_of(engine: Engine, *, skip: frozenset[str] = KEPT_ON_REFUSAL) -> dict[str, str]:
    """The same, read through a synchronous engine (for a database another process serves; the
    caller keeps one engine for many snapshots, where a new one each time costs several times
    the reading)."""
    with engine.connect() as conn:
        return {table.name: _digest(conn.execute(_every_row(table))) for table in _tables(skip)}


def _tables(skip: frozenset[str]) -> list[Table]:
    return [table for table in Base.metadata.sorted_tables if table.name not in skip]


def _every_row(table: Table) -> Any:
    return select(table).order_by(*table.primary_key.columns)


def _digest(rows: Iterable[Any]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The tables whose rows differ."""
    return sorted(name for name in before if before[name] != after.get(name))
