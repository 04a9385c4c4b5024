"""Planning API tests: the app runs on a time-skipping server of each test's own, so "today"
is today by the workflows' clock too, and a test may move time past a conference date."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from tests.helpers.api import serve
from tests.helpers.apps import app_for
from tests.workflows.conftest import clock_env, clock_worker
from waymark.settings import Settings

__all__ = ["clock_env", "clock_worker"]


@pytest.fixture
async def app_client(
    clock_worker: Worker,
    clock_env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> AsyncIterator[httpx.AsyncClient]:
    """Overrides tests/api's app_client (on the shared server, whose clock may be far ahead):
    `sign_in` then gives clients of this app."""
    app = app_for(settings, sessions=sessions, temporal=clock_env.client)
    async with serve(app) as client:
        yield client


@pytest.fixture
async def now(clock_env: WorkflowEnvironment) -> datetime:
    """The workflows' time at the start of the test."""
    return await clock_env.get_current_time()
