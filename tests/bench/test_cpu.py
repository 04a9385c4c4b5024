"""The benchmarks' CPU readings (`bench/cpu.py`): a part's CPU counts the processes under it,
`settled` waits for the work after the answers, and the floor for 8 at once is worked out as
the README's figures were."""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from bench.cpu import Parts, descendants, find_part, least_mean_ms

# A child that burns 0.4 s of CPU, says so, then idles; given "on", it burns for 20 s.
CHILD = """
import sys, time
seconds = 20 if "on" in sys.argv else 0.4
began = time.process_time()
while time.process_time() - began < seconds:
    pass
print("burnt", flush=True)
time.sleep(60)
"""


def _part(*args: str) -> Iterator[subprocess.Popen[str]]:
    """A shell (the part) whose child burns CPU: the part's CPU is all its child's."""
    command = shlex.join([sys.executable, "-c", CHILD, "marker-burner", *args])
    shell = subprocess.Popen(
        ["sh", "-c", f"{command}; sleep 60"],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        yield shell
    finally:
        os.killpg(shell.pid, signal.SIGKILL)  # the shell and its child
        shell.wait()


@pytest.fixture
def burnt() -> Iterator[subprocess.Popen[str]]:
    yield from _part()


@pytest.fixture
def burning() -> Iterator[subprocess.Popen[str]]:
    yield from _part("on")


def test_a_parts_cpu_counts_the_processes_under_it(burnt: subprocess.Popen[str]) -> None:
    assert burnt.stdout is not None
    assert burnt.stdout.readline().strip() == "burnt"
    assert find_part(burnt.pid, "marker-burner") in descendants(burnt.pid)
    seconds = Parts({"part": burnt.pid}).seconds()["part"]
    assert 0.3 <= seconds < 5


async def test_settled_returns_once_the_parts_are_idle(burnt: subprocess.Popen[str]) -> None:
    assert burnt.stdout is not None
    assert burnt.stdout.readline().strip() == "burnt"
    began = time.monotonic()
    await Parts({"part": burnt.pid}).settled(longest=10)
    assert time.monotonic() - began < 5


async def test_settled_waits_while_a_part_is_busy_up_to_its_limit(
    burning: subprocess.Popen[str],
) -> None:
    await asyncio.sleep(0.2)  # the child has started burning
    began = time.monotonic()
    await Parts({"part": burning.pid}).settled(longest=1.5)
    assert time.monotonic() - began >= 1.5


@pytest.mark.parametrize(
    ("total", "web", "web_processes", "expected"),
    [
        # The README's referral (7 December, night): 73.8 ms in all, 17.7 of it the web app's;
        # 8 such on 2 cores need 8 x 73.8 / 2 = 295.2 ms, more than 8 x 17.7 on one web process.
        pytest.param(73.8, 17.7, 1, 295.2, id="shared-by-the-cores"),
        # Her record, all the web app's: one process serves 8 x 20.7 = 165.6 ms on one core.
        pytest.param(20.7, 20.7, 1, 165.6, id="one-web-process"),
        # Two processes, one core each: 8 x 20.7 / 2.
        pytest.param(20.7, 20.7, 2, 82.8, id="two-web-processes"),
        # Four processes on two cores are no quicker than two.
        pytest.param(20.7, 20.7, 4, 82.8, id="more-processes-than-cores"),
    ],
)
def test_the_floor_for_8_at_once(
    total: float, web: float, web_processes: int, expected: float
) -> None:
    floor = least_mean_ms(total, web, at_once=8, cores=2, web_processes=web_processes)
    assert floor == pytest.approx(expected)
