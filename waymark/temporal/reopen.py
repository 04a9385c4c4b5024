"""Reopening her closed case in Temporal: her pathway ran to its end when the case closed, so a
new run of it starts from the state the closed one ended with (the API, the page and the
simulator all reopen here)."""

from __future__ import annotations

from typing import Any

from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy

from forms.pathway import PathwayInput, PathwayState, ReopenCase
from workflows.pathway import WomanPathway


async def start_reopened_run(
    client: Client, task_queue: str, closed: WorkflowHandle[Any, Any], command: ReopenCase
) -> WorkflowHandle[Any, Any]:
    """Start the new run of her pathway from her closed run's state, reopening it."""
    state: PathwayState = await closed.query(WomanPathway.state)
    started: WorkflowHandle[Any, Any] = await client.start_workflow(
        WomanPathway.run,
        PathwayInput(state=state, reopen=command),
        id=closed.id,
        task_queue=task_queue,
        # Her closed run may be followed by this one; a running one means she is open.
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
        id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
    )
    return started
