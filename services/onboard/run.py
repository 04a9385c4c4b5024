"""An onboarding run: check the whole file (and it against the records), write nothing if
anything is wrong, else bring each woman in, a few at a time, telling `progress` as each is done."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from forms.common import Actor, Role
from services.onboard import importer
from services.onboard.rows import Problem, Row, read
from waymark.db.models import OnboardedCase, Organisation, User

BRINGERS = (Role.ADMIN, Role.SAFEGUARDING_LEAD)


@dataclass
class Report:
    """What a run found or did."""

    rows: int = 0
    brought_in: int = 0
    already: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Onboarding:
    sessions: async_sessionmaker[AsyncSession]
    # Needed only to bring cases in (not to check a file, nor for a dry run).
    temporal: Client | None
    task_queue: str
    concurrency: int = 8


async def check(
    sessions: async_sessionmaker[AsyncSession],
    text: str,
    by_username: str,
    today: date,
    area: str | None = None,
) -> tuple[list[Row], Actor | None, list[Problem]]:
    """The rows, who brings them in, and every problem (the file's and the records'); with an
    area, a row of another area is a problem too."""
    rows, problems = read(text, today)
    if area is not None:
        problems += [
            Problem(r.line, "area", f"not your area ({area})") for r in rows if r.case.area != area
        ]
    async with sessions() as session:
        by = await _bringer(session, by_username)
        if by is None:
            problems.insert(0, Problem(0, "--by", "not an administrator or safeguarding lead"))
        problems += await importer.problems_on_record(session, rows)
    return rows, by, problems


async def _bringer(session: AsyncSession, username: str) -> Actor | None:
    user = await session.scalar(select(User).where(User.username == username))
    if user is None or Role(user.role) not in BRINGERS:
        return None
    org = await session.get(Organisation, user.organisation_id)
    assert org is not None
    return Actor(user_id=user.id, role=Role(user.role), organisation_id=org.id)


async def already_in(sessions: async_sessionmaker[AsyncSession], rows: list[Row]) -> int:
    """How many of these cases an earlier run brought in completely."""
    keys = {(r.case.area, r.case.case_id) for r in rows}
    async with sessions() as session:
        found = await session.execute(
            select(OnboardedCase.area_code, OnboardedCase.case_id).where(
                OnboardedCase.status == "started"
            )
        )
        return sum(1 for key in found if tuple(key) in keys)


async def run(
    context: Onboarding,
    text: str,
    by_username: str,
    today: date,
    *,
    dry_run: bool = False,
    area: str | None = None,
    progress: Callable[[], None] = lambda: None,
) -> Report:
    rows, by, problems = await check(context.sessions, text, by_username, today, area)
    report = Report(rows=len(rows), problems=problems)
    if problems or by is None:
        return report
    if dry_run:
        report.already = await already_in(context.sessions, rows)
        return report
    temporal = context.temporal
    if temporal is None:
        raise RuntimeError("bringing cases in needs Temporal")
    gate = asyncio.Semaphore(context.concurrency)

    async def one(row: Row) -> None:
        async with gate:
            new = await importer.bring_in(context.sessions, temporal, context.task_queue, row, by)
        report.brought_in += new
        report.already += not new
        progress()

    # A row that fails stops the run (the others are cancelled); running it again continues.
    async with asyncio.TaskGroup() as group:
        for row in rows:
            group.create_task(one(row))
    return report
