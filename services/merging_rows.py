"""Moving a merged record's rows to the record that goes on, table by table: every table that
belongs to a woman (a `woman_id` column) moves, so a table added later moves too. Where a table
holds a thing once per woman (an agency involved, a recorded conflict, an open breach of a
kind), the merged record's copy stays with it when the record that goes on already has one."""

from __future__ import annotations

import uuid

from sqlalchemy import Table, and_, exists, not_, update
from sqlalchemy.ext.asyncio import AsyncSession

from waymark.db.base import Base

# Not moved: who broke the glass to see which record stays as it happened.
KEPT = frozenset({"break_glass"})
# Held once per woman: the column that says what, and (for open ones) the condition.
ONCE_PER_WOMAN: dict[str, tuple[str, str | None]] = {
    "involvements": ("organisation_id", None),
    "advocate_conflicts": ("advocate_user_id", None),
    "breaches": ("kind", "resolved_at"),
}


def woman_tables() -> list[Table]:
    """Every table with a woman's rows, by name (a stable order)."""
    return sorted(
        (t for t in Base.metadata.tables.values() if "woman_id" in t.c and t.name not in KEPT),
        key=lambda t: t.name,
    )


async def move_rows(
    session: AsyncSession, surviving: uuid.UUID, merged: uuid.UUID
) -> dict[str, int]:
    """Move them; how many rows moved, by table (tables with none are left out)."""
    moved: dict[str, int] = {}
    for table in woman_tables():
        count = await _move(session, table, surviving, merged)
        if count:
            moved[table.name] = count
    moved.update(await _move_candidates(session, surviving, merged))
    return moved


async def _move(
    session: AsyncSession, table: Table, surviving: uuid.UUID, merged: uuid.UUID
) -> int:
    where = [table.c.woman_id == merged]
    if table.name in ONCE_PER_WOMAN:
        column, open_when_null = ONCE_PER_WOMAN[table.name]
        other = table.alias("held")
        held = [other.c.woman_id == surviving, other.c[column] == table.c[column]]
        if open_when_null is not None:
            held.append(other.c[open_when_null].is_(None))
            held.append(table.c[open_when_null].is_(None))
        where.append(not_(exists().where(and_(*held))))
    result = await session.execute(
        update(table)
        .where(*where)
        .values(woman_id=surviving)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def _move_candidates(
    session: AsyncSession, surviving: uuid.UUID, merged: uuid.UUID
) -> dict[str, int]:
    """Referrals waiting in the possible-match queue against the merged record now ask about
    the record that goes on."""
    table = Base.metadata.tables["possible_matches"]
    result = await session.execute(
        update(table)
        .where(table.c.candidate_woman_id == merged)
        .values(candidate_woman_id=surviving)
        .execution_options(synchronize_session=False)
    )
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    return {"possible_matches": count} if count else {}
