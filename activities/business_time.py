"""The business time an activity stamps: the calling workflow's time, never the worker's clock.

A workflow's `workflow.now()` and the wall clock agree only roughly in production, and not at all
on the time-skipping server (the simulator runs months in minutes). Dates and times that mean
something to people (when a notice is to go, when a task is due, when a contact was missed) are
the workflow's: it passes them in as `at`. Audit rows written at commit keep the real wall clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

from temporalio import activity

# `ActivityEnvironment` (unit tests) leaves the scheduled time at the epoch: that means unknown.
_UNKNOWN = datetime(1970, 1, 1, tzinfo=UTC)


def business_time(at: datetime | None = None) -> datetime:
    """`at` as passed by the workflow; else when the workflow scheduled this activity (the
    server's time, which is virtual time in simulation); else, outside an activity, now."""
    if at is not None:
        return at
    if activity.in_activity():
        scheduled = activity.info().scheduled_time
        if scheduled is not None and scheduled > _UNKNOWN:
            return scheduled
    return datetime.now(UTC)
