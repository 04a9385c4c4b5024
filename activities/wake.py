"""Urgent notices are delivered, not only queued: an activity that wrote one wakes the delivery
dispatcher at once (its `dispatch_now` signal) rather than leaving it to the next round."""

from __future__ import annotations

from temporalio import activity
from temporalio.service import RPCError

from workflows.delivery import DISPATCHER_ID


async def wake_dispatcher() -> None:
    """Signal the dispatcher after the notice is committed; if it cannot be reached, its next
    round delivers the notice (nothing is lost, only later)."""
    try:
        await activity.client().get_workflow_handle(DISPATCHER_ID).signal("dispatch_now")
    except (RPCError, RuntimeError) as error:
        activity.logger.info("the delivery dispatcher was not woken: %s", type(error).__name__)
