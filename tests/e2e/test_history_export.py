"""`waymark history export` writes a woman's workflow histories with payloads as Temporal stores
them (encrypted); the files replay against the current code, with `waymark history replay` and
with the Replayer the replay tests use."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer
from typer.testing import CliRunner, Result

from forms.pathway import ScreeningCommand, ScreeningDecision
from tests.conftest import TEST_KEY, TEST_KEY_ID, codec_for_tests
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from waymark.cli import app
from waymark.settings import Settings, get_settings
from waymark.temporal.codec import make_data_converter
from waymark.temporal.histories import load_histories
from waymark.temporal.worker import WORKFLOWS, build_worker
from workflows.pathway import WomanPathway

CANARY = "Histoire-Canary-Quintrell"


async def test_her_histories_export_encrypted_and_replay(
    dev_server: tuple[WorkflowEnvironment, Path],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    demo: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env, _ = dev_server
    inp = pathway_input(
        await actor_for(sessions, "mia.midwife"),
        {
            "woman": {
                "given_name": "Jane",
                "family_name": CANARY,
                "date_of_birth": "1995-01-01",
                "address": {"line1": "1 High Street", "town": "Northmoor", "postcode": "NM1 1AA"},
                "contact": {
                    "mobile": "07700 900123",
                    "channels": [{"channel": "sms", "safe": True}],
                },
            }
        },
    )
    async with build_worker(env.client, sessions, settings.temporal_task_queue, settings):
        handle = await start_pathway(env.client, settings.temporal_task_queue, inp)
        screening = ScreeningCommand(
            decision=ScreeningDecision.EARLY_HELP,
            reason="Support offered",
            actor=await actor_for(sessions, "sam.social"),
        )
        await handle.execute_update(WomanPathway.record_screening, screening)

    waymark = _runner(monkeypatch, settings, env.client.service_client.config.target_host)
    out = tmp_path / "exported"
    exported = await waymark("history", "export", str(inp.state.woman_id), "--out", str(out))
    assert exported.exit_code == 0, exported.output
    files = sorted(out.glob("*.json"))
    assert [f.name.split("__")[0] for f in files] == [f"pathway-{inp.state.woman_id}"]
    stored = files[0].read_text()
    started = json.loads(stored)["events"][0]["workflowExecutionStartedEventAttributes"]
    (payload,) = started["input"]["payloads"]
    assert base64.b64decode(payload["metadata"]["encoding"]) == b"binary/encrypted"
    assert CANARY not in stored
    assert "1 High Street" not in stored

    replayed = await waymark("history", "replay", str(out))
    assert (replayed.exit_code, replayed.output.splitlines()[-1]) == (0, "1 of 1 histories replay")
    replayer = Replayer(workflows=WORKFLOWS, data_converter=make_data_converter(codec_for_tests()))
    for path, history in load_histories(out):
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, path.name


def _runner(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, address: str
) -> Callable[..., Awaitable[Result]]:
    monkeypatch.setenv("WAYMARK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("WAYMARK_TEMPORAL_ADDRESS", address)
    monkeypatch.setenv("WAYMARK_CODEC_KEYS", json.dumps({TEST_KEY_ID: TEST_KEY}))
    monkeypatch.setenv("WAYMARK_CODEC_CURRENT_KEY_ID", TEST_KEY_ID)
    monkeypatch.setenv("WAYMARK_STATE_DIR", str(settings.state_dir))
    get_settings.cache_clear()
    runner = CliRunner()

    async def run(*args: str) -> Result:
        try:
            return await asyncio.to_thread(runner.invoke, app, list(args))
        finally:
            get_settings.cache_clear()

    return run
