"""Shared fixtures: a migrated database per test (SQLite, and PostgreSQL when configured), the
demo people in it when asked for, a Temporal test server per session (or per test, for tests
that move its clock; and a real dev server per test that needs one: each booted while the test
before runs), and a worker bound to both."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from tests.helpers import databases
from tests.helpers.order import longest_first
from tests.helpers.ports import free_port
from tests.helpers.sandbox import RUNNER
from tests.helpers.spares import Spares
from waymark.db.migrate import upgrade
from waymark.db.session import make_engine, make_sessionmaker
from waymark.demo import seed_demo_data
from waymark.settings import Settings, async_url, sync_url
from waymark.temporal.binaries import find_binary
from waymark.temporal.codec import EncryptionCodec, make_data_converter
from waymark.temporal.worker import build_worker
from workflows import search

# A fixed key for tests, so the saved golden histories can be decrypted for replay.
TEST_KEY_ID = "test-key-1"
TEST_KEY = base64.b64encode(b"waymark-test-key-32-bytes-long!!").decode()
POSTGRES_URL = os.environ.get("WAYMARK_TEST_POSTGRES_URL")


def codec_for_tests() -> EncryptionCodec:
    return EncryptionCodec({TEST_KEY_ID: base64.b64decode(TEST_KEY)}, TEST_KEY_ID)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest files first, so that neither worker is left with one at the end."""
    longest_first(items)


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (the migrations are what build it)."""
    path = tmp_path_factory.mktemp("template") / "waymark.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def sqlite_seeded(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated file with the demo people in it, copied for each test that asks for them."""
    return databases.seeded_sqlite_copy(sqlite_template, tmp_path_factory.mktemp("seeded"))


@pytest.fixture(scope="session")
def postgres_migrated() -> Iterator[databases.PostgresSchema]:
    """A schema of our own in the PostgreSQL test database, so concurrent runs cannot collide,
    and beside it a snapshot of the demo people's rows."""
    assert POSTGRES_URL is not None
    schema = f"waymark_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(sync_url(POSTGRES_URL))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = databases.schema_url(POSTGRES_URL, schema)
    upgrade(url)
    filled = databases.snapshot_seed(url, schema, f"{schema}_seed")
    yield databases.describe(url, f"{schema}_seed", filled)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        conn.execute(text(f"DROP SCHEMA {schema}_seed CASCADE"))
    admin.dispose()


@pytest.fixture(params=backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A clean, migrated database for this test; with the demo people already in it when the
    test asks for `demo` (seeded once, copied here)."""
    seeded = "demo" in request.fixturenames
    if request.param == "sqlite":
        template = "sqlite_seeded" if seeded else "sqlite_template"
        yield databases.copy_sqlite(request.getfixturevalue(template), tmp_path)
        return
    schema: databases.PostgresSchema = request.getfixturevalue("postgres_migrated")
    engine = create_engine(sync_url(schema.url))
    databases.reset_postgres(engine, schema, seeded=seeded)
    engine.dispose()
    yield schema.url


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(async_url(database_url))
    yield make_sessionmaker(engine)
    await engine.dispose()


async def start_test_server() -> WorkflowEnvironment:
    """A time-skipping test server (a local binary, never downloaded), our search attributes
    registered."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=find_binary("temporal-test-server"),
        port=free_port(),
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
    return env


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    """One time-skipping server for the session, for tests that do not move its clock."""
    env = await start_test_server()
    yield env
    await env.shutdown()


async def stop_server(env: WorkflowEnvironment) -> None:
    await env.shutdown()


@pytest.fixture(scope="session")
async def clock_servers() -> AsyncIterator[Spares[WorkflowEnvironment]]:
    """Time-skipping servers for `clock_env`, each started while the test before runs."""
    spares = Spares(start_test_server, stop_server)
    yield spares
    await spares.close()


DevServer = tuple[WorkflowEnvironment, Path]


async def stop_dev_server(server: DevServer) -> None:
    await server[0].shutdown()


@pytest.fixture(scope="session")
async def dev_servers(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Spares[DevServer]]:
    """Real dev servers (for `dev_server`), each started while the test before runs, each
    persisting to a SQLite file of its own."""

    async def start() -> DevServer:
        db_file = tmp_path_factory.mktemp("dev-server") / "temporal.db"
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=find_binary("temporal"),
            dev_server_database_filename=str(db_file),
            port=free_port(),
            data_converter=make_data_converter(codec_for_tests()),
            search_attributes=search.ALL,
        )
        return env, db_file

    spares = Spares(start, stop_dev_server)
    yield spares
    await spares.close()


@pytest.fixture
async def clock_env(
    clock_servers: Spares[WorkflowEnvironment],
) -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping server for one test, which may move its clock: a shared server's clock
    only ever moves forward (the next test's server boots while this one runs)."""
    env = await clock_servers.take()
    yield env
    await env.shutdown()


@pytest.fixture
async def demo(database_url: str) -> None:
    """The demo people: `database_url` is already a copy of the seeded template when a test asks
    for this, so seeding finds them there and adds nothing."""
    await seed_demo_data(async_url(database_url))


@pytest.fixture
async def worker(
    temporal_env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> AsyncIterator[Worker]:
    async with build_worker(
        temporal_env.client, sessions, settings.temporal_task_queue, workflow_runner=RUNNER
    ) as running:
        yield running


@pytest.fixture
async def clock_worker(
    clock_env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    demo: None,
) -> AsyncIterator[Worker]:
    """A worker on the test's own server, with the demo people in its database."""
    async with build_worker(
        clock_env.client, sessions, settings.temporal_task_queue, workflow_runner=RUNNER
    ) as running:
        yield running


@pytest.fixture
def task_queue() -> str:
    return f"waymark-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def settings(database_url: str, task_queue: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        state_dir=tmp_path / "state",
        database_url=database_url,
        temporal_task_queue=task_queue,
        codec_keys={TEST_KEY_ID: TEST_KEY},
        codec_current_key_id=TEST_KEY_ID,
        command_timeout_seconds=10.0,
    )
