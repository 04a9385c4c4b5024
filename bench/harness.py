"""What every benchmark here needs: the real Temporal dev server (a local binary), a worker (in
this process, or as `waymark worker` in its own, as `make run` has it), a temporary SQLite
database built by the migrations, demo people, and percentiles."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import TEST_KEY, TEST_KEY_ID, codec_for_tests  # noqa: E402
from waymark.db.migrate import upgrade  # noqa: E402
from waymark.db.session import make_engine, make_sessionmaker  # noqa: E402
from waymark.demo import seed_demo_data  # noqa: E402
from waymark.settings import Settings, async_url  # noqa: E402
from waymark.temporal.binaries import find_binary  # noqa: E402
from waymark.temporal.codec import make_data_converter  # noqa: E402
from waymark.temporal.worker import build_worker  # noqa: E402
from workflows import search  # noqa: E402

Sessions = async_sessionmaker[AsyncSession]


@dataclass
class Bench:
    env: WorkflowEnvironment
    sessions: Sessions
    # A plain engine for polling: the app's engine takes the write lock at BEGIN.
    watch: Sessions
    settings: Settings


@asynccontextmanager
async def bench_environment(
    *, worker_process: bool = False, **settings_changes: Any
) -> AsyncIterator[Bench]:
    """The environment; `settings_changes` override the worker's settings (a sender, say).
    With `worker_process`, the worker is `waymark worker` in a process of its own, so that what
    the benchmark does in this one (an import, say) does not share a core with it."""
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
            **settings_changes,
        )
        engine = make_engine(async_url(url))
        watcher = create_async_engine(async_url(url))
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=find_binary("temporal"),
            data_converter=make_data_converter(codec_for_tests()),
            search_attributes=search.ALL,
        )
        sessions = make_sessionmaker(engine)
        worker: AbstractAsyncContextManager[Any] = (
            worker_apart(env.client, settings, Path(tmp) / "worker.log")
            if worker_process
            else build_worker(env.client, sessions, settings.temporal_task_queue, settings)
        )
        try:
            async with worker:
                yield Bench(env, sessions, make_sessionmaker(watcher), settings)
        finally:
            await env.shutdown()
            await engine.dispose()
            await watcher.dispose()


@asynccontextmanager
async def worker_apart(client: Client, settings: Settings, log: Path) -> AsyncIterator[None]:
    """`waymark worker` on the same server, database and task queue, polling before this
    yields; stopped with Ctrl-C at the end (its output in `log`)."""
    values = {
        **settings.model_dump(mode="json", include={"environment", "database_url"}),
        "state_dir": str(settings.state_dir),
        "temporal_address": client.service_client.config.target_host,
        "temporal_task_queue": settings.temporal_task_queue,
        "codec_keys": json.dumps(settings.codec_keys),
        "codec_current_key_id": settings.codec_current_key_id,
    }
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WAYMARK_")}
    environ |= {f"WAYMARK_{name.upper()}": str(value) for name, value in values.items()}
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "waymark"), "worker"],
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        while not await _polled(client, settings.temporal_task_queue):
            assert process.poll() is None, log.read_text()
            await asyncio.sleep(0.2)
        yield
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


async def _polled(client: Client, task_queue: str) -> bool:
    described = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(namespace=client.namespace, task_queue=TaskQueue(name=task_queue))
    )
    return bool(described.pollers)


def report(label: str, samples: list[float]) -> None:
    """Print p50/p90/p99 and the maximum of samples in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    print(  # noqa: T201 (the script's output)
        f"{label}: n={len(samples)} p50={cuts[49]:.1f} ms p90={cuts[89]:.1f} ms "
        f"p99={cuts[98]:.1f} ms max={max(samples):.1f} ms",
        flush=True,
    )
