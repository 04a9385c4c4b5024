"""API fixtures: demo people, a worker on the test server, the app, signed-in clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from tests.conftest import demo, worker
from tests.helpers.apps import app_for
from waymark.demo import DEMO_PASSWORD
from waymark.settings import Settings

__all__ = ["demo", "worker"]

Client = httpx.AsyncClient
SignIn = Callable[[str], Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def app_client(
    demo: None,
    worker: Worker,
    temporal_env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> AsyncIterator[httpx.AsyncClient]:
    app = app_for(settings, sessions=sessions, temporal=temporal_env.client)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield client


@pytest.fixture
def sign_in(app_client: httpx.AsyncClient) -> SignIn:
    """Returns a client signed in as the named demo user (same app, own token)."""

    async def _sign_in(username: str) -> httpx.AsyncClient:
        response = await app_client.post(
            "/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, response.text
        token = response.json()["access_token"]
        return httpx.AsyncClient(
            transport=app_client._transport,
            base_url="http://testserver",
            headers={"Authorization": f"Bearer {token}"},
        )

    return _sign_in
