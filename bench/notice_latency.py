"""How long from "a meeting change is recorded" to "its notice is in the outbox".

Runs against the real Temporal dev server (a local binary, its own in-memory state), a worker in
this process and a temporary SQLite database built by the migrations. One woman's pathway; the
first Update schedules a meeting, each later one moves it; each time we measure from sending the
Update until the woman's notice for that change (meeting, sequence) exists in `notices`.

    .venv/bin/python -m bench.notice_latency [--runs 200] [--quick]

Prints p50/p90/p99 and the maximum, in milliseconds, then the figures' table (`bench.table`).
No assertion: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.table import Figure, percentile, show  # noqa: E402
from forms.meeting import MeetingKind, ScheduleMeeting  # noqa: E402
from tests.conftest import TEST_KEY, TEST_KEY_ID, codec_for_tests  # noqa: E402
from tests.helpers.pathway import actor_for, pathway_input, start_pathway  # noqa: E402
from tests.helpers.planning import meeting_at, schedule  # noqa: E402
from waymark.db.migrate import upgrade  # noqa: E402
from waymark.db.models import Notice  # noqa: E402
from waymark.db.session import make_engine, make_sessionmaker  # noqa: E402
from waymark.demo import seed_demo_data  # noqa: E402
from waymark.settings import Settings, async_url  # noqa: E402
from waymark.temporal.binaries import find_binary  # noqa: E402
from waymark.temporal.codec import make_data_converter  # noqa: E402
from waymark.temporal.worker import build_worker  # noqa: E402
from workflows import search  # noqa: E402
from workflows.pathway import WomanPathway  # noqa: E402

Sessions = async_sessionmaker[AsyncSession]


async def _notice_appears(
    sessions: Sessions, meeting_id: uuid.UUID, sequence: int, update: asyncio.Task[object]
) -> None:
    """Poll (every millisecond) until her notice for this change exists."""
    query = select(Notice.id).where(
        Notice.meeting_id == meeting_id,
        Notice.sequence == sequence,
        Notice.recipient_kind == "woman",
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        async with sessions() as session:
            if await session.scalar(query.limit(1)) is not None:
                return
        if update.done() and update.exception() is not None:
            raise RuntimeError(f"change {sequence} was refused") from update.exception()
        await asyncio.sleep(0.001)
    raise RuntimeError(f"no notice for change {sequence} within 30 s")


async def _update(
    handle: WorkflowHandle[WomanPathway, object], command: ScheduleMeeting, retries: list[int]
) -> object:
    """The Update, sent again while her pathway is restarting (it continued as new)."""
    while True:
        try:
            return await handle.execute_update(WomanPathway.schedule_meeting, command)
        except WorkflowUpdateFailedError as exc:
            if not (isinstance(exc.cause, ApplicationError) and exc.cause.type == "NotReady"):
                raise
            retries.append(1)
            await asyncio.sleep(0.01)


async def _one_change(
    handle: WorkflowHandle[WomanPathway, object],
    sessions: Sessions,
    command: ScheduleMeeting,
    sequence: int,
    retries: list[int],
) -> tuple[float, float]:
    """Send one reschedule Update; ms until its notice exists, and until the Update returned."""
    assert command.meeting_id is not None
    started = time.perf_counter()
    update = asyncio.create_task(_update(handle, command, retries))
    await _notice_appears(sessions, command.meeting_id, sequence, update)
    seen = time.perf_counter()
    await update
    done = time.perf_counter()
    return (seen - started) * 1000, (done - started) * 1000


async def run(runs: int) -> list[float]:
    """The notice latencies (ms) of `runs` changes, after ten to warm up."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        await seed_demo_data(async_url(url))
        settings = Settings(
            environment="test",
            state_dir=Path(tmp) / "state",
            database_url=url,
            temporal_task_queue=f"bench-{uuid.uuid4().hex[:8]}",
            codec_keys={TEST_KEY_ID: TEST_KEY},
            codec_current_key_id=TEST_KEY_ID,
        )
        engine = make_engine(async_url(url))
        sessions = make_sessionmaker(engine)
        # The app's engine begins every transaction IMMEDIATE (a write lock); the watcher only
        # reads, so it gets a plain engine and never holds up the activity it is timing.
        watcher = create_async_engine(async_url(url))
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=find_binary("temporal"),
            data_converter=make_data_converter(codec_for_tests()),
            search_attributes=search.ALL,
        )
        try:
            async with build_worker(env.client, sessions, settings.temporal_task_queue, settings):
                return await _measure(env, sessions, make_sessionmaker(watcher), settings, runs)
        finally:
            await env.shutdown()
            await engine.dispose()
            await watcher.dispose()


async def _measure(
    env: WorkflowEnvironment, sessions: Sessions, watch: Sessions, settings: Settings, runs: int
) -> list[float]:
    mia = await actor_for(sessions, "mia.midwife")
    sam = await actor_for(sessions, "sam.social")
    handle = await start_pathway(env.client, settings.temporal_task_queue, pathway_input(mia))
    now = await env.get_current_time()
    first = await handle.execute_update(
        WomanPathway.schedule_meeting, schedule(MeetingKind.APPOINTMENT, meeting_at(now, 10), sam)
    )
    seen_ms: list[float] = []
    done_ms: list[float] = []
    retries: list[int] = []
    for i in range(1, runs + 11):
        details = meeting_at(now, 10 + i % 20)
        command = schedule(MeetingKind.APPOINTMENT, details, sam, meeting_id=first.meeting_id)
        seen, done = await _one_change(handle, watch, command, i, retries)
        if i > 10:  # the first ten warm up the worker, the sandbox and the database
            seen_ms.append(seen)
            done_ms.append(done)
    _report("update sent -> notice row in the outbox", seen_ms)
    _report("update sent -> update returned", done_ms)
    print(f"updates sent again while her pathway continued as new: {len(retries)}")  # noqa: T201
    return seen_ms


def _report(label: str, samples: list[float]) -> None:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    print(  # noqa: T201 (the script's output)
        f"{label}: n={len(samples)} p50={cuts[49]:.1f} ms p90={cuts[89]:.1f} ms "
        f"p99={cuts[98]:.1f} ms max={max(samples):.1f} ms",
        flush=True,
    )


def figures(quick: bool, runs: int | None = None) -> list[Figure]:
    samples = asyncio.run(run(runs or (30 if quick else 200)))
    return [
        Figure("meeting change -> notice in outbox: p50", percentile(samples, 50), "ms"),
        Figure("meeting change -> notice in outbox: p95", percentile(samples, 95), "ms"),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="fewer runs (a shared machine)")
    args = parser.parse_args()
    show(figures(args.quick, args.runs), "notice_latency")
