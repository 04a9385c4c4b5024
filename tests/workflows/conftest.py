"""Workflow tests run the real workflows and activities on the time-skipping server.

Tests that move virtual time get a server of their own (`clock_env`), because a shared server's
clock only ever moves forward."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from tests.api.conftest import demo, worker
from tests.conftest import codec_for_tests
from waymark.settings import Settings
from waymark.temporal.binaries import find_binary
from waymark.temporal.codec import make_data_converter
from waymark.temporal.worker import build_worker
from workflows import search

__all__ = ["demo", "worker"]


@pytest.fixture
async def clock_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=find_binary("temporal-test-server"),
        data_converter=make_data_converter(codec_for_tests()),
    )
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=env.client.namespace,
            search_attributes={
                key.name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD for key in search.ALL
            },
        )
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
