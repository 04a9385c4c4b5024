"""Waymark as production runs it, on this machine: a Temporal dev server, several `waymark web`
and `waymark worker` processes, and PostgreSQL (a schema of its own, built by the migrations).

Used by the scale-out test and `bench/scale_out.py`. Every process is started here and stopped
here, by its own id.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from tests.conftest import TEST_KEY, TEST_KEY_ID
from tests.helpers.ports import free_port
from waymark.db.migrate import upgrade
from waymark.settings import sync_url
from waymark.temporal.binaries import find_binary
from workflows import search

WAYMARK = str(Path(sys.executable).parent / "waymark")
STARTUP_SECONDS = 90
METRICS_TOKEN = "scale-out-metrics-token"


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A migrated schema of its own in the given PostgreSQL database; dropped afterwards."""
    schema = f"waymark_procs_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(sync_url(base_url))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base_url else "?"
    url = f"{base_url}{separator}options=-csearch_path%3D{schema}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@dataclass
class Process:
    """One started process, its log file and (for web and worker) its HTTP address."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    url: str | None = None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything, as when a machine dies."""
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait()

    def stop(self) -> None:
        """SIGINT, as systemd and Kubernetes stop it; killed if it has not gone in 20 s."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGINT)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Cluster:
    """A dev server and any number of web and worker processes sharing one database."""

    root: Path
    database_url: str
    temporal_address: str = field(default_factory=lambda: f"127.0.0.1:{free_port()}")
    task_queue: str = field(default_factory=lambda: f"scale-{uuid.uuid4().hex[:8]}")
    processes: list[Process] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        """The environment every Waymark process here shares, plus `extra`."""
        base = {k: v for k, v in os.environ.items() if not k.startswith("WAYMARK_")}
        return {
            **base,
            "WAYMARK_ENVIRONMENT": "development",
            "WAYMARK_STATE_DIR": str(self.root / "state"),
            "WAYMARK_DATABASE_URL": self.database_url,
            "WAYMARK_TEMPORAL_ADDRESS": self.temporal_address,
            "WAYMARK_TEMPORAL_TASK_QUEUE": self.task_queue,
            "WAYMARK_CODEC_KEYS": json.dumps({TEST_KEY_ID: TEST_KEY}),
            "WAYMARK_CODEC_CURRENT_KEY_ID": TEST_KEY_ID,
            "WAYMARK_SECRET_KEY": "s" * 64,
            "WAYMARK_METRICS_TOKEN": METRICS_TOKEN,
            **extra,
        }

    def start_temporal(self) -> Process:
        host, port = self.temporal_address.rsplit(":", 1)
        args = [find_binary("temporal"), "server", "start-dev", "--headless"]
        args += ["--ip", host, "--port", port, "--log-level", "warn"]
        for key in search.ALL:
            args += ["--search-attribute", f"{key.name}=Keyword"]
        process = self._spawn("temporal", args, os.environ.copy())
        _wait_for_port(self.temporal_address, process)
        return process

    def start_web(self) -> Process:
        port = free_port()
        env = self.env(WAYMARK_WEB_PORT=str(port), WAYMARK_PUBLIC_URL=f"http://127.0.0.1:{port}")
        process = self._spawn(f"web-{port}", [WAYMARK, "web"], env)
        process.url = f"http://127.0.0.1:{port}"
        return process

    def start_worker(self) -> Process:
        port = free_port()
        process = self._spawn(
            f"worker-{port}", [WAYMARK, "worker"], self.env(WAYMARK_WORKER_PORT=str(port))
        )
        process.url = f"http://127.0.0.1:{port}"
        return process

    def wait_healthy(self, *processes: Process) -> None:
        for process in processes:
            wait_healthy(process.url or "", process.popen, process.name, process.log_text)

    def stop_all(self) -> None:
        # Web and workers first, the dev server last, so that workers can finish cleanly.
        for process in reversed(self.processes):
            process.stop()

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> Process:
        self.root.mkdir(parents=True, exist_ok=True)
        log = self.root / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
        process = Process(name, popen, log)
        self.processes.append(process)
        return process


def _wait_for_port(address: str, process: Process) -> None:
    host, port = address.rsplit(":", 1)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.popen.poll() is None, f"{process.name} stopped:\n{process.log_text()}"
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{process.name} did not listen on {address}:\n{process.log_text()}")


def wait_healthy(
    url: str, popen: subprocess.Popen[bytes], name: str, log: Callable[[], str]
) -> None:
    """Until GET {url}/health answers 200; fails with the log's end if the process stops."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert popen.poll() is None, f"{name} stopped:\n{log()[-4000:]}"
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{name} was not healthy in {STARTUP_SECONDS} s:\n{log()[-4000:]}")


@contextmanager
def cluster(root: Path, database_url: str) -> Iterator[Cluster]:
    """A cluster with its dev server started; every process stopped at the end."""
    running = Cluster(root, database_url)
    try:
        running.start_temporal()
        yield running
    finally:
        running.stop_all()
