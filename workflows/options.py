"""Activity options shared by the pathway workflows."""

from __future__ import annotations

from datetime import timedelta

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
