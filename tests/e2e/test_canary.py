"""Personal data sent through the API never reaches Temporal's storage in the clear."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from tests.support.referrals import referral_body
from waymark.demo import DEMO_PASSWORD, seed_demo_data
from waymark.settings import Settings, async_url
from waymark.temporal.worker import build_worker

CANARY_NAME = "Zebedee-Canary-Quintrell"
CANARY_NHS = "4010232137"


async def test_a_canary_name_never_appears_in_the_temporal_database(
    dev_server: tuple[WorkflowEnvironment, Path],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    database_url: str,
) -> None:
    env, db_file = dev_server
    await seed_demo_data(async_url(database_url))
    body = referral_body()
    body["woman"] = {**body["woman"], "family_name": CANARY_NAME, "nhs_number": CANARY_NHS}
    app = create_app(settings, sessions=sessions, temporal=env.client)
    worker = build_worker(env.client, sessions, settings.temporal_task_queue)
    async with (
        worker,
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client,
    ):
        token = await client.post(
            "/api/v1/auth/token", data={"username": "mia.midwife", "password": DEMO_PASSWORD}
        )
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        created = await client.post("/api/v1/referrals", json=body, headers=headers)
        assert created.status_code == 201, created.text
        woman = await client.get(f"/api/v1/women/{created.json()['woman_id']}", headers=headers)
        assert woman.json()["family_name"] == CANARY_NAME  # it went all the way through
    woman_id = created.json()["woman_id"]
    await env.shutdown()  # flush the server's SQLite file (and its write-ahead log) to disk

    stored = b"".join(p.read_bytes() for p in db_file.parent.glob(db_file.name + "*"))
    assert f"pathway-{woman_id}".encode() in stored  # the right file: her workflow is in it
    for secret in (CANARY_NAME, CANARY_NHS, "1 High Street", "07700 900123"):
        assert secret.encode() not in stored, f"{secret!r} is stored in the clear"
        assert secret.encode("utf-16-le") not in stored
