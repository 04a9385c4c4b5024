"""`waymark dev` (what `make run` starts): everything comes up, Ctrl-C stops it all cleanly,
and a second start finds the women and their running workflows intact."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers.referrals import referral_body
from waymark.demo import DEMO_PASSWORD
from waymark.devserver import demo_accounts

WAYMARK = str(Path(sys.executable).parent / "waymark")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def dev_env(tmp_path: Path) -> dict[str, str]:
    web = _free_port()
    env = {
        **os.environ,
        "WAYMARK_STATE_DIR": str(tmp_path / "var"),
        "WAYMARK_TEMPORAL_ADDRESS": f"127.0.0.1:{_free_port()}",
        "WAYMARK_TEMPORAL_UI_PORT": str(_free_port()),
        "WAYMARK_WEB_PORT": str(web),
        "WAYMARK_PUBLIC_URL": f"http://127.0.0.1:{web}",
    }
    env.pop("WAYMARK_DATABASE_URL", None)
    for command in ("migrate", "seed-demo"):
        subprocess.run([WAYMARK, command], env=env, check=True, capture_output=True)
    return env


@pytest.fixture
def start(dev_env: dict[str, str]) -> Iterator[object]:
    started: list[subprocess.Popen[bytes]] = []

    def _start() -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(  # a process group of its own, so all its parts can be stopped
            [WAYMARK, "dev"],
            env=dev_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(proc)
        _wait_healthy(dev_env["WAYMARK_PUBLIC_URL"], proc)
        return proc

    yield _start
    for proc in started:  # whatever a failed test left running: the command and every part
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def _wait_healthy(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("waymark dev did not become healthy in 90 s")


def _stop(proc: subprocess.Popen[bytes]) -> str:
    """Ctrl-C, as a person stops it: every part is stopped (each given 15 s, then killed), so
    even a loaded machine stops well inside the limit; past it, what it printed is shown."""
    proc.send_signal(signal.SIGINT)
    try:
        out, _ = proc.communicate(timeout=150)
    except subprocess.TimeoutExpired as slow:
        os.killpg(proc.pid, signal.SIGKILL)
        printed = (slow.output or b"").decode(errors="replace")[-4000:]
        raise AssertionError(f"waymark dev did not stop in 150 s; it printed:\n{printed}") from None
    assert proc.returncode == 0, out.decode()
    return out.decode()


def _signed_in(url: str, username: str) -> httpx.Client:
    token = httpx.post(
        f"{url}/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD}
    ).json()
    return httpx.Client(
        base_url=url, headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=30
    )


def test_dev_runs_everything_and_a_restart_keeps_all_state(
    start: Callable[[], subprocess.Popen[bytes]],
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


def _children(proc: subprocess.Popen[bytes]) -> list[int]:
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def _command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def test_dev_lists_every_demo_account_and_names_a_part_that_stops(
    start: Callable[[], subprocess.Popen[bytes]],
) -> None:
    proc = start()
    worker = next(pid for pid in _children(proc) if _command_line(pid).endswith("waymark worker "))
    os.kill(worker, signal.SIGKILL)
    out, _ = proc.communicate(timeout=90)
    output = out.decode()
    assert proc.returncode == 1
    for username, _role, _name in demo_accounts():
        assert username in output
    assert "The worker stopped unexpectedly (exit code -9); stopping the rest." in output
    _, tail = output.split("stopping the rest.", 1)
    assert "Its last" in tail
    assert "worker running on task queue" in tail  # what the worker itself printed
