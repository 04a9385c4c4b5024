"""Activity options shared by the pathway workflows, and the one way they run an activity."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy

# Business errors an activity raises that no retry can fix.
NON_RETRYABLE = ["InvalidRecord"]

# Maximum interval under 30 s so that a database outage of that length is ridden out quickly.
DB_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=500),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=20),
    non_retryable_error_types=NON_RETRYABLE,
)
DB_TIMEOUT = timedelta(seconds=30)

In = TypeVar("In")
Out = TypeVar("Out")


async def act(contract: Callable[[In], Awaitable[Out]], arg: In) -> Out:
    """The activity its contract names (`forms/activity_contracts.py`), with the database's
    timeout and retries; what it answers is typed by the contract."""
    return await workflow.execute_activity(
        contract, arg, start_to_close_timeout=DB_TIMEOUT, retry_policy=DB_RETRY
    )
