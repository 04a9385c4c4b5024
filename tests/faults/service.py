"""A Waymark of a test's own, for tests that run it as real processes: a state folder, a
database, a Temporal dev server on a file (a process of its own), the settings and environment
its worker processes get, and the web app in the test's own process on the same server and
database."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from api.app import create_app
from tests.conftest import TEST_KEY, TEST_KEY_ID, codec_for_tests
from tests.faults.processes import (
    STARTUP_SECONDS,
    TemporalServer,
    Worker,
    without_waymark_settings,
)
from tests.faults.waiting import eventually
from tests.helpers.referrals import referral_body
from waymark.db.session import make_engine, make_sessionmaker
from waymark.demo import DEMO_PASSWORD
from waymark.settings import Settings, async_url
from waymark.temporal.codec import make_data_converter

TASK_QUEUE = "waymark-faults"
# How long a new (or restarted) dev server may take to answer once it listens.
CONNECT_SECONDS = 60
# She is reached by email, which (unlike a text) is sent at any hour of the day.
BY_EMAIL = {"email": "jane@example.org", "channels": [{"channel": "email", "safe": True}]}


@dataclass
class Service:
    """One fault test's Waymark: its state folder, database, Temporal server and settings."""

    root: Path
    database_url: str
    temporal: TemporalServer
    settings: Settings
    env: dict[str, str]
    engine: AsyncEngine

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return make_sessionmaker(self.engine)

    async def ready(self, client: Client, worker: Worker) -> None:
        """Wait until this worker process polls the task queue (starting takes seconds)."""
        assert worker.process is not None
        identity = f"{worker.process.pid}@"

        async def polled() -> bool:
            described = await client.workflow_service.describe_task_queue(
                DescribeTaskQueueRequest(
                    namespace=client.namespace, task_queue=TaskQueue(name=TASK_QUEUE)
                )
            )
            return any(poller.identity.startswith(identity) for poller in described.pollers)

        await eventually("a worker polls the task queue", polled, STARTUP_SECONDS)

    async def client(self) -> Client:
        """A client of the service's server, once its frontend answers: it listens a moment
        before it is healthy ("Frontend is not healthy yet"), longer on a busy machine."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CONNECT_SECONDS
        while True:
            try:
                return await Client.connect(
                    self.temporal.address, data_converter=make_data_converter(codec_for_tests())
                )
            except RuntimeError:
                if loop.time() > deadline:
                    raise
                await asyncio.sleep(0.5)

    @asynccontextmanager
    async def api(self, username: str, client: Client) -> AsyncIterator[httpx.AsyncClient]:
        """The web app in this process, signed in as a demo user, on the same server."""
        app = create_app(self.settings, sessions=self.sessions, temporal=client)
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as http,
        ):
            token = await http.post(
                "/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD}
            )
            assert token.status_code == 200, token.text
            http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            yield http


async def refer(midwife: httpx.AsyncClient, body: dict[str, Any] | None = None) -> uuid.UUID:
    """A referral through the API, recorded by a worker before the answer (201); her id."""
    created = await midwife.post("/api/v1/referrals", json=body or referral_body())
    assert created.status_code == 201, created.text
    return uuid.UUID(created.json()["woman_id"])


def make_service(root: Path, database_url: str, **settings: str) -> Service:
    state = root / "state"
    state.mkdir(parents=True, exist_ok=True)
    temporal = TemporalServer(root / "temporal.db", root / "temporal.log")
    values = {
        "environment": "test",
        "state_dir": str(state),
        "database_url": database_url,
        "temporal_address": temporal.address,
        "temporal_task_queue": TASK_QUEUE,
        "codec_keys": json.dumps({TEST_KEY_ID: TEST_KEY}),
        "codec_current_key_id": TEST_KEY_ID,
        "command_timeout_seconds": "4",
        **settings,
    }
    env = without_waymark_settings(os.environ) | {
        f"WAYMARK_{name.upper()}": value for name, value in values.items()
    }
    parsed: dict[str, Any] = {
        k: json.loads(v) if v.startswith("{") else v for k, v in values.items()
    }
    model = Settings(**parsed)
    return Service(root, database_url, temporal, model, env, make_engine(async_url(database_url)))


@asynccontextmanager
async def running(service: Service) -> AsyncIterator[Service]:
    """The service's Temporal server started; stopped (and the engine closed) at the end."""
    service.temporal.start()
    try:
        yield service
    finally:
        if service.temporal.process is not None and service.temporal.process.poll() is None:
            service.temporal.kill()
        await service.engine.dispose()


def sqlite_copy(seeded: Path, root: Path) -> str:
    database = root / "waymark.db"
    shutil.copyfile(seeded, database)
    return f"sqlite:///{database}"
