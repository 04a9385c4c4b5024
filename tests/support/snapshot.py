"""What the database holds, table by table, to show that a refused request changed nothing."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from waymark.db.base import Base

# Written on purpose by a refused request: the audit of who tried what (kept although the
# request fails), a failed sign-in's count towards locking the account, a token's last use.
KEPT_ON_REFUSAL = frozenset({"audit_events", "users", "auth_sessions"})


async def snapshot(
    sessions: async_sessionmaker[AsyncSession], *, skip: frozenset[str] = KEPT_ON_REFUSAL
) -> dict[str, str]:
    """A digest of every row of every table but those skipped, by table name."""
    digests = {}
    async with sessions() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in skip:
                continue
            rows = await session.execute(select(table).order_by(*table.primary_key.columns))
            digest = hashlib.sha256()
            for row in rows:
                digest.update(repr(tuple(row)).encode())
            digests[table.name] = digest.hexdigest()
    return digests


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The tables whose rows differ."""
    return sorted(name for name in before if before[name] != after.get(name))
