"""Fuzzing every operation of the OpenAPI document with schemathesis: generated valid and invalid
requests (bounded: a fixed number of examples per operation) against the real web app over
loopback. No request may get a 5xx, and a refused request (4xx) changes nothing in the database
but the audit of who tried what.

The web app runs as its own process (`waymark web`) on a Temporal dev server with no worker, so
nothing else writes to the database while a request is checked: an accepted command that needs a
worker is answered 202 (it will complete when one runs), which the check allows.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from sqlalchemy import Engine, create_engine

from tests.delivery.conftest import add_woman
from tests.faults.processes import Worker
from tests.faults.service import make_service
from tests.helpers.ports import free_port
from tests.helpers.processes import WAYMARK, wait_healthy
from tests.helpers.snapshot import changed, snapshot_of
from waymark.db.migrate import upgrade
from waymark.db.session import make_engine, make_sessionmaker
from waymark.demo import DEMO_PASSWORD, seed_demo_data
from waymark.settings import async_url, sync_url

pytestmark = pytest.mark.fuzz

EXAMPLES = 4  # per operation and mode (valid, invalid)


@dataclass
class Fuzzed:
    url: str
    database: Engine  # one engine for every snapshot taken
    headers: dict[str, str]
    woman_id: str


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    root = tmp_path_factory.mktemp("fuzz")
    database = f"sqlite:///{root / 'waymark.db'}"
    upgrade(database)
    woman_id = asyncio.run(_seed(database))
    port = free_port()
    service = make_service(
        root,
        database,
        web_port=str(port),
        public_url=f"http://127.0.0.1:{port}",
        command_timeout_seconds="1",
    )
    service.temporal.start()
    web = Worker(service.env, root / "web.log", [WAYMARK, "web"]).start()
    url = f"http://127.0.0.1:{port}"
    try:
        assert web.process is not None
        wait_healthy(url, web.process, "waymark web", lambda: web.log.read_text(errors="replace"))
        token = httpx.post(
            f"{url}/api/v1/auth/token",
            data={"username": "sam.social", "password": DEMO_PASSWORD},
            timeout=30,
        )
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        engine = create_engine(sync_url(database))
        yield Fuzzed(url, engine, headers, str(woman_id))
        engine.dispose()
    finally:
        web.stop()
        service.temporal.kill()
        shutil.rmtree(root, ignore_errors=True)


async def _seed(database: str) -> uuid.UUID:
    """The demo people, and a woman on record (in Sam's team) for paths to name."""
    await seed_demo_data(async_url(database))
    engine = make_engine(async_url(database))
    try:
        return await add_woman(make_sessionmaker(engine))
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def api_schema(fuzzed: Fuzzed) -> Any:
    return schemathesis.openapi.from_url(f"{fuzzed.url}/openapi.json")


def test_no_server_errors_and_refusals_change_nothing(api_schema: Any, fuzzed: Fuzzed) -> None:
    """Each operation, valid and invalid requests (run here rather than through schemathesis's
    pytest plugin, which does not load under this pytest)."""
    failures: list[str] = []
    state = State(snapshot_of(fuzzed.database))
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += _fuzz(operation, mode, fuzzed, state)
    assert failures == []


@dataclass
class State:
    """The database as the last request left it (nothing else writes to it meanwhile)."""

    tables: dict[str, str]


def _fuzz(operation: Any, mode: GenerationMode, fuzzed: Fuzzed, state: State) -> list[str]:
    found: list[str] = []
    strategy = operation.as_strategy(generation_mode=mode)
    named = "woman_id" in operation.path

    @given(case=strategy, her=st.booleans())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any, her: bool) -> None:
        if named and her:  # half the time her real id: the request gets past the lookup
            case.path_parameters = {**(case.path_parameters or {}), "woman_id": fuzzed.woman_id}
        response = case.call(base_url=fuzzed.url, headers=fuzzed.headers, timeout=30)
        where = f"{operation.label} ({mode.value}) -> {response.status_code}"
        after = snapshot_of(fuzzed.database)
        if response.status_code >= 500:
            found.append(f"{where}: {response.text[:200]}")
        elif response.status_code >= 400 and changed(state.tables, after):
            found.append(f"{where} changed {changed(state.tables, after)}")
        state.tables = after

    try:
        run()
    except Unsatisfiable:
        # Nothing to make invalid (no parameters and no body): the valid run covered it.
        assert mode is GenerationMode.NEGATIVE, operation.label
    return found


def test_the_fuzzed_document_covers_every_api_operation(api_schema: Any) -> None:
    """Nothing is left out: every JSON operation of the API is in the document fuzzed above."""
    paths = {result.ok().path for result in api_schema.get_all_operations()}
    assert "/api/v1/referrals" in paths
    assert len([p for p in paths if p.startswith("/api/v1/")]) >= 40
