"""`waymark dev`: the whole service on one machine, with its state kept under var/."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console

from waymark.demo import DEMO_PASSWORD, USERS
from waymark.settings import Settings, get_settings
from waymark.temporal.binaries import find_binary
from waymark.temporal.client import codec_from_settings
from workflows import search

console = Console()
STARTUP_SECONDS = 60
STOP_SECONDS = 15


def run_dev() -> int:
    """Start Temporal, the worker and the web app; stop them all on Ctrl-C. Returns an exit code."""
    settings = get_settings()
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    codec_from_settings(settings)  # the dev key, made once here, before two processes race for it
    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    try:
        children.append(_start_temporal(settings))
        _wait_for_port(settings.temporal_address, "Temporal")
        children.append(_start_waymark("worker"))
        children.append(_start_waymark("web"))
        _wait_for_port(f"{settings.web_host}:{settings.web_port}", "the web app")
        _print_welcome(settings)
        while not stopping:
            if any(child.poll() is not None for child in children):
                console.print("[red]A part of Waymark stopped unexpectedly; stopping the rest.[/]")
                return 1
            time.sleep(0.5)
        return 0
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        console.print(f"[red]{exc}[/]")
        return 1
    finally:
        _stop_all(children)


def _start_temporal(settings: Settings) -> subprocess.Popen[bytes]:
    host, port = settings.temporal_address.rsplit(":", 1)
    args = [
        find_binary("temporal"),
        "server",
        "start-dev",
        "--db-filename",
        str(settings.state_dir / "temporal.db"),
        "--ip",
        host,
        "--port",
        port,
        "--ui-port",
        str(settings.temporal_ui_port),
        "--ui-codec-endpoint",
        f"{settings.public_url}/codec",
        "--log-level",
        "warn",
    ]
    for key in search.ALL:
        args += ["--search-attribute", f"{key.name}=Keyword"]
    log = open(settings.state_dir / "temporal.log", "ab")  # noqa: SIM115 (kept for the child)
    return subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)


def _start_waymark(command: str) -> subprocess.Popen[bytes]:
    script = Path(sys.executable).parent / "waymark"
    args = [str(script), command] if script.exists() else [sys.executable, "-m", "waymark", command]
    return subprocess.Popen(args, env=os.environ.copy())


def _wait_for_port(address: str, what: str) -> None:
    host, port = address.rsplit(":", 1)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{what} did not start listening on {address} in {STARTUP_SECONDS} s")


def _print_welcome(settings: Settings) -> None:
    console.rule("[bold]Waymark is running")
    console.print(f"Web app and API  {settings.public_url}  (API docs: {settings.public_url}/docs)")
    console.print(f"Health           {settings.public_url}/health")
    console.print(f"Temporal UI      http://127.0.0.1:{settings.temporal_ui_port}")
    console.print(f"State folder     {settings.state_dir}")
    console.print(f"\nDemo accounts (password [bold]{DEMO_PASSWORD}[/]):")
    for user in USERS:
        console.print(f"  {user.username:<18} {user.role:<18} {user.display_name}")
    console.print("\nPress Ctrl-C to stop everything.")


def _stop_all(children: list[subprocess.Popen[bytes]]) -> None:
    # Web and worker together first, Temporal last, so the worker can finish its current tasks;
    # each group gets STOP_SECONDS before it is killed, so Ctrl-C never hangs.
    _stop_group(children[1:])
    _stop_group(children[:1])


def _stop_group(group: list[subprocess.Popen[bytes]]) -> None:
    for child in group:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    deadline = time.monotonic() + STOP_SECONDS
    for child in group:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
