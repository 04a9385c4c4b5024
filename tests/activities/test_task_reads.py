"""Her tasks are found by key through her own index, never by reading every task: a key prefix
alone (`LIKE 'x%'`) cannot use the key's index on SQLite, nor on PostgreSQL outside the C
collation, and the tasks table grows with every escalation ever made."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.advocacy import AdvocacyActivities
from activities.clocks import ClockActivities
from forms.advocacy import AllocationOutcome, SettleRequest
from forms.clock import Clock, EscalateClock, Escalation
from tests.api.conftest import demo
from tests.oversight.builders import make_woman
from waymark.db.models import Task, Woman

__all__ = ["demo"]

pytestmark = pytest.mark.usefixtures("demo")

Sessions = async_sessionmaker[AsyncSession]
AT = datetime(2031, 3, 4, 10, 30, tzinfo=UTC)


@contextmanager
def statements_on_tasks(sessions: Sessions) -> Iterator[list[tuple[str, Any]]]:
    """Every statement run that reads or changes the tasks table, with its parameters."""
    engine = sessions.kw["bind"].sync_engine
    seen: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "tasks" in statement and not statement.lstrip().upper().startswith("INSERT"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


async def plans(sessions: Sessions, statements: list[tuple[str, Any]]) -> list[str]:
    """SQLite's plan for each statement, in words."""
    async with sessions() as session:
        connection = await session.connection()
        found = []
        for statement, parameters in statements:
            plan = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            found.append(" ".join(str(row[-1]) for row in plan))
        return found


async def only_through_an_index(sessions: Sessions, statements: list[tuple[str, Any]]) -> None:
    assert statements, "the lookup ran no statement on the tasks table"
    for plan in await plans(sessions, statements):
        assert "SCAN tasks" not in plan, plan
        assert "USING INDEX" in plan, plan


def _skip_unless_sqlite(sessions: Sessions) -> None:
    if sessions.kw["bind"].dialect.name != "sqlite":
        pytest.skip("PostgreSQL plans from its statistics: SQLite's plan is the one checked")


async def _tasks(sessions: Sessions, woman: uuid.UUID) -> int:
    async with sessions() as session:
        return await session.scalar(select(func.count()).where(Task.woman_id == woman)) or 0


async def test_an_escalation_looks_for_its_own_tasks_through_her_index(sessions: Sessions) -> None:
    _skip_unless_sqlite(sessions)
    woman = await make_woman(sessions)
    clock = Clock(
        key=f"{woman}:pathway:conference_due",
        deadline="conference_due",
        label="Pre-birth conference held",
        due=date(2031, 3, 1),
        basis="test",
    )
    escalate = EscalateClock(woman_id=woman, clock=clock, action=Escalation.ESCALATE_LEAD, at=AT)
    with statements_on_tasks(sessions) as seen:
        await ActivityEnvironment().run(ClockActivities(sessions).escalate_clock, escalate)
    written = await _tasks(sessions, woman)
    assert written > 0
    await only_through_an_index(sessions, seen)
    # Asked again (a retried activity), it finds the tasks it wrote and writes nothing more.
    await ActivityEnvironment().run(ClockActivities(sessions).escalate_clock, escalate)
    assert await _tasks(sessions, woman) == written


async def test_settling_an_advocacy_request_closes_its_tasks_through_her_index(
    sessions: Sessions,
) -> None:
    _skip_unless_sqlite(sessions)
    woman = await make_woman(sessions)
    request = uuid.uuid4()
    async with sessions() as session, session.begin():
        team = await session.scalar(select(Woman.team_id).where(Woman.id == woman))
        for number in (1, 2):
            session.add(
                Task(
                    key=f"advocacy:{request}:{number}",
                    woman_id=woman,
                    assignee_organisation_id=team,
                    kind="advocate_unallocated",
                    title="Find her an advocate",
                )
            )
    settle = SettleRequest(
        woman_id=woman, request_id=request, outcome=AllocationOutcome.ACCEPTED, at=AT
    )
    with statements_on_tasks(sessions) as seen:
        await ActivityEnvironment().run(
            AdvocacyActivities(sessions).settle_allocation_request, settle
        )
    await only_through_an_index(sessions, seen)
    async with sessions() as session:
        statuses = await session.scalars(select(Task.status).where(Task.woman_id == woman))
        assert set(statuses) == {"done"}
