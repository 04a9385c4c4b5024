"""`waymark reconcile` and `waymark compliance`: exit codes and output, never a name."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner, Result

from tests.conftest import TEST_KEY, TEST_KEY_ID
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.oversight_reports import rows
from waymark.cli import app
from waymark.db.session import transaction
from waymark.settings import Settings, get_settings
from waymark.temporal.worker import build_worker
from workflows.delivery import start_dispatcher

Run = Callable[..., Awaitable[Result]]
CANARY = "Quillfeather-Canary"


def _runner(monkeypatch: pytest.MonkeyPatch, settings: Settings, address: str) -> Run:
    """Runs `waymark ...` in a thread (it starts its own event loop) against this test's setup."""
    monkeypatch.setenv("WAYMARK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("WAYMARK_TEMPORAL_ADDRESS", address)
    monkeypatch.setenv("WAYMARK_TEMPORAL_TASK_QUEUE", settings.temporal_task_queue)
    monkeypatch.setenv("WAYMARK_CODEC_KEYS", json.dumps({TEST_KEY_ID: TEST_KEY}))
    monkeypatch.setenv("WAYMARK_CODEC_CURRENT_KEY_ID", TEST_KEY_ID)
    monkeypatch.setenv("WAYMARK_STATE_DIR", str(settings.state_dir))
    get_settings.cache_clear()
    runner = CliRunner(env={"NO_COLOR": "1", "FORCE_COLOR": None, "COLUMNS": "250"})

    async def run(*args: str) -> Result:
        return await asyncio.to_thread(runner.invoke, app, list(args))

    return run


@pytest.fixture
async def waymark(
    dev_server: tuple[WorkflowEnvironment, Path],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Run]:
    env, _ = dev_server
    yield _runner(monkeypatch, settings, env.client.service_client.config.target_host)
    get_settings.cache_clear()


async def test_reconcile_exits_0_when_all_agree_and_1_naming_ids_when_not(
    waymark: Run,
    dev_server: tuple[WorkflowEnvironment, Path],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    demo: None,
) -> None:
    env, _ = dev_server
    queue = settings.temporal_task_queue
    async with build_worker(env.client, sessions, queue, settings):
        await start_dispatcher(env.client, queue)
        inp = pathway_input(await actor_for(sessions, "mia.midwife"))
        await start_pathway(env.client, queue, inp)
        result = await waymark("reconcile", "--grace-seconds", "0")
        assert (result.exit_code, result.output) == (0, "no discrepancies\n")

        async with transaction(sessions) as session:
            orphan = await rows.woman(session, family_name=CANARY)
        result = await waymark("reconcile", "--grace-seconds", "0")
        assert result.exit_code == 1
        line = f"no_running_workflow woman={orphan.id} workflow=pathway-{orphan.id}"
        assert line in result.output
        assert "1 discrepancies" in result.output
        assert CANARY not in result.output

        result = await waymark("reconcile", "--grace-seconds", "0", "--json")
        assert result.exit_code == 1
        assert [item["record_id"] for item in json.loads(result.output)] == [str(orphan.id)]


async def test_reconcile_exits_2_when_temporal_cannot_be_reached(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    waymark = _runner(monkeypatch, settings, "127.0.0.1:1")
    try:
        result = await waymark("reconcile")
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "cannot reach Temporal at 127.0.0.1:1" in result.output


async def test_compliance_prints_tables_or_json_and_refuses_an_unknown_area(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
    demo: None,
) -> None:
    async with transaction(sessions) as session:
        sam = await rows.user_id(session, "sam.social")
        await rows.woman(session, family_name=CANARY, coordinator_user_id=sam)
    waymark = _runner(monkeypatch, settings, "127.0.0.1:1")  # Temporal is not needed
    try:
        table = await waymark("compliance", "--area", "northmoor")
        as_json = await waymark("compliance", "--json")
        unknown = await waymark("compliance", "--area", "atlantis")
    finally:
        get_settings.cache_clear()
    assert table.exit_code == 0, table.output
    assert "Compliance in northmoor" in table.output
    row = next(line for line in table.output.splitlines() if str(sam) in line)
    assert [cell.strip() for cell in row.split("│")[1:-1]] == [
        str(sam),
        "social_worker",
        "1",
        "20",
        "",
    ]
    assert CANARY not in table.output
    report = json.loads(as_json.output)
    assert [area["area"] for area in report["areas"]] == ["glenbrae", "northmoor"]
    assert unknown.exit_code == 2
    assert "not a known area" in unknown.output
