"""Bringing an area's existing cases in: a file with any problem writes nothing and names each
one by line and column; a run stopped part way is finished by running it again, without
duplicates; each woman's pathway starts at her stage with clocks from her real dates, a task for
each duty already overdue and no notice about the past."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from services.onboard import importer
from services.onboard.rows import COLUMNS
from services.onboard.run import Onboarding, run
from tests.helpers.planning import eventually
from tests.helpers.referrals import fresh_nhs_number
from tests.helpers.snapshot import changed, snapshot
from waymark.db.models import Deadline, Notice, OnboardedCase, Task, Woman
from waymark.localtime import today_in_uk
from workflows.conference import CaseConference
from workflows.pathway import WomanPathway, workflow_id

Sessions = async_sessionmaker[AsyncSession]


class Stopped(Exception):
    """The import process stopped (killed) part way."""


def case(number: int, **changes: Any) -> dict[str, Any]:
    today = today_in_uk()
    row = {
        "case_id": f"NM-{number:05d}",
        "area": "northmoor",
        "given_name": "Jane",
        "family_name": f"Example{number}",
        "date_of_birth": "1995-01-31",
        "nhs_number": fresh_nhs_number(),
        "address_line1": "1 High Street",
        "town": "Northmoor",
        "postcode": "NM1 1AA",
        "edd": (today + timedelta(days=120)).isoformat(),
        "stage": "pre_birth_assessment",
        "referral_on": (today - timedelta(days=5)).isoformat(),
    }
    row.update(changes)
    return row


def file_of(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


async def count(sessions: Sessions, model: type, *where: Any) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_a_file_with_problems_writes_nothing_and_names_each(
    context: Onboarding, sessions: Sessions
) -> None:
    future = (today_in_uk() + timedelta(days=3)).isoformat()
    rows = [
        case(1),
        case(2, nhs_number="1234567890"),
        case(3, family_name=""),
        case(4, area="atlantis"),
        case(5, referral_on=future),
        case(1, family_name="Again"),
        case(7, advocate="nobody.here"),
        case(8, stage="closed"),
        case(9, stage="strategy_discussion", concern_on="2099-01-01"),
    ]
    before = await snapshot(sessions)
    report = await run(context, file_of(rows), "lee.lead", today_in_uk())
    found = {(p.line, p.column) for p in report.problems}
    assert found == {
        (3, "nhs_number"),
        (4, "family_name"),
        (5, "area"),
        (6, "referral_on"),
        (7, "case_id"),
        (8, "advocate"),
        (9, "stage"),
        (10, "concern_on"),
    }, [str(p) for p in report.problems]
    assert report.brought_in == 0
    assert changed(before, await snapshot(sessions)) == []
    nobody = await run(context, file_of([case(1)]), "sam.social", today_in_uk())
    assert [(p.line, p.column) for p in nobody.problems] == [(0, "--by")]


async def test_a_rerun_after_a_stopped_import_finishes_without_duplicates(
    context: Onboarding, sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = file_of([case(n) for n in range(1, 9)])
    dry = await run(context, text, "lee.lead", today_in_uk(), dry_run=True)
    assert (dry.rows, dry.already, dry.problems) == (8, 0, [])
    assert await count(sessions, Woman) == 0
    started = importer._start
    calls = 0

    async def dies_on_the_fifth(*args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise Stopped  # the import is stopped between her record and her pathway
        await started(*args)

    monkeypatch.setattr(importer, "_start", dies_on_the_fifth)
    with pytest.raises(ExceptionGroup):
        await run(
            Onboarding(context.sessions, context.temporal, context.task_queue, 1),
            text,
            "lee.lead",
            today_in_uk(),
        )
    assert await count(sessions, OnboardedCase) == 5
    monkeypatch.setattr(importer, "_start", started)
    again = await run(context, text, "lee.lead", today_in_uk())
    assert (again.brought_in, again.already, again.problems) == (4, 4, [])
    assert await count(sessions, Woman) == 8
    assert await count(sessions, OnboardedCase, OnboardedCase.status == "started") == 8
    for row in await _rows(sessions, OnboardedCase):
        handle = _temporal(context).get_workflow_handle(workflow_id(row.woman_id))
        assert (await handle.query(WomanPathway.state)).stage.value == "pre_birth_assessment"
    third = await run(context, text, "lee.lead", today_in_uk())
    assert (third.brought_in, third.already) == (0, 8)


async def test_her_clocks_run_from_her_real_dates_and_an_overdue_duty_is_a_task(
    context: Onboarding, sessions: Sessions
) -> None:
    today = today_in_uk()
    late = case(
        1, stage="strategy_discussion", referral_on=(today - timedelta(days=40)).isoformat()
    )
    fresh = case(2, stage="strategy_discussion", referral_on=today.isoformat())
    report = await run(context, file_of([late, fresh]), "lee.lead", today)
    assert (report.brought_in, report.problems) == (2, [])
    ids = [importer.ids_for(r.case).woman for r in _parsed([late, fresh])]
    handle = _temporal(context).get_workflow_handle(workflow_id(ids[0]))

    async def tasked() -> bool:
        return await count(sessions, Task, Task.kind == "overdue_on_arrival") > 0

    await eventually(tasked)
    state = await handle.query(WomanPathway.state)
    clock = next(c for c in state.clocks.values() if c.deadline == "strategy_discussion")
    assert clock.due < today
    assert all(step.done for step in clock.steps if step.at.date() <= today)
    tasks = await _rows(sessions, Task, Task.kind == "overdue_on_arrival")
    assert {t.woman_id for t in tasks} == {ids[0]}
    assert any("overdue" in t.title for t in tasks)
    assert await count(sessions, Notice) == 0
    assert await count(sessions, Deadline, Deadline.woman_id == ids[1]) >= 2


def _parsed(rows: list[dict[str, Any]]) -> list[Any]:
    from services.onboard.rows import read

    parsed, problems = read(file_of(rows), date.today())
    assert problems == []
    return parsed


async def _rows(sessions: Sessions, model: type, *where: Any) -> list[Any]:
    async with sessions() as session:
        return list(await session.scalars(select(model).where(*where)))


def _temporal(context: Onboarding) -> Client:
    assert context.temporal is not None
    return context.temporal


async def test_a_woman_whose_conference_is_to_be_held_comes_in_with_it_running(
    context: Onboarding, sessions: Sessions
) -> None:
    today = today_in_uk()
    held = today - timedelta(days=40)
    row = case(
        1,
        stage="conference",
        referral_on=(held - timedelta(days=3)).isoformat(),
        strategy_discussion_on=held.isoformat(),
    )
    unsaid = case(2, stage="conference")
    refused = await run(context, file_of([row, unsaid]), "lee.lead", today)
    assert [(p.line, p.column) for p in refused.problems] == [(3, "strategy_discussion_on")]
    report = await run(context, file_of([row]), "lee.lead", today)
    assert (report.brought_in, report.problems) == (1, [])
    [woman_id] = [importer.ids_for(r.case).woman for r in _parsed([row])]
    handle = _temporal(context).get_workflow_handle(workflow_id(woman_id))

    async def conferring() -> bool:
        return (await handle.query(WomanPathway.state)).conference_id is not None

    await eventually(conferring)
    state = await handle.query(WomanPathway.state)
    assert state.stage.value == "conference"
    due = next(c for c in state.clocks.values() if c.deadline == "conference_due")
    # Counted from her real strategy discussion (15 working days): already past, so her team
    # has a task for it, and nobody is sent a notice about the past.
    assert held < due.due < today
    conference = _temporal(context).get_workflow_handle(f"conference-{state.conference_id}")
    assert (await conference.query(CaseConference.state)).statutory_latest == due.due

    async def tasked() -> bool:
        return await count(sessions, Task, Task.kind == "overdue_on_arrival") > 0

    await eventually(tasked)
    assert await count(sessions, Notice) == 0
    assert not any("strategy" in c.deadline for c in state.clocks.values())
