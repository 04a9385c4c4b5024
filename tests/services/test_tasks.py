"""Her tasks by the start of their key: through her index, and the prefix taken literally."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.tasks import her_tasks_under
from tests.api.conftest import demo
from tests.oversight.builders import make_woman
from waymark.db.models import Task, Woman

__all__ = ["demo"]

pytestmark = pytest.mark.usefixtures("demo")

Sessions = async_sessionmaker[AsyncSession]


async def test_only_her_tasks_whose_key_starts_with_the_prefix_literally(
    sessions: Sessions,
) -> None:
    woman, other = await make_woman(sessions), await make_woman(sessions)
    keys = {
        woman: ["clock:conference_due:remind:a", "clock:conference_due:remind:b", "clock:other"],
        other: ["clock:conference_due:remind:c"],
    }
    async with sessions() as session, session.begin():
        # `_` is a LIKE wildcard: this key would match the prefix if it were not escaped.
        keys[woman].append("clock:conferenceXdue:remind:d")
        for owner, owned in keys.items():
            team = await session.scalar(select(Woman.team_id).where(Woman.id == owner))
            for key in owned:
                session.add(
                    Task(
                        key=key, woman_id=owner, assignee_organisation_id=team, kind="t", title="t"
                    )
                )
    async with sessions() as session:
        found = await session.scalars(
            select(Task.key).where(her_tasks_under(woman, "clock:conference_due:remind:"))
        )
        assert sorted(found) == ["clock:conference_due:remind:a", "clock:conference_due:remind:b"]


async def test_the_lookup_reads_her_index_not_every_task_on_sqlite(sessions: Sessions) -> None:
    async with sessions() as session:
        if session.get_bind().dialect.name != "sqlite":
            pytest.skip("PostgreSQL plans from its statistics")
        woman = await make_woman(sessions)
        statement = select(Task.id).where(her_tasks_under(woman, "breach:1:"))
        sql = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " ".join(
            str(row[-1]) for row in await session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
        )
        assert "SCAN tasks" not in plan, plan
        assert "ix_tasks_woman_id" in plan, plan
