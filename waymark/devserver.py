"""`waymark dev`: the whole service on one machine, with its state kept under var/."""

from __future__ import annotations

import faulthandler
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from waymark.demo import DEMO_PASSWORD, USERS
from waymark.demo_advocacy import ADVOCATES
from waymark.settings import Settings, get_settings
from waymark.temporal.binaries import find_binary
from waymark.temporal.client import codec_from_settings
from workflows import search

console = Console()
STARTUP_SECONDS = 60
STOP_SECONDS = 15
# How many of a part's last lines are shown when it stops unexpectedly.
TAIL_LINES = 20


@dataclass
class Part:
    """One process of the service, with the last lines it printed."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path | None = None
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))

    def last_lines(self) -> list[str]:
        if self.log is None:
            return list(self.tail)
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        return lines[-TAIL_LINES:]


def run_dev() -> int:
    """Start Temporal, the worker and the web app; stop them all on Ctrl-C. Returns an exit code."""
    settings = get_settings()
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    codec_from_settings(settings)  # the dev key, made once here, before two processes race for it
    parts: list[Part] = []
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    faulthandler.register(signal.SIGUSR1)  # `kill -USR1 <pid>`: where each thread is, printed
    try:
        parts.append(_start_temporal(settings))
        _wait_for_port(settings.temporal_address, "Temporal")
        parts.append(_start_waymark("worker"))
        parts.append(_start_waymark("web"))
        _wait_for_port(f"{settings.web_host}:{settings.web_port}", "the web app")
        _print_welcome(settings)
        # From here Ctrl-C, like SIGTERM, only asks the loop to end: raised as KeyboardInterrupt
        # at any point, it could land inside Popen.poll() between its taking and its releasing of
        # the child's wait lock, and the wait for that child at the stop would then never return.
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            stopped = next((part for part in parts if part.process.poll() is not None), None)
            if stopped is not None and not stopping:  # not one stopping at the Ctrl-C
                _report_stopped(stopped)
                return 1
            time.sleep(0.5)
        return 0
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        console.print(f"[red]{exc}[/]")
        return 1
    finally:
        _stop_all([part.process for part in parts])


def _report_stopped(part: Part) -> None:
    """Say which part stopped, how, and what it last printed; then the rest are stopped."""
    code = part.process.returncode
    console.print(
        f"[red]The {part.name} stopped unexpectedly (exit code {code}); stopping the rest.[/]"
    )
    lines = part.last_lines()
    if lines:
        console.print(f"Its last {len(lines)} lines:", markup=False)
        for line in lines:
            console.print(f"  {line}", markup=False, highlight=False)


def _start_temporal(settings: Settings) -> Part:
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
    path = settings.state_dir / "temporal.log"
    log = open(path, "ab")  # noqa: SIM115 (kept for the child)
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    return Part("Temporal dev server", process, log=path)


def _start_waymark(command: str) -> Part:
    """`waymark <command>`, its output passed through to ours and its last lines kept."""
    script = Path(sys.executable).parent / "waymark"
    args = [str(script), command] if script.exists() else [sys.executable, "-m", "waymark", command]
    process = subprocess.Popen(
        args, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    part = Part({"web": "web app", "worker": "worker"}[command], process)
    threading.Thread(target=_pass_through, args=(part,), daemon=True).start()
    return part


def _pass_through(part: Part) -> None:
    assert part.process.stdout is not None
    for raw in part.process.stdout:
        line = raw.decode(errors="replace").rstrip("\n")
        part.tail.append(line)
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


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
    for username, role, name in demo_accounts():
        console.print(f"  {username:<18} {role.replace('_', ' '):<18} {name}")
    console.print("\nPress Ctrl-C to stop everything.")


def demo_accounts() -> list[tuple[str, str, str]]:
    """Every demo account: username, role (advocacy managers named as such), display name."""
    accounts = {user.username: (user.role, user.display_name) for user in USERS}
    for advocate in ADVOCATES:
        role = "advocacy manager" if advocate.is_manager else "advocate"
        accounts[advocate.username] = (role, advocate.display_name)
    return [(username, role, name) for username, (role, name) in accounts.items()]


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
