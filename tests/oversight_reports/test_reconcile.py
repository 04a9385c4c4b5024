"""Reconciliation against the real dev server (the time-skipping server cannot list workflows)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from forms.oversight_reports import Discrepancy, DiscrepancyKind
from services.reconcile import reconcile, workflow_status
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.oversight_reports import rows
from waymark.db.models import Notice, Woman
from waymark.db.session import transaction
from waymark.settings import Settings
from waymark.temporal.worker import build_worker
from workflows.delivery import DISPATCHER_ID, start_dispatcher

Key = tuple[DiscrepancyKind, str, str | None]
NOW = datetime.now(UTC)


async def start(client: Client, sessions: async_sessionmaker[AsyncSession], queue: str) -> Any:
    """Her pathway, started as the API starts it; returns (handle, woman id)."""
    inp = pathway_input(await actor_for(sessions, "mia.midwife"))
    handle = await start_pathway(client, queue, inp)
    return handle, inp.state.woman_id


async def sweep(sessions: async_sessionmaker[AsyncSession], client: Client) -> list[Discrepancy]:
    async with sessions() as session:
        return await reconcile(session, client, grace=timedelta(0))


async def eventually(
    check: Callable[[], Awaitable[list[Discrepancy]]], want: Callable[[set[Key]], bool]
) -> set[Key]:
    """Visibility is eventually consistent: sweep again until the answer settles (≤ 20 s)."""
    for _ in range(80):
        found: set[Key] = {(d.kind, d.record_type, d.record_id) for d in await check()}
        if want(found):
            return found
        await asyncio.sleep(0.25)
    return found


async def test_reconcile_finds_each_kind_of_discrepancy(
    dev_server: tuple[WorkflowEnvironment, Path],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    demo: None,
) -> None:
    env, _ = dev_server
    queue = settings.temporal_task_queue
    async with build_worker(env.client, sessions, queue, settings):
        _, running_id = await start(env.client, sessions, queue)
        ended: WorkflowHandle[Any, Any]
        ended, ended_id = await start(env.client, sessions, queue)
        await ended.terminate(reason="reconciliation test")
        _, deleted_id = await start(env.client, sessions, queue)
        async with transaction(sessions) as session:
            await rows.delete_woman(session, deleted_id)
            orphan = await rows.woman(session)
            meetings = await _meetings(session, running_id)
        expected: set[Key] = {
            (DiscrepancyKind.NO_RUNNING_WORKFLOW, "woman", str(ended_id)),
            (DiscrepancyKind.NO_RUNNING_WORKFLOW, "woman", str(orphan.id)),
            (DiscrepancyKind.NO_OPEN_RECORD, "woman", str(deleted_id)),
            (DiscrepancyKind.MISSING_NOTICES, "meeting", str(meetings["bare"])),
            (DiscrepancyKind.MISSING_NOTICES, "meeting", str(meetings["advocate_forgotten"])),
        }
        found = await eventually(
            lambda: sweep(sessions, env.client),
            lambda keys: (
                {k for k in keys if k[0] != DiscrepancyKind.DISPATCHER_NOT_RUNNING} == expected
            ),
        )
        assert {k for k in found if k[0] != DiscrepancyKind.DISPATCHER_NOT_RUNNING} == expected


async def _meetings(session: AsyncSession, woman_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """Her future meetings: with notices to come, without any, one her advocate was left out of."""
    her = await session.get(Woman, woman_id)
    assert her is not None
    advocate = f"advocate:{await rows.user_id(session, 'ava.advocate')}"
    soon, later = NOW + timedelta(hours=6), NOW + timedelta(days=10)
    made = {
        "covered": rows.meeting(her, later),
        "bare": rows.meeting(her, later),
        "advocate_forgotten": rows.meeting(her, later, sequence=1),
        "today_all_sent": rows.meeting(her, soon),
        "past": rows.meeting(her, NOW - timedelta(days=1)),
        "cancelled": rows.meeting(her, later, status="cancelled"),
    }
    session.add_all(made.values())
    await session.flush()
    sent = NOW - timedelta(days=1)
    session.add_all(
        [
            rows.notice(made["covered"], "woman", "meeting_scheduled", sent, status="delivered"),
            rows.notice(made["covered"], "woman", "reminder-1", later - timedelta(days=1)),
            rows.notice(made["covered"], advocate, "meeting_scheduled", sent, status="delivered"),
            rows.notice(made["covered"], advocate, "reminder-1", later - timedelta(days=1)),
            rows.notice(made["advocate_forgotten"], "woman", "reminder-1", later, sequence=1),
            rows.notice(
                made["advocate_forgotten"],
                advocate,
                "meeting_rescheduled",
                sent,
                status="delivered",
                sequence=1,
            ),
            # A reminder from before the move no longer counts.
            rows.notice(made["advocate_forgotten"], advocate, "reminder-1", later, sequence=0),
            rows.notice(made["today_all_sent"], "woman", "reminder-2", sent, status="delivered"),
        ]
    )
    return {name: row.id for name, row in made.items()}


async def test_notices_waiting_with_no_dispatcher_are_a_discrepancy(
    dev_server: tuple[WorkflowEnvironment, Path],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    demo: None,
) -> None:
    env, _ = dev_server
    async with transaction(sessions) as session:
        her = await rows.woman(session, stage="closed")
        session.add(
            Notice(
                key="test:waiting",
                woman_id=her.id,
                recipient_kind="staff",
                recipient_user_id=await rows.user_id(session, "sam.social"),
                kind="test_notice",
                send_at=NOW - timedelta(hours=1),
                summary="A task is waiting",
            )
        )
    found = await sweep(sessions, env.client)
    assert [(d.kind, d.workflow_id) for d in found] == [
        (DiscrepancyKind.DISPATCHER_NOT_RUNNING, DISPATCHER_ID)
    ]
    assert "1 notices due" in found[0].detail
    async with build_worker(env.client, sessions, settings.temporal_task_queue, settings):
        await start_dispatcher(env.client, settings.temporal_task_queue)
        assert await workflow_status(env.client, DISPATCHER_ID) == "RUNNING"
        assert await sweep(sessions, env.client) == []


async def test_records_and_workflows_within_the_grace_period_wait_for_the_next_sweep(
    dev_server: tuple[WorkflowEnvironment, Path],
    sessions: async_sessionmaker[AsyncSession],
    demo: None,
) -> None:
    env, _ = dev_server
    async with transaction(sessions) as session:
        await rows.woman(session)  # just written: her workflow may be a moment behind
    async with sessions() as session:
        assert await reconcile(session, env.client) == []
        later = datetime.now(UTC) + timedelta(minutes=5)
        found = await reconcile(session, env.client, now=later)
    assert [d.kind for d in found] == [DiscrepancyKind.NO_RUNNING_WORKFLOW]
    assert found[0].detail == "workflow not found"
