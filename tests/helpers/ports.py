"""Free TCP ports on 127.0.0.1 for the servers the tests start, still free when they bind them.

A port the kernel hands out for `bind(0)` comes from its ephemeral range, which is also where
every outgoing connection (to PostgreSQL, to Temporal, to a web app) takes its own port from.
A server started seconds after such a port was probed could find a connection on it ("address
already in use"). These ports come from below that range, which only servers binding a port by
number use. Each is claimed for the life of this process with a lock on a file of its own, so the
suite's other processes (pytest-xdist's workers, another run on this machine) never hand out the
same one.
"""

from __future__ import annotations

import fcntl
import os
import random
import socket
import tempfile
from collections.abc import Sequence
from pathlib import Path

LOWEST = 20000
# The kernel's default ephemeral range, where /proc does not say.
DEFAULT_EPHEMERAL = (32768, 60999)
CLAIMS = Path(tempfile.gettempdir()) / f"waymark-test-ports-{os.getuid()}"

# Port -> the open lock file that claims it; closed only when this process ends.
_claims: dict[int, int] = {}


def ephemeral_range() -> tuple[int, int]:
    """The lowest and highest port the kernel gives outgoing connections."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return DEFAULT_EPHEMERAL


def claim(port: int) -> bool:
    """Claim `port` for this process unless another process has; True once claimed here."""
    if port in _claims:
        return False
    CLAIMS.mkdir(mode=0o700, exist_ok=True)
    handle = os.open(CLAIMS / str(port), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        return False
    _claims[port] = handle
    return True


def _bindable(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def candidates() -> Sequence[int]:
    """The ports to choose from: below the ephemeral range."""
    low, _ = ephemeral_range()
    return range(LOWEST, low) if low - LOWEST >= 1000 else range(1024, low)


def free_port() -> int:
    """A port nobody listens on or connects from, claimed for this process."""
    pool = candidates()
    for port in random.sample(pool, k=min(len(pool), 500)):
        if claim(port) and _bindable(port):
            return port
    raise RuntimeError(f"no free port to claim in {pool}")
