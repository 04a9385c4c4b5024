"""`waymark dev` (what `make run` starts): everything comes up, Ctrl-C stops it all cleanly,
and a second start finds the women and their running workflows intact."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.helpers.ports import free_port
from tests.helpers.referrals import referral_body
from waymark.demo import DEMO_PASSWORD
from waymark.devserver import demo_accounts

WAYMARK = str(Path(sys.executable).parent / "waymark")


@pytest.fixture
def dev_env(tmp_path: Path) -> dict[str, str]:
    web = free_port()
    env = {
        **os.environ,
        "WAYMARK_STATE_DIR": str(tmp_path / "var"),
        "WAYMARK_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
        "WAYMARK_TEMPORAL_UI_PORT": str(free_port()),
        "WAYMARK_WEB_PORT": str(web),
        "WAYMARK_PUBLIC_URL": f"http://127.0.0.1:{web}",
    }
    env.pop("WAYMARK_DATABASE_URL", None)
    for command in ("migrate", "seed-demo"):
        subprocess.run([WAYMARK, command], env=env, check=True, capture_output=True)
    return env


@dataclass
class Dev:
    """`waymark dev` running, what it prints read all along, as a terminal reads it (a pipe
    nobody reads fills, and then the command and its parts wait to print)."""

    proc: subprocess.Popen[bytes]
    printed: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.printed.append(line)

    def output(self) -> str:
        """What it printed (all of it, once it has exited)."""
        if self.proc.poll() is not None:
            self.reader.join(timeout=30)
        return b"".join(self.printed).decode(errors="replace")


Start = Callable[[], Dev]


@pytest.fixture
def start(dev_env: dict[str, str]) -> Iterator[Start]:
    started: list[Dev] = []

    def _start() -> Dev:
        dev = Dev(
            subprocess.Popen(  # a process group of its own, so all its parts can be stopped
                [WAYMARK, "dev"],
                env=dev_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        started.append(dev)
        _wait_healthy(dev_env["WAYMARK_PUBLIC_URL"], dev)
        return dev

    yield _start
    for dev in started:  # whatever a failed test left running: the command and every part
        with contextlib.suppress(ProcessLookupError):
            os.killpg(dev.proc.pid, signal.SIGKILL)
        dev.proc.wait(timeout=30)


def _wait_healthy(url: str, dev: Dev) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert dev.proc.poll() is None, dev.output()
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("waymark dev did not become healthy in 90 s")


def _stop(dev: Dev) -> str:
    """Ctrl-C, as a terminal sends it (to the command and every part in its process group):
    every part is stopped (each given 15 s, then killed), so even a loaded machine stops well
    inside the limit; past it, what it printed is shown, with where each of its threads was."""
    os.killpg(dev.proc.pid, signal.SIGINT)
    try:
        dev.proc.wait(timeout=150)
    except subprocess.TimeoutExpired:
        os.kill(dev.proc.pid, signal.SIGUSR1)  # waymark dev prints its threads' tracebacks
        time.sleep(2)
        os.killpg(dev.proc.pid, signal.SIGKILL)
        printed = dev.output()[-6000:]
        raise AssertionError(f"waymark dev did not stop in 150 s; it printed:\n{printed}") from None
    assert dev.proc.returncode == 0, dev.output()
    return dev.output()


def _signed_in(url: str, username: str) -> httpx.Client:
    token = httpx.post(
        f"{url}/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD}
    ).json()
    return httpx.Client(
        base_url=url, headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=30
    )


def test_dev_runs_everything_and_a_restart_keeps_all_state(
    start: Start,
    dev_env: dict[str, str],
) -> None:
    url = dev_env["WAYMARK_PUBLIC_URL"]
    first = start()
    health = httpx.get(f"{url}/health").json()
    assert health == {"database": "ok", "temporal": "ok"}
    with _signed_in(url, "mia.midwife") as midwife:
        created = midwife.post("/api/v1/referrals", json=referral_body())
        assert created.status_code == 201, created.text
    woman_id = created.json()["woman_id"]
    output = _stop(first)
    assert "sam.social" in output  # the demo accounts were printed
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/health", timeout=2)

    second = start()
    with _signed_in(url, "sam.social") as social_worker:
        woman = social_worker.get(f"/api/v1/women/{woman_id}")
        assert woman.status_code == 200
        assert woman.json()["stage"] == "screening"
        # Her workflow survived the restart: it still takes commands.
        decided = social_worker.post(
            f"/api/v1/women/{woman_id}/screening",
            json={"decision": "strategy_discussion", "reason": "Concerns about safety at birth"},
        )
        assert decided.status_code == 200, decided.text
        assert decided.json()["stage"] == "strategy_discussion"
    _stop(second)


def _children(dev: Dev) -> list[int]:
    children = Path(f"/proc/{dev.proc.pid}/task/{dev.proc.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def _command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def test_dev_lists_every_demo_account_and_names_a_part_that_stops(
    start: Start,
) -> None:
    dev = start()
    worker = next(pid for pid in _children(dev) if _command_line(pid).endswith("waymark worker "))
    os.kill(worker, signal.SIGKILL)
    dev.proc.wait(timeout=90)
    output = dev.output()
    assert dev.proc.returncode == 1
    for username, _role, _name in demo_accounts():
        assert username in output
    assert "The worker stopped unexpectedly (exit code -9); stopping the rest." in output
    _, tail = output.split("stopping the rest.", 1)
    assert "Its last" in tail
    assert "worker running on task queue" in tail  # what the worker itself printed
