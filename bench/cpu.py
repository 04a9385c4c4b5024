"""CPU time a process tree has used so far, read from Linux's /proc (no extra package): how much
of a request's time is the service's own CPU, which no lock or pool can give back."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stats() -> dict[int, list[str]]:
    """Each process's /proc stat fields after its name (state, ppid, …), by pid."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            found[int(stat.parent.name)] = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone while being read
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def descendants(pid: int, stats: dict[int, list[str]] | None = None) -> list[int]:
    stats = stats if stats is not None else _stats()
    children: dict[int, list[int]] = {}
    for child, fields in stats.items():
        children.setdefault(int(fields[1]), []).append(child)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def tree_cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of the process and every process under it."""
    stats = _stats()
    pids = [pid, *descendants(pid, stats)]
    return sum(int(stats[p][11]) + int(stats[p][12]) for p in pids if p in stats) / TICKS


def find_part(root: int, word: str) -> int:
    """The first process under `root` whose command line has `word` (a part of `waymark dev`)."""
    for pid in descendants(root):
        if word in _cmdline(pid).split():
            return pid
    raise LookupError(f"no process with {word!r} under {root}")


class Parts:
    """The CPU of each part of a running service (process trees by name), read together."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids

    def seconds(self) -> dict[str, float]:
        return {name: tree_cpu_seconds(pid) for name, pid in self.pids.items()}

    async def settled(self, idle_share: float = 0.05, longest: float = 15.0) -> None:
        """Wait until all the parts together use under `idle_share` of a core for half a
        second (the work that follows the answers is done), or `longest` seconds have passed."""
        deadline = asyncio.get_running_loop().time() + longest
        before = sum(self.seconds().values())
        while asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.5)
            now = sum(self.seconds().values())
            if now - before < idle_share * 0.5:
                return
            before = now


def least_mean_ms(
    total_ms: float, web_ms: float, *, at_once: int, cores: int, web_processes: int
) -> float:
    """The least a request's mean can be with `at_once` in flight, from its CPU one at a time:
    their CPU (`total_ms` each) shared by the cores, or the web app's share (`web_ms` each) on
    the cores its processes can use, one each."""
    return at_once * max(total_ms / cores, web_ms / min(web_processes, cores))
