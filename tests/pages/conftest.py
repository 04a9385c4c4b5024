"""Page fixtures: the app on a time-skipping server of each test's own (so "today" is today
by the workflows' clock too, as in tests/api/planning), and browsers that sign in through the
sign-in page and keep their own cookies."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from tests.api.conftest import demo, sign_in
from tests.helpers.api import serve
from tests.helpers.apps import app_for
from tests.pages.browser import Browser
from tests.workflows.conftest import clock_env, clock_worker
from waymark.demo import DEMO_PASSWORD
from waymark.settings import Settings

__all__ = ["clock_env", "clock_worker", "demo", "sign_in"]

Browse = Callable[[str], Awaitable[Browser]]


@pytest.fixture
async def app_client(
    clock_worker: Worker,
    clock_env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its pages; `sign_in` gives API clients of the same app."""
    app = app_for(settings, sessions=sessions, temporal=clock_env.client)
    async with serve(app) as client:
        yield client


@pytest.fixture
async def now(clock_env: WorkflowEnvironment) -> datetime:
    """The workflows' time at the start of the test."""
    return await clock_env.get_current_time()


@pytest.fixture
async def browse(app_client: httpx.AsyncClient) -> AsyncIterator[Browse]:
    """Returns a browser signed in as the named demo user, through the pages."""
    opened: list[Browser] = []

    async def _browse(username: str) -> Browser:
        browser = Browser(app_client)
        opened.append(browser)
        await browser.sign_in(username, DEMO_PASSWORD)
        return browser

    yield _browse
    for browser in opened:
        await browser.client.aclose()


@pytest.fixture
async def anonymous(app_client: httpx.AsyncClient) -> AsyncIterator[Browser]:
    """A browser that has not signed in."""
    browser = Browser(app_client)
    yield browser
    await browser.client.aclose()
