"""The real service for browser tests: `waymark dev` (Temporal dev server, worker, web app) on
free ports, with a state folder and a SQLite database of its own, migrated and seeded with the
demo accounts as `make run` does."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.helpers.ports import free_port
from tests.helpers.processes import wait_healthy
from waymark.demo import DEMO_PASSWORD
from waymark.temporal.codec import new_key_file

WAYMARK = str(Path(sys.executable).parent / "waymark")
STARTUP_SECONDS = 90


@dataclass
class Stack:
    """A running `waymark dev`: its address, state folder and process."""

    url: str
    state_dir: Path
    process: subprocess.Popen[bytes]
    log: Path
    temporal_address: str = ""
    web_processes: int = 1

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def token(self, username: str) -> str:
        """A bearer token for the JSON API (for steps that have no page yet)."""
        response = httpx.post(
            f"{self.url}/api/v1/auth/token",
            data={"username": username, "password": DEMO_PASSWORD},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def api(self, username: str) -> httpx.Client:
        """A JSON API client signed in as the named demo user."""
        return httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {self.token(username)}"},
            timeout=30,
        )


def start_stack(root: Path, migrated: Path | str, web_processes: int = 1) -> Stack:
    """Start `waymark dev` on a copy of a migrated SQLite database (or on a migrated database
    given by its URL, such as a PostgreSQL schema of its own), seeding the demo accounts while
    it starts, with `web_processes` web app processes; returns once it is healthy and seeded."""
    web = free_port()
    state_dir = root / "var"
    state_dir.mkdir(parents=True)
    database_url = (
        migrated if isinstance(migrated, str) else f"sqlite:///{state_dir / 'waymark.db'}"
    )
    if isinstance(migrated, Path):
        # What `waymark migrate` makes, built once per session.
        shutil.copyfile(migrated, state_dir / "waymark.db")
    # Made before the worker and the web app start, so both surely read the same key.
    new_key_file(state_dir / "codec-keys.json")
    env = {
        **os.environ,
        "WAYMARK_ENVIRONMENT": "development",
        "WAYMARK_STATE_DIR": str(state_dir),
        "WAYMARK_DATABASE_URL": database_url,
        "WAYMARK_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
        "WAYMARK_TEMPORAL_UI_PORT": str(free_port()),
        "WAYMARK_WEB_PORT": str(web),
        "WAYMARK_PUBLIC_URL": f"http://127.0.0.1:{web}",
        "WAYMARK_WEB_WORKERS": str(web_processes),
    }
    for name in ("WAYMARK_CODEC_KEYS", "WAYMARK_CODEC_CURRENT_KEY_ID", "WAYMARK_SECRET_KEY"):
        env.pop(name, None)
    log = root / "waymark-dev.log"
    with log.open("wb") as out:
        seed = subprocess.Popen([WAYMARK, "seed-demo"], env=env, stdout=out, stderr=out)
        # A session of its own, so that stopping it ends its children (Temporal, worker, web).
        process = subprocess.Popen(
            [WAYMARK, "dev"], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    stack = Stack(
        env["WAYMARK_PUBLIC_URL"],
        state_dir,
        process,
        log,
        env["WAYMARK_TEMPORAL_ADDRESS"],
        web_processes,
    )
    try:
        assert seed.wait(timeout=STARTUP_SECONDS) == 0, f"seed-demo failed:\n{stack.log_tail()}"
        wait_healthy(stack.url, stack.process, "waymark dev", stack.log_tail)
    except BaseException:
        seed.kill()
        stop_stack(stack)
        raise
    return stack


def stop_stack(stack: Stack) -> None:
    """Stop it all at once: its state is thrown away (test_dev_command checks a clean stop)."""
    if stack.process.poll() is None:
        os.killpg(stack.process.pid, signal.SIGKILL)
    stack.process.wait()
