"""Oversight of the "no woman dropped" invariant: the daily sweep, and the one call other
workflows make after an event that can break it (removal, contact, allocation, closure).

The sweep is started by a Temporal Schedule (`waymark.temporal.schedules`): a new short run each
day, so its history never grows. It checks against its own `workflow.now()`, which keeps it
deterministic and lets tests move the day on virtual time.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.ledger import (
        CheckWomanRequest,
        SweepInput,
        SweepRequest,
        SweepResult,
        WomanCheck,
    )
    from rules.uktime import uk_date
    from workflows.options import act

WORKFLOW_NAME = "OversightSweep"
# Every woman in every area, one transaction each; the heartbeat shows it is still going.
SWEEP_TIMEOUT = timedelta(minutes=30)
SWEEP_HEARTBEAT = timedelta(minutes=2)
SWEEP_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=20,
)


async def check_woman(woman_id: UUID) -> WomanCheck:
    """From any workflow, after an event that can break her invariant: check it at once.

    The check is made at this workflow's time, never the worker's clock: its grace windows (a
    first offer of an advocate just after a removal) compare workflow times only. Passing the
    time changes the activity's input, not the commands, so running workflows replay as before.
    """
    return await act(acts.check_woman, CheckWomanRequest(woman_id=woman_id, at=workflow.now()))


@workflow.defn(name=WORKFLOW_NAME)
class OversightSweep:
    """Check every woman in every area's ledger; raise and resolve breaches; return counts."""

    @workflow.run
    async def run(self, inp: SweepInput) -> SweepResult:
        today = inp.today or uk_date(workflow.now())
        result = await workflow.execute_activity(
            acts.sweep_area_invariants,
            SweepRequest(today=today, at=workflow.now()),
            start_to_close_timeout=SWEEP_TIMEOUT,
            heartbeat_timeout=SWEEP_HEARTBEAT,
            retry_policy=SWEEP_RETRY,
        )
        workflow.logger.info(
            "oversight sweep: %d women, %d raised, %d resolved, %d open",
            result.women,
            result.raised,
            result.resolved,
            result.open,
        )
        return result
