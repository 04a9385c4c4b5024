"""GET /health: names each part that is down, and says nothing else about why."""

from __future__ import annotations

import fcntl
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from tests.conftest import TEST_KEY, TEST_KEY_ID
from tests.helpers import databases
from tests.helpers.api import (
    UNREACHABLE_POSTGRES_URL,
    Sessions,
    audit_rows,
    serve,
    unreachable_sqlite_url,
)
from tests.helpers.ports import free_port
from waymark.db import session as session_module
from waymark.db.session import make_engine, make_sessionmaker
from waymark.db.write_turn import lock_file_of
from waymark.demo import DEMO_PASSWORD
from waymark.settings import Settings, async_url


async def get_health(settings: Settings, sessions: Sessions, temporal: Client) -> httpx.Response:
    async with serve(create_app(settings, sessions=sessions, temporal=temporal)) as client:
        return await client.get("/health")


def assert_nothing_but_the_verdicts(response: httpx.Response) -> None:
    # The body is exactly the verdicts (checked by the caller): no exception text or trace.
    assert response.headers["content-type"] == "application/json"
    assert "Traceback" not in response.text
    assert len(response.json()) == 2


@pytest.fixture(params=["postgresql", "sqlite"], ids=["no-postgresql", "no-sqlite"])
async def unreachable_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[Sessions]:
    url = (
        UNREACHABLE_POSTGRES_URL
        if request.param == "postgresql"
        else unreachable_sqlite_url(tmp_path)
    )
    engine = make_engine(url)
    yield make_sessionmaker(engine)
    await engine.dispose()


async def test_health_is_ok_when_every_part_is_up(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "temporal": "ok"}


async def test_health_is_503_when_temporal_is_down(settings: Settings, sessions: Sessions) -> None:
    temporal = await Client.connect(f"127.0.0.1:{free_port()}", lazy=True)
    response = await get_health(settings, sessions, temporal)
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "temporal": "down"}
    assert_nothing_but_the_verdicts(response)


async def test_health_is_503_when_the_database_is_unreachable(
    settings: Settings, unreachable_database: Sessions, temporal_env: WorkflowEnvironment
) -> None:
    response = await get_health(settings, unreachable_database, temporal_env.client)
    assert response.status_code == 503
    assert response.json() == {"database": "down", "temporal": "ok"}
    assert_nothing_but_the_verdicts(response)


async def test_the_api_answers_503_while_the_database_is_unreachable(
    settings: Settings, unreachable_database: Sessions, temporal_env: WorkflowEnvironment
) -> None:
    app = create_app(settings, sessions=unreachable_database, temporal=temporal_env.client)
    async with serve(app, raise_app_exceptions=False) as client:
        signing_in = await client.post(
            "/api/v1/auth/token", data={"username": "sam.social", "password": "x"}
        )
        listing = await client.get("/api/v1/women", headers={"Authorization": "Bearer x"})
    for response in (signing_in, listing):
        assert "Traceback" not in response.text
        assert response.status_code == 503, response.text


async def test_a_write_that_never_gets_its_turn_is_503_and_writes_nothing(
    sqlite_seeded: Path,
    tmp_path: Path,
    temporal_env: WorkflowEnvironment,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SQLite: another process holds the write turn past the busy timeout (shortened here). The
    request is refused as SQLite's own lock would refuse it: 503, try again, nothing written."""
    monkeypatch.setattr(session_module, "SQLITE_BUSY_TIMEOUT_MS", 300)
    url = databases.copy_sqlite(sqlite_seeded, tmp_path)
    settings = Settings(
        environment="test",
        state_dir=tmp_path / "state",
        database_url=url,
        codec_keys={TEST_KEY_ID: TEST_KEY},
        codec_current_key_id=TEST_KEY_ID,
    )
    engine = make_engine(async_url(url))
    sessions = make_sessionmaker(engine)
    app = create_app(settings, sessions=sessions, temporal=temporal_env.client)
    async with serve(app, raise_app_exceptions=False) as client:
        token = await client.post(
            "/api/v1/auth/token", data={"username": "sam.social", "password": DEMO_PASSWORD}
        )
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        audited = await audit_rows(sessions)
        lock_file = lock_file_of(make_url(url).database)
        assert lock_file is not None
        other = os.open(lock_file, os.O_RDWR | os.O_CREAT)  # as another process holds it
        try:
            fcntl.flock(other, fcntl.LOCK_EX)
            refused = await client.post("/api/v1/search", json={"name": "Nobody"}, headers=auth)
        finally:
            os.close(other)
    assert refused.status_code == 503, refused.text
    assert "try again" in refused.json()["detail"]
    assert [row.seq for row in await audit_rows(sessions)] == [row.seq for row in audited]
    await engine.dispose()
