"""Moving a time-skipping server's clock a long way, a day at a time.

Weeks of virtual time after a removal are hundreds of timers and activities (her advocate's
offers lapse and are made again every few hours), all run while one `sleep` call waits. On a busy
machine one call for 17 days outlasts the server's time limit on a call ("Timeout expired");
a day at a time, each call is short and the clock ends at the same moment."""

from __future__ import annotations

from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

DAY = timedelta(days=1)


async def skip(env: WorkflowEnvironment, span: timedelta) -> None:
    """Move `env`'s clock on by `span`, at most a day per call."""
    while span > timedelta(0):
        hop = min(DAY, span)
        await env.sleep(hop)
        span -= hop
