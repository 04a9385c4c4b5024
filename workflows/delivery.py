"""The delivery dispatcher: one long-lived workflow that empties the notices outbox.

Why a loop and not a Temporal Schedule: one execution (not 2,880 new runs a day, each with its
own history and visibility record); the worker starts it at boot with a fixed id and
USE_EXISTING, so any number of workers share one dispatcher; a `dispatch_now` signal can cut
the wait; the activity returns the interval from the worker's settings, so a change takes
effect on restart; and it runs on the time-skipping test server, which has no Schedules.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, WorkflowIDConflictPolicy

with workflow.unsafe.imports_passed_through():
    from temporalio.client import Client, WorkflowHandle

    from forms import activity_contracts as acts
    from forms.delivery import DispatcherInput, DispatchRequest, DispatchResult

DISPATCHER_ID = "delivery-dispatcher"
# The database may be down for a while: keep trying, never more than 30 s apart.
RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
)
# A round sends up to a batch of messages, each bounded by its provider's timeout.
ROUND_TIMEOUT = timedelta(minutes=30)
HEARTBEAT = timedelta(minutes=2)


@workflow.defn(name="DeliveryDispatcher")
class DeliveryDispatcher:
    """Every interval: deliver due notices; every poll interval: check messages on their way."""

    def __init__(self) -> None:
        self._wake = False

    @workflow.signal
    def dispatch_now(self) -> None:
        """Run the next round at once (a notice was just written)."""
        self._wake = True

    @workflow.run
    async def run(self, inp: DispatcherInput) -> None:
        last_poll = inp.last_poll_at
        for done in range(1, inp.continue_after + 1):
            self._wake = False
            result: DispatchResult = await workflow.execute_activity(
                acts.deliver_due_notices,
                DispatchRequest(),
                start_to_close_timeout=ROUND_TIMEOUT,
                heartbeat_timeout=HEARTBEAT,
                retry_policy=RETRY,
            )
            if self._poll_due(last_poll, result.poll_every_seconds):
                last_poll = workflow.now()
                await workflow.execute_activity(
                    acts.poll_delivery_statuses,
                    DispatchRequest(),
                    start_to_close_timeout=ROUND_TIMEOUT,
                    heartbeat_timeout=HEARTBEAT,
                    retry_policy=RETRY,
                )
            if done == inp.continue_after or workflow.info().is_continue_as_new_suggested():
                break
            try:
                await workflow.wait_condition(
                    lambda: self._wake, timeout=timedelta(seconds=result.next_in_seconds)
                )
            except TimeoutError:
                pass  # the interval passed: the next round
        # Keep the history short; a signal half-handled is finished first.
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new(inp.model_copy(update={"last_poll_at": last_poll}))

    @staticmethod
    def _poll_due(last_poll: datetime | None, every_seconds: float) -> bool:
        return last_poll is None or workflow.now() - last_poll >= timedelta(seconds=every_seconds)


async def start_dispatcher(client: Client, task_queue: str) -> WorkflowHandle[Any, Any]:
    """Start the one dispatcher, or get the running one (any number of workers may call this)."""
    return await client.start_workflow(
        DeliveryDispatcher.run,
        DispatcherInput(),
        id=DISPATCHER_ID,
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
