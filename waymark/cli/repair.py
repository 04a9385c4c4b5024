"""What `waymark reconcile --repair` puts right: where Temporal knows for certain what the read
model lacks (after a restore from a backup, most often), it is written back, idempotently.

- a running pathway whose woman is missing: her referral is recorded again from the pathway's
  own history (the same activity input, so the same keys and audit actor), at her current stage;
- her record's stage behind her running pathway: the pathway's stage is recorded;
- her record open but her pathway completed (a pathway completes only once closed): closed;
- notices due and no dispatcher: the dispatcher is started;
- the duty register not saying what the facts say is owed: it is back-filled from the facts.

Anything else is left for a person, and said so. Timeline entries written after the backup are
not rebuilt: the repair says so for each woman it touches.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from activities.referral import ReferralActivities
from forms.oversight_reports import Discrepancy, DiscrepancyKind
from forms.pathway import PathwayInput, RecordReferral
from services.duty_backfill import backfill
from services.reconcile import pathway_stage
from waymark import audit
from waymark.db.base import utcnow
from waymark.db.models import Woman
from waymark.db.session import transaction
from workflows.delivery import start_dispatcher

LATER_EVENTS = "events after the backup are not on her timeline"


@dataclass
class Repairing:
    sessions: async_sessionmaker[AsyncSession]
    client: Client
    task_queue: str
    backfilled: bool = False


Repair = Callable[[Repairing, Discrepancy], Awaitable[str | None]]


async def repair(context: Repairing, found: list[Discrepancy]) -> list[str]:
    """One line per discrepancy: what was done, or that it is left for a person."""
    lines = []
    for item in found:
        fix = _repair_for(item)
        done = await fix(context, item) if fix is not None else None
        lines.append(f"repaired: {item.line()}: {done}" if done else f"left: {item.line()}")
    return lines


def _repair_for(item: Discrepancy) -> Repair | None:
    if item.kind == DiscrepancyKind.DISPATCHER_NOT_RUNNING:
        return _start_dispatcher
    if item.kind == DiscrepancyKind.DUTY_DIFFERS:
        return _backfill
    if item.record_type != "woman":
        return None
    if item.kind == DiscrepancyKind.NO_OPEN_RECORD and item.detail == "record missing":
        return _record_again
    if item.kind == DiscrepancyKind.STAGE_DIFFERS:
        return _follow_pathway
    if item.kind == DiscrepancyKind.NO_RUNNING_WORKFLOW and item.detail == "workflow completed":
        return _close
    return None


async def _start_dispatcher(context: Repairing, _item: Discrepancy) -> str:
    await start_dispatcher(context.client, context.task_queue)
    return "dispatcher started"


async def _backfill(context: Repairing, _item: Discrepancy) -> str:
    """Once a run: the back-fill covers every record."""
    if not context.backfilled:
        async with transaction(context.sessions) as session:
            await backfill(session, now=utcnow())
        context.backfilled = True
    return "duty register back-filled from the facts"


async def _record_again(context: Repairing, item: Discrepancy) -> str | None:
    assert item.workflow_id is not None
    recorded = await _first_referral_input(context.client, item.workflow_id)
    if recorded is None:
        return None
    await ReferralActivities(context.sessions).record_referral(recorded)
    stage = await pathway_stage(context.client, item.workflow_id)
    if stage is not None:
        await _set_stage(context, recorded.woman_id, stage)
    return f"her referral recorded again from her pathway, at stage {stage}; {LATER_EVENTS}"


async def _first_referral_input(client: Client, workflow_id: str) -> RecordReferral | None:
    """The input of `record_referral` in the pathway's first run (continue-as-new keeps the id):
    the activity's own input, or, where her referral was recorded by a local activity in the
    first workflow task (which keeps no input in the history), the same input rebuilt from the
    start: her referral and who made it, at that task's time (the workflow's `now`)."""
    runs = [run async for run in client.list_workflows(f"WorkflowId = '{workflow_id}'")]
    if not runs:
        return None
    first = min(runs, key=lambda run: run.start_time)
    history = await client.get_workflow_handle(workflow_id, run_id=first.run_id).fetch_history()
    started: PathwayInput | None = None
    first_task_at: datetime | None = None
    for event in history.events:
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
            payloads = event.workflow_execution_started_event_attributes.input.payloads
            (started,) = await client.data_converter.decode(payloads, [PathwayInput])
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED and first_task_at is None:
            first_task_at = event.event_time.ToDatetime(tzinfo=UTC)
        scheduled = event.activity_task_scheduled_event_attributes
        if (
            event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
            and scheduled.activity_type.name == "record_referral"
        ):
            (decoded,) = await client.data_converter.decode(
                scheduled.input.payloads, [RecordReferral]
            )
            assert isinstance(decoded, RecordReferral)
            return decoded
    return _rebuilt(started, first_task_at)


def _rebuilt(started: PathwayInput | None, at: datetime | None) -> RecordReferral | None:
    if started is None or at is None or started.referral is None or started.referral_actor is None:
        return None
    return RecordReferral(
        woman_id=started.state.woman_id,
        referral_id=started.state.referral_id,
        referral=started.referral,
        actor=started.referral_actor,
        received_at=at,
    )


async def _follow_pathway(context: Repairing, item: Discrepancy) -> str | None:
    assert item.workflow_id is not None
    assert item.record_id is not None
    stage = await pathway_stage(context.client, item.workflow_id)
    if stage is None:
        return None
    await _set_stage(context, uuid.UUID(item.record_id), stage)
    return f"stage {stage} recorded from her pathway; {LATER_EVENTS}"


async def _close(context: Repairing, item: Discrepancy) -> str:
    assert item.record_id is not None
    await _set_stage(context, uuid.UUID(item.record_id), "closed")
    return f"closed, as her pathway is; {LATER_EVENTS}"


async def _set_stage(context: Repairing, woman_id: uuid.UUID, stage: str) -> None:
    async with transaction(context.sessions) as session:
        await session.execute(update(Woman).where(Woman.id == woman_id).values(stage=stage))
        audit.record(
            session,
            None,
            action="reconcile_repair",
            record_type="woman",
            record_id=woman_id,
            detail=f"stage {stage} from her pathway",
        )
