"""The worker killed with SIGKILL inside an activity, after its write and before its answer:
once another worker is up, Temporal retries the activity (after its start-to-close timeout),
the retry finds its business key and writes nothing again, and her pathway completes."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle

from tests.faults.checks import assert_all_agree
from tests.faults.processes import fault_worker, waymark_worker
from tests.faults.service import Service, refer
from tests.faults.waiting import eventually
from waymark.db.models import AuditEvent, Referral, TimelineEvent
from workflows.pathway import workflow_id

pytestmark = pytest.mark.faults

NO_FURTHER_ACTION = {"decision": "no_further_action", "reason": "Needs met by universal services"}
# The activity's start-to-close timeout (workflows.options.DB_TIMEOUT) is when Temporal gives
# up on the dead worker's attempt; then the retry, then the workflow's last steps.
RETRY_SECONDS = 60


async def screening_effects(service: Service, woman_id: uuid.UUID) -> tuple[int, int, object]:
    """Her screening timeline events, the audit rows about it (the request's, the activity's),
    and when it was made."""
    async with service.sessions() as session:
        events = await session.scalar(
            select(func.count()).where(
                TimelineEvent.woman_id == woman_id, TimelineEvent.kind == "screening_decision"
            )
        )
        audited = await session.scalar(
            select(func.count()).where(
                AuditEvent.record_id == str(woman_id),
                AuditEvent.action == "record_screening",
            )
        )
        referral = await session.scalar(select(Referral).where(Referral.woman_id == woman_id))
    assert referral is not None
    return int(events or 0), int(audited or 0), referral.screened_at


async def screening_attempts(handle: WorkflowHandle[Any, Any]) -> int:
    """The attempt that completed record_screening (its earlier attempts are not in history)."""
    history = await handle.fetch_history()
    scheduled = {
        event.event_id
        for event in history.events
        if event.activity_task_scheduled_event_attributes.activity_type.name == "record_screening"
    }
    [started] = [
        event.activity_task_started_event_attributes
        for event in history.events
        if event.activity_task_started_event_attributes.scheduled_event_id in scheduled
    ]
    return int(started.attempt)


async def test_a_worker_killed_inside_an_activity_does_its_work_once(
    sqlite_service: Service,
) -> None:
    service = sqlite_service
    inside = service.root / "inside-record-screening"
    first = fault_worker(
        service.env, service.root / "worker-1.log", "--barrier", f"record_screening={inside}"
    ).start()
    second = waymark_worker(service.env, service.root / "worker-2.log")
    client = await service.client()
    await service.ready(client, first)
    try:
        async with (
            service.api("mia.midwife", client) as midwife,
            service.api("sam.social", client) as social_worker,
        ):
            woman_id = await refer(midwife)
            screening = asyncio.create_task(
                social_worker.post(f"/api/v1/women/{woman_id}/screening", json=NO_FURTHER_ACTION)
            )

            async def is_inside() -> bool:
                return inside.exists()

            await eventually("the worker is inside record_screening", is_inside, 30)
            written = await screening_effects(service, woman_id)
            assert written[0] == 1  # the write is done; the answer is not sent
            first.kill()
            answer = await screening
            assert answer.status_code == 503, answer.text  # no worker confirmed it in time
            assert "may still complete" in answer.json()["detail"]

            second.start()
            handle = client.get_workflow_handle(workflow_id(woman_id))
            await asyncio.wait_for(handle.result(), RETRY_SECONDS)
            assert (await handle.describe()).status == WorkflowExecutionStatus.COMPLETED
            assert await screening_attempts(handle) == 2  # the killed one, then the retry
            assert await screening_effects(service, woman_id) == written  # once, not twice
            her = await social_worker.get(f"/api/v1/women/{woman_id}")
            assert her.json()["stage"] == "closed"
        await assert_all_agree(service)
    finally:
        first.kill() if first.alive() else None
        second.stop()
