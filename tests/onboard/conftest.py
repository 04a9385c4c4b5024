"""The onboarding tests' import, on each test's own time-skipping server and worker."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from services.onboard.run import Onboarding


@pytest.fixture
def context(
    clock_env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    clock_worker: Worker,
) -> Onboarding:
    return Onboarding(sessions, clock_env.client, clock_worker.task_queue, concurrency=4)
