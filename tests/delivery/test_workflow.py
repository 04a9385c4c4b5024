"""The dispatcher workflow, with the worker as the service builds it: one dispatcher however
often it is started, a round at once on `dispatch_now`, and continue-as-new to keep its
history short."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from temporalio.client import WorkflowHandle
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment
from temporalio.worker import Worker

from activities.wake import wake_dispatcher
from forms.delivery import DispatcherInput
from tests.delivery.conftest import Sessions, add_notice, add_woman, her_contact
from tests.helpers.planning import count, eventually
from waymark.db.models import Delivery
from waymark.settings import Settings
from waymark.temporal.worker import build_worker
from workflows.delivery import DISPATCHER_ID, DeliveryDispatcher, start_dispatcher

pytestmark = pytest.mark.usefixtures("demo")
EMAIL = {"channel": "email", "safe": True, "unsafe_reason": None}


@pytest.fixture
async def delivery_worker(
    temporal_env: WorkflowEnvironment, sessions: Sessions, settings: Settings
) -> AsyncIterator[Worker]:
    worker = build_worker(temporal_env.client, sessions, settings.temporal_task_queue, settings)
    async with worker:
        yield worker


async def _delivered(sessions: Sessions, expected: int) -> None:
    async def check() -> bool:
        return await count(sessions, Delivery, status="delivered") == expected

    await eventually(check)


async def _stop(handle: WorkflowHandle[DeliveryDispatcher, None]) -> None:
    await handle.terminate(reason="test finished")


@pytest.mark.usefixtures("delivery_worker")
async def test_one_dispatcher_delivers_at_once_and_again_when_woken(
    temporal_env: WorkflowEnvironment, sessions: Sessions, settings: Settings
) -> None:
    # By email, which her quiet hours do not hold back: the test runs on the real clock.
    woman = await add_woman(sessions, contact=her_contact(channels=[EMAIL]))
    await add_notice(sessions, woman, send_at=datetime.now(UTC) - timedelta(minutes=1))
    handle = await start_dispatcher(temporal_env.client, settings.temporal_task_queue)
    try:
        again = await start_dispatcher(temporal_env.client, settings.temporal_task_queue)
        assert handle.id == again.id == DISPATCHER_ID
        assert again.result_run_id == handle.result_run_id
        await _delivered(sessions, 1)
        await add_notice(sessions, woman, send_at=datetime.now(UTC) - timedelta(seconds=1))
        await handle.signal(DeliveryDispatcher.dispatch_now)
        await _delivered(sessions, 2)  # well before the 30 s interval
    finally:
        await _stop(handle)


@pytest.mark.usefixtures("delivery_worker")
async def test_the_dispatcher_continues_as_new(
    temporal_env: WorkflowEnvironment, settings: Settings
) -> None:
    handle = await temporal_env.client.start_workflow(
        DeliveryDispatcher.run,
        DispatcherInput(continue_after=2),
        id="delivery-dispatcher-test-can",
        task_queue=settings.temporal_task_queue,
    )
    try:
        first_run = handle.result_run_id
        for _ in range(2):
            await handle.signal(DeliveryDispatcher.dispatch_now)

        async def moved_on() -> bool:
            return (await handle.describe()).run_id != first_run

        await eventually(moved_on)
    finally:
        await _stop(temporal_env.client.get_workflow_handle(handle.id))


@pytest.mark.usefixtures("delivery_worker")
async def test_an_activity_that_wrote_an_urgent_notice_wakes_the_dispatcher(
    temporal_env: WorkflowEnvironment, sessions: Sessions, settings: Settings
) -> None:
    woman = await add_woman(sessions, contact=her_contact(channels=[EMAIL]))
    await add_notice(sessions, woman, send_at=datetime.now(UTC) - timedelta(minutes=1))
    handle = await start_dispatcher(temporal_env.client, settings.temporal_task_queue)
    try:
        await _delivered(sessions, 1)  # its first round is done; the next is 30 s away
        await add_notice(sessions, woman, send_at=datetime.now(UTC) - timedelta(seconds=1))
        await ActivityEnvironment(client=temporal_env.client).run(wake_dispatcher)
        await _delivered(sessions, 2)  # well before the 30 s interval
    finally:
        await _stop(handle)


async def test_with_no_dispatcher_running_waking_it_changes_nothing(
    temporal_env: WorkflowEnvironment,
) -> None:
    await ActivityEnvironment(client=temporal_env.client).run(wake_dispatcher)
    await ActivityEnvironment().run(wake_dispatcher)  # no client at all
