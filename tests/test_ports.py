"""The test servers' ports (`tests/helpers/ports.py`): below the range outgoing connections
take their ports from, free to bind, and never the same port for two processes."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ports

ROOT = Path(__file__).resolve().parents[1]

HOLD = """
import sys
from tests.helpers import ports
port = ports.free_port()
print(port, flush=True)
sys.stdin.read()
"""


def test_a_port_is_below_the_ephemeral_range_and_free_to_bind() -> None:
    port = ports.free_port()
    low, _ = ports.ephemeral_range()
    assert ports.LOWEST <= port < low
    with socket.socket() as server:
        server.bind(("127.0.0.1", port))
        server.listen()


def test_no_port_is_handed_out_twice_in_a_process() -> None:
    handed = [ports.free_port() for _ in range(50)]
    assert len(set(handed)) == len(handed)


def test_a_port_another_process_claimed_is_not_claimed_here_until_it_ends() -> None:
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert other.stdout is not None
    assert other.stdin is not None
    try:
        theirs = int(other.stdout.readline())
        assert not ports.claim(theirs)
    finally:
        other.stdin.close()
        other.wait(timeout=10)
    assert ports.claim(theirs)


def test_a_port_something_listens_on_is_not_handed_out(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        taken = listener.getsockname()[1]
        with socket.socket() as spare:
            spare.bind(("127.0.0.1", 0))
            free = spare.getsockname()[1]
        monkeypatch.setattr(ports, "candidates", lambda: [taken, free])
        assert ports.free_port() == free
