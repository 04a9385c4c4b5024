"""Real processes for fault tests, each on free ports with its own state: the Temporal dev server
persisting to a file, so that it can be killed and started again on the same file and port
(tests/helpers/processes.py starts one in memory, for the scale-out test), and Waymark workers,
or the worker script with a test-only fault, which a test can kill with SIGKILL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers.ports import free_port
from tests.helpers.processes import WAYMARK
from waymark.temporal.binaries import find_binary
from workflows import search

STARTUP_SECONDS = 120  # two cores, both busy with other tests


def wait_until(what: str, check: Callable[[], bool], seconds: float, every: float = 0.2) -> None:
    """Poll `check` until it holds; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds:.0f} s")
        time.sleep(every)


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class TemporalServer:
    """`temporal server start-dev` on a file of its own; `kill` is a SIGKILL, `start` reopens
    the same file on the same port."""

    db_file: Path
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start it and wait until it listens. One that exits before then (its HTTP or metrics
        port taken between choosing and binding) is tried again on fresh ones; its own port stays,
        since the service's settings already name it."""
        for _ in range(3):
            with self.log.open("ab") as out:
                self.process = subprocess.Popen(self._args(), stdout=out, stderr=subprocess.STDOUT)
            wait_until(
                "the Temporal dev server listens or exits",
                lambda: listening(self.port) or not self.running(),
                STARTUP_SECONDS,
            )
            if self.running():
                return
        raise AssertionError(f"the Temporal dev server exited at start; see {self.log}")

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _args(self) -> list[str]:
        args = [
            find_binary("temporal"),
            "server",
            "start-dev",
            "--headless",
            "--db-filename",
            str(self.db_file),
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--http-port",
            str(free_port()),
            "--metrics-port",
            str(free_port()),
            "--log-level",
            "warn",
        ]
        for key in search.ALL:
            args += ["--search-attribute", f"{key.name}=Keyword"]
        return args

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        wait_until("the port is free", lambda: not listening(self.port), 10)


@dataclass
class Worker:
    """A Waymark worker process: `waymark worker`, or a script under tests/faults."""

    env: dict[str, str]
    log: Path
    args: list[str]
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.args, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        return self

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is finished or reported."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


def waymark_worker(env: dict[str, str], log: Path) -> Worker:
    return Worker(env, log, [WAYMARK, "worker"])


def fault_worker(env: dict[str, str], log: Path, *options: str) -> Worker:
    """The worker script with test-only faults (a barrier inside an activity, a skewed clock)."""
    return Worker(env, log, [sys.executable, "-m", "tests.faults.worker", *options])


def without_waymark_settings(environ: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    """The environment less any WAYMARK_* the caller had: a fault test states its own."""
    return {k: v for k, v in environ.items() if not k.startswith("WAYMARK_")}
