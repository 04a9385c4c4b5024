"""The simulation's world, all in this process and all temporary: a time-skipping Temporal
server, a SQLite database built by the migrations with the demo people, and one worker."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import WorkflowExecutionStatus
from temporalio.runtime import (
    LogForwardingConfig,
    LoggingConfig,
    Runtime,
    TelemetryConfig,
    TelemetryFilter,
)
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import UnsandboxedWorkflowRunner

from activities.delivery import DeliveryActivities
from forms.delivery import DispatchRequest
from forms.ledger import SweepInput
from waymark.db.migrate import upgrade
from waymark.db.models import Organisation, User
from waymark.db.session import make_engine, make_sessionmaker, transaction
from waymark.demo import seed_demo_data
from waymark.settings import Settings, async_url
from waymark.simulate.context import People, load_people
from waymark.temporal.binaries import find_binary
from waymark.temporal.codec import EncryptionCodec, make_data_converter
from waymark.temporal.worker import build_worker
from workflows import search
from workflows.oversight import OversightSweep

TASK_QUEUE = "waymark-simulation"
# Unsandboxed: the sandbox re-imports every workflow module for each new workflow and proxies
# each call. The workflows are proved deterministic in the sandbox by the test suite and the
# saved histories' replay. `debug_mode` runs each activation on the loop's own thread instead
# of a thread pool's (no thread switch per activation, and no deadlock timer, which a loaded
# machine can trip). A cache big enough for every open workflow of a large population means
# none is evicted and replayed from its history.
WORKER_TUNING: dict[str, object] = {
    "workflow_runner": UnsandboxedWorkflowRunner(),
    "max_cached_workflows": 20_000,
    "debug_mode": True,
}


@dataclass
class Sim:
    """The running simulation: its server, database, settings and the people in it."""

    env: WorkflowEnvironment
    sessions: async_sessionmaker[AsyncSession]
    settings: Settings
    people: People
    now: datetime = field(default_factory=lambda: datetime.min)

    async def advance_to(self, moment: datetime) -> datetime:
        """Move virtual time forward to `moment` (never back); timers due by then fire."""
        current = await self.env.get_current_time()
        if moment > current:
            await self.env.sleep(moment - current)
        self.now = await self.env.get_current_time()
        return self.now

    async def sweep(self) -> None:
        """The daily oversight sweep (production's Schedule starts it each morning), run as its
        workflow; virtual time moves a second at a time while it runs. Its result is not asked
        for: on the time-skipping server waiting for a result lets time leap to the next timer."""
        now = await self.env.get_current_time()
        handle = await self.env.client.start_workflow(
            OversightSweep.run,
            SweepInput(),
            id=f"oversight-sweep-sim-{now:%Y%m%d%H%M}",
            task_queue=self.settings.temporal_task_queue,
        )
        while (status := (await handle.describe()).status) is WorkflowExecutionStatus.RUNNING:
            await self.advance_to(self.now + timedelta(seconds=1))
        if status is not WorkflowExecutionStatus.COMPLETED:
            raise RuntimeError(f"the oversight sweep ended {status}")

    async def deliver(self) -> None:
        """The outbox's real delivery step, on virtual time: channels chosen, files written."""
        delivery = DeliveryActivities(self.sessions, self.settings, clock=lambda: self.now)
        for _ in range(20):
            done = await delivery.deliver_due_notices(DispatchRequest(batch_size=200))
            if not (done.deliveries_created or done.sent or done.failed):
                return


@asynccontextmanager
async def environment(task_queue: str = TASK_QUEUE) -> AsyncIterator[Sim]:
    """A fresh server, database and worker; everything is thrown away afterwards."""
    with tempfile.TemporaryDirectory(prefix="waymark-sim-") as folder:
        path = Path(folder) / "simulation.db"
        url = f"sqlite:///{path}"
        await asyncio.to_thread(upgrade, url)
        await seed_demo_data(async_url(url))
        engine = make_engine(async_url(url), inline=True)
        sessions = make_sessionmaker(engine)
        await _give_addresses(sessions)
        settings = Settings(
            environment="test",
            state_dir=Path(folder) / "state",
            database_url=url,
            temporal_task_queue=task_queue,
            delivery="file",
        )
        codec = EncryptionCodec({"simulation": os.urandom(32)}, "simulation")
        env = await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=find_binary("temporal-test-server"),
            data_converter=make_data_converter(codec),
            runtime=quiet_runtime(),
        )
        try:
            await _register_search_attributes(env)
            async with build_worker(env.client, sessions, task_queue, settings, **WORKER_TUNING):
                yield Sim(env, sessions, settings, await load_people(sessions))
        finally:
            await env.shutdown()
            await engine.dispose()


@functools.cache
def quiet_runtime() -> Runtime:
    """Temporal's core logs to Python logging (stderr), not stdout: `--json` stays parseable."""
    forward = LogForwardingConfig(logger=logging.getLogger("temporalio.core"))
    logs = LoggingConfig(
        filter=TelemetryFilter(core_level="ERROR", other_level="ERROR"), forwarding=forward
    )
    return Runtime(telemetry=TelemetryConfig(logging=logs))


async def _register_search_attributes(env: WorkflowEnvironment) -> None:
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=env.client.namespace,
            search_attributes={
                key.name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD for key in search.ALL
            },
        )
    )


async def _give_addresses(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Demo accounts and agencies get example.org addresses, so notices can choose email."""
    async with transaction(sessions) as session:
        await session.execute(
            update(User).where(User.email.is_(None)).values(email=User.username + "@example.org")
        )
        await session.execute(
            update(Organisation)
            .where(Organisation.email.is_(None))
            .values(email=Organisation.code + "@example.org")
        )
