"""Scale-out: two workers and two web processes on one Temporal dev server and PostgreSQL carry
a mixed load; one worker is killed (SIGKILL) half-way; afterwards every command's effect exists
exactly once and `waymark reconcile` is clean.

Real processes throughout (`waymark web`, `waymark worker`, `temporal server start-dev`); runs
when WAYMARK_TEST_POSTGRES_URL is set (as in CI). Select with `pytest -m processes`.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_URL
from tests.e2e.load import Referred, family_name, refer_all, screen_and_read, signed_in
from tests.helpers.processes import (
    METRICS_TOKEN,
    WAYMARK,
    Cluster,
    Process,
    cluster,
    postgres_schema,
)
from waymark.demo import seed_demo_data
from waymark.settings import async_url, sync_url

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(not POSTGRES_URL, reason="needs WAYMARK_TEST_POSTGRES_URL"),
]

REFERRALS = 16
SETTLE_SECONDS = 30


async def test_two_workers_and_two_webs_lose_nothing_when_a_worker_is_killed(
    tmp_path: Path,
) -> None:
    assert POSTGRES_URL is not None
    with postgres_schema(POSTGRES_URL) as url, cluster(tmp_path, url) as running:
        webs = [running.start_web(), running.start_web()]
        workers = [running.start_worker(), running.start_worker()]
        await seed_demo_data(async_url(url))  # while they start
        running.wait_healthy(*webs, *workers)

        referrers = [await signed_in(web.url or "", "mia.midwife") for web in webs]
        screeners = [await signed_in(web.url or "", "sam.social") for web in webs]
        referred = await refer_all(referrers, REFERRALS, half_way=workers[0].kill)
        assert workers[0].popen.returncode is not None  # it really was killed, mid-load
        await screen_and_read(screeners, referred)
        for client in [*referrers, *screeners]:
            await client.aclose()

        _assert_each_effect_once(url, referred)
        _assert_reconcile_clean(running)
        _assert_watched_without_names(webs, workers[1])


def _assert_each_effect_once(url: str, referred: list[Referred]) -> None:
    ids = [item.woman_id for item in referred]
    assert len(set(ids)) == REFERRALS
    engine = create_engine(sync_url(url))
    counts = {
        "women": "SELECT count(*) FROM women WHERE id = ANY(CAST(:ids AS uuid[]))",
        "referrals": "SELECT count(*) FROM referrals WHERE woman_id = ANY(CAST(:ids AS uuid[]))",
        "referral_received": "SELECT count(*) FROM timeline_events "
        "WHERE kind = 'referral_received' AND woman_id = ANY(CAST(:ids AS uuid[]))",
        "screening_decision": "SELECT count(*) FROM timeline_events "
        "WHERE kind = 'screening_decision' AND woman_id = ANY(CAST(:ids AS uuid[]))",
        "create_referral": "SELECT count(*) FROM audit_events WHERE action = 'create_referral' "
        "AND record_id = ANY(CAST(:ids AS text[]))",
    }
    with engine.connect() as conn:
        found = {name: conn.scalar(text(sql), {"ids": ids}) for name, sql in counts.items()}
        stages: dict[str, int] = dict(
            conn.execute(
                text(
                    "SELECT stage, count(*) FROM women "
                    "WHERE id = ANY(CAST(:ids AS uuid[])) GROUP BY stage"
                ),
                {"ids": ids},
            ).all()
        )
    engine.dispose()
    assert found == dict.fromkeys(counts, REFERRALS), found
    assert stages == {"early_help": REFERRALS // 2, "closed": REFERRALS // 2}, stages


def _assert_reconcile_clean(running: Cluster) -> None:
    """Clean once the closing pathways have finished (a workflow ends a moment after it
    records her case closed); a discrepancy that stays is a failure."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        done = subprocess.run(
            [WAYMARK, "reconcile", "--grace-seconds", "0", "--json"],
            env=running.env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode == 0 or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == []


def _assert_watched_without_names(webs: list[Process], worker: Process) -> None:
    headers = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    web_metrics = [httpx.get(f"{web.url}/metrics", headers=headers).text for web in webs]
    for text_ in web_metrics:  # both web processes carried commands
        assert 'waymark_commands_total{command="/api/v1/referrals",outcome="done"}' in text_
    worker_metrics = httpx.get(f"{worker.url}/metrics", headers=headers).text
    assert "temporal_workflow_task_execution_latency" in worker_metrics
    assert "temporal_activity_execution_latency" in worker_metrics
    assert httpx.get(f"{worker.url}/metrics").status_code == 401
    logs = [process.log_text() for process in [*webs, worker]]
    for lines in logs:
        records = [json.loads(line) for line in lines.splitlines() if line.strip()]
        assert records, "no log lines"
    everything = "\n".join([*web_metrics, worker_metrics, *logs])
    for number in range(REFERRALS):
        assert family_name(number) not in everything
