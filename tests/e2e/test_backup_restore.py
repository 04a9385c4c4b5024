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

import pytest

from tests.e2e.load import signed_in
from tests.support.processes import WAYMARK, Cluster, cluster
from tests.support.referrals import referral_body
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
    live = tmp_path / "live"
    live.mkdir()
    url = f"sqlite:///{live / 'waymark.db'}"
    upgrade(url)
    with cluster(tmp_path / "processes", url) as running:
        web, worker = running.start_web(), running.start_worker()
        await seed_demo_data(async_url(url))
        running.wait_healthy(web, worker)
        mia = await signed_in(web.url or "", "mia.midwife")
        sam = await signed_in(web.url or "", "sam.social")

        async def refer(key: str) -> str:
            answer = await mia.post(
                "/api/v1/referrals", json=referral_body(), headers={"Idempotency-Key": key}
            )
            assert answer.status_code == 201, answer.text
            return str(answer.json()["woman_id"])

        async def screen(woman_id: str, decision: str) -> None:
            body = {"decision": decision, "reason": "Screened after the backup"}
            answer = await sam.post(f"/api/v1/women/{woman_id}/screening", json=body)
            assert answer.status_code == 200, answer.text

        closed, screened = await refer("before-1"), await refer("before-2")
        backup = tmp_path / "waymark-backup.db"
        done = waymark(running, "backup", str(backup))  # while web and worker run
        assert done.returncode == 0, done.stderr
        after = await refer("after-1")
        await screen(closed, "no_further_action")
        await screen(screened, "early_help")
        await mia.aclose()
        await sam.aclose()
        web.stop()
        worker.stop()

        fresh = tmp_path / "restored"
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
