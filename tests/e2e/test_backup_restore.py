"""Backing up the embedded database while Waymark runs, restoring it into a fresh state folder,
and `waymark reconcile` saying what differs from Temporal, then repairing what it safely can.

Real processes: the Temporal dev server, `waymark web` and `waymark worker` on SQLite, and the
`waymark backup` and `waymark reconcile` commands. Select with `pytest -m processes`.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

import httpx
import pytest

from tests.e2e.load import signed_in
from tests.helpers.processes import WAYMARK, Cluster, cluster
from tests.helpers.referrals import referral_body
from waymark.db.migrate import upgrade
from waymark.demo import seed_demo_data
from waymark.settings import async_url

pytestmark = pytest.mark.processes


def waymark(
    running: Cluster, *args: str, state: Path | None = None
) -> subprocess.CompletedProcess[str]:
    extra = {}
    if state is not None:
        extra = {
            "WAYMARK_STATE_DIR": str(state),
            "WAYMARK_DATABASE_URL": f"sqlite:///{state / 'waymark.db'}",
        }
    return subprocess.run(
        [WAYMARK, *args], env=running.env(**extra), capture_output=True, text=True, timeout=120
    )


async def test_a_backup_taken_while_running_restores_and_reconcile_repairs_what_it_can(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'waymark.db'}"
    upgrade(url)
    backup = tmp_path / "waymark-backup.db"
    fresh = tmp_path / "restored"
    with cluster(tmp_path / "processes", url) as running:
        closed, screened, after = await _changes_around_a_backup(running, backup)
        fresh.mkdir()
        shutil.copyfile(backup, fresh / "waymark.db")  # the restore: the file, nothing else

        found = waymark(running, "reconcile", "--grace-seconds", "0", "--json", state=fresh)
        assert found.returncode == 1, found.stdout + found.stderr
        differences = {(d["kind"], d["record_id"]): d["detail"] for d in json.loads(found.stdout)}
        assert differences == {
            ("no_open_record", after): "record missing",
            ("no_running_workflow", closed): "workflow completed",
            ("stage_differs", screened): "record says screening, pathway says early_help",
        }

        repaired = waymark(running, "reconcile", "--grace-seconds", "0", "--repair", state=fresh)
        assert repaired.returncode == 0, repaired.stdout + repaired.stderr
        assert repaired.stdout.count("repaired: ") == 3, repaired.stdout
        assert "events after the backup are not on her timeline" in repaired.stdout
        assert repaired.stdout.rstrip().endswith("no discrepancies")

    with sqlite3.connect(fresh / "waymark.db") as db:
        stages = {uuid.UUID(row[0]): row[1] for row in db.execute("SELECT id, stage FROM women")}
    assert [stages[uuid.UUID(w)] for w in (closed, screened, after)] == [
        "closed",
        "early_help",
        "screening",
    ]


async def _changes_around_a_backup(running: Cluster, backup: Path) -> tuple[str, str, str]:
    """Two referrals, a backup while web and worker run, then a third referral and both first
    women screened (one closed); web and worker stopped. Returns the three women's ids."""
    web, worker = running.start_web(), running.start_worker()
    await seed_demo_data(async_url(running.database_url))
    running.wait_healthy(web, worker)
    mia = await signed_in(web.url or "", "mia.midwife")
    sam = await signed_in(web.url or "", "sam.social")
    closed, screened = await _refer(mia, "before-1"), await _refer(mia, "before-2")
    done = waymark(running, "backup", str(backup))
    assert done.returncode == 0, done.stderr
    after = await _refer(mia, "after-1")
    await _screen(sam, closed, "no_further_action")
    await _screen(sam, screened, "early_help")
    await mia.aclose()
    await sam.aclose()
    web.stop()
    worker.stop()
    return closed, screened, after


async def _refer(client: httpx.AsyncClient, key: str) -> str:
    answer = await client.post(
        "/api/v1/referrals", json=referral_body(), headers={"Idempotency-Key": key}
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["woman_id"])


async def _screen(client: httpx.AsyncClient, woman_id: str, decision: str) -> None:
    body = {"decision": decision, "reason": "Screened after the backup"}
    answer = await client.post(f"/api/v1/women/{woman_id}/screening", json=body)
    assert answer.status_code == 200, answer.text
