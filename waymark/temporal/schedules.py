"""Temporal Schedules the worker makes sure exist: the daily oversight sweep at 06:00 UK time."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleHandle,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
)

from forms.ledger import SweepInput
from rules.escalation import SWEEP_AT
from workflows.oversight import WORKFLOW_NAME

SWEEP_SCHEDULE_ID = "oversight-sweep"
# Each run's workflow id is this plus the scheduled time (added by Temporal): opaque.
SWEEP_WORKFLOW_ID = "oversight-sweep-run"


def sweep_schedule(task_queue: str) -> Schedule:
    """Every day at 06:00 Europe/London; a run still going when the next is due is not doubled."""
    return Schedule(
        action=ScheduleActionStartWorkflow(
            WORKFLOW_NAME,
            SweepInput(),
            id=SWEEP_WORKFLOW_ID,
            task_queue=task_queue,
            execution_timeout=timedelta(hours=2),
        ),
        spec=ScheduleSpec(
            calendars=[
                ScheduleCalendarSpec(
                    hour=[ScheduleRange(SWEEP_AT.hour)],
                    minute=[ScheduleRange(SWEEP_AT.minute)],
                    second=[ScheduleRange(0)],
                )
            ],
            time_zone_name="Europe/London",
        ),
        policy=SchedulePolicy(
            overlap=ScheduleOverlapPolicy.SKIP, catchup_window=timedelta(hours=12)
        ),
    )


async def ensure_sweep_schedule(client: Client, task_queue: str) -> ScheduleHandle:
    """Create the daily sweep's schedule, or keep the one there (any worker may call this)."""
    try:
        return await client.create_schedule(SWEEP_SCHEDULE_ID, sweep_schedule(task_queue))
    except ScheduleAlreadyRunningError:
        return client.get_schedule_handle(SWEEP_SCHEDULE_ID)
