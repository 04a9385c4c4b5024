"""Advocacy fixtures: demo people, a time-skipping server of our own, the app and sign-in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from tests.api.conftest import app_client, demo, sign_in, worker
from tests.conftest import codec_for_tests
from waymark.settings import Settings
from waymark.temporal.binaries import find_binary
from waymark.temporal.codec import make_data_converter
from waymark.temporal.worker import build_worker

__all__ = ["app_client", "demo", "sign_in", "worker"]


@pytest.fixture
async def clock_env() -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping server for one test: its clock only ever moves forward."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=find_binary("temporal-test-server"),
        data_converter=make_data_converter(codec_for_tests()),
    )
    yield env
    await env.shutdown()


@pytest.fixture
async def clock_worker(
    clock_env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    demo: None,
) -> AsyncIterator[Worker]:
    worker = build_worker(clock_env.client, sessions, settings.temporal_task_queue)
    async with worker:
        yield worker
