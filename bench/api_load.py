"""The API with many people at once, and the referral path against the engine's limit.

Starts the whole service as `make run` does (`waymark dev`: Temporal dev server, worker, web
app) on free ports with a state folder of its own, then over loopback:
- her record (GET), a referral and a screening decision, each first one at a time, then 8 at
  once: p50 and p95 against the one-at-a-time figures, and errors; on SQLite, then again on
  PostgreSQL (a schema of its own in WAYMARK_TEST_POSTGRES_URL's database) when one answers;
- the CPU each costs the web app, the worker and the Temporal dev server, one at a time (read
  from /proc), and so the least its mean can be 8 at once on this machine's cores;
- referrals per second, many in flight, against a trivial one-activity workflow's rate on the
  same Temporal server in the same run; and the history events of one referral.

The web app runs as one process, as `make run` starts it; `--web-processes N` starts N
(WAYMARK_WEB_WORKERS), as a server with more cores would, and names the figures so.

    .venv/bin/python -m bench.api_load [--quick] [--web-processes N]
    .venv/bin/python bench/api_load.py [--quick] [--web-processes N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from temporalio.api.enums.v1 import EventType  # noqa: E402
from temporalio.client import Client  # noqa: E402

from bench import trivial  # noqa: E402
from bench.cpu import Parts, find_part, least_mean_ms  # noqa: E402
from bench.scale_out import POSTGRES_URL, postgres_reachable  # noqa: E402
from bench.table import Figure, percentile, show  # noqa: E402
from tests.e2e.load import signed_in  # noqa: E402
from tests.e2e.stack import Stack, start_stack, stop_stack  # noqa: E402
from tests.helpers.processes import postgres_schema  # noqa: E402
from tests.helpers.referrals import referral_body  # noqa: E402
from waymark.db.migrate import upgrade  # noqa: E402
from workflows.pathway import workflow_id  # noqa: E402

CONCURRENT = 8
CORES = len(os.sched_getaffinity(0))
# The parts of `waymark dev` whose CPU a request costs, by a word of their command lines.
PARTS = {"web app": "web", "worker": "worker", "Temporal": "start-dev"}
RATE_IN_FLIGHT = 32
EARLY_HELP = {"decision": "early_help", "reason": "Support from the family hub"}
Call = Callable[[], Awaitable[httpx.Response]]


class Timed:
    """Latencies (ms) and errors of one kind of request."""

    def __init__(self) -> None:
        self.ms: list[float] = []
        self.refused: Counter[str] = Counter()  # what the errors were: status and message
        self.unconfirmed = 0  # 202: taken durably, but not confirmed within the command timeout

    @property
    def errors(self) -> int:
        return sum(self.refused.values())

    async def call(self, request: Call) -> httpx.Response:
        started = time.perf_counter()
        response = await request()
        self.ms.append((time.perf_counter() - started) * 1000)
        self.unconfirmed += response.status_code == 202
        if response.status_code >= 300:
            self.refused[f"{response.status_code} {response.text[:160]}"] += 1
        return response

    def tell(self, name: str) -> None:
        """Print what the errors were, if any (the table shows only how many)."""
        if self.unconfirmed:
            print(f"{name}: {self.unconfirmed} x 202 (not confirmed in time)", flush=True)  # noqa: T201
        for answer, times in self.refused.items():
            print(f"{name}: {times} x {answer}", flush=True)  # noqa: T201 (the bench's output)


async def run_all(calls: list[Call], timed: Timed, at_once: int) -> list[httpx.Response]:
    """Send the calls, `at_once` in flight at a time, each timed."""
    queue = list(reversed(calls))
    answers: list[httpx.Response] = []

    async def client_loop() -> None:
        while queue:
            answers.append(await timed.call(queue.pop()))

    await asyncio.gather(*(client_loop() for _ in range(at_once)))
    return answers


def _refer(midwife: httpx.AsyncClient) -> Call:
    key = {"Idempotency-Key": f"bench-{uuid.uuid4()}"}
    return lambda: midwife.post("/api/v1/referrals", json=referral_body(), headers=key)


def _screen(social: httpx.AsyncClient, woman: str) -> Call:
    return lambda: social.post(f"/api/v1/women/{woman}/screening", json=EARLY_HELP)


def _read(social: httpx.AsyncClient, woman: str) -> Call:
    return lambda: social.get(f"/api/v1/women/{woman}")


def _figures(name: str, alone: Timed, together: Timed) -> list[Figure]:
    alone.tell(f"{name}, one at a time")
    together.tell(f"{name}, {CONCURRENT} at once")
    return [
        Figure(f"{name}: p50, {CONCURRENT} at once", percentile(together.ms, 50), "ms",
               baseline=percentile(alone.ms, 50)),
        Figure(f"{name}: p95, {CONCURRENT} at once", percentile(together.ms, 95), "ms",
               baseline=percentile(alone.ms, 95), at_most=3),
        # Whether waits are shared out evenly: nobody's many times everyone else's.
        Figure(f"{name}: slowest, {CONCURRENT} at once", max(together.ms, default=0.0), "ms",
               baseline=max(alone.ms, default=0.0)),
        Figure(f"{name}: errors", alone.errors + together.errors, "", at_most=0),
    ]  # fmt: skip


async def concurrency(stack: Stack, count: int, database: str = "SQLite") -> list[Figure]:
    """Each kind of request, `count` one at a time, then `count` with 8 at once; one at a time,
    the CPU each request costs the web app, the worker and Temporal, counted until the work that
    follows its answer is done."""
    midwife = await signed_in(stack.url, "mia.midwife")
    social = await signed_in(stack.url, "sam.social")
    figures: list[Figure] = []
    women: list[list[str]] = []
    parts = Parts({name: find_part(stack.process.pid, word) for name, word in PARTS.items()})
    cpu: dict[str, dict[str, float]] = {}
    timings = {kind: (Timed(), Timed()) for kind in ("read", "refer", "screen")}
    for phase, at_once in enumerate((1, CONCURRENT)):
        costs = cpu if at_once == 1 else None  # what each kind costs each part, one at a time
        refer = [_refer(midwife) for _ in range(count)]
        refs = await _run(refer, timings["refer"][phase], at_once, parts, costs, "refer")
        women.append([r.json()["woman_id"] for r in refs if r.status_code in (201, 202)])
        reads = [_read(social, women[0][n % len(women[0])]) for n in range(count)]
        await _run(reads, timings["read"][phase], at_once, parts, costs, "read")
        screens = [_screen(social, w) for w in women[phase]]
        await _run(screens, timings["screen"][phase], at_once, parts, costs, "screen")
    labels = {"read": "GET her record", "refer": "POST referral", "screen": "POST screening"}
    for kind, (alone, together) in timings.items():
        figures += _cpu_figures(
            f"{labels[kind]} ({database})", cpu[kind], alone, stack.web_processes
        )
        figures += _figures(f"{labels[kind]} ({database})", alone, together)
    await midwife.aclose()
    await social.aclose()
    return figures


async def _run(
    calls: list[Call],
    timed: Timed,
    at_once: int,
    parts: Parts,
    costs: dict[str, dict[str, float]] | None,
    kind: str,
) -> list[httpx.Response]:
    """The calls, `at_once` in flight; given `costs`, also each part's CPU per call (ms) into
    `costs[kind]`, counted until the work that follows the answers is done."""
    before = parts.seconds()
    answers = await run_all(calls, timed, at_once)
    if costs is not None:
        await parts.settled()
        after = parts.seconds()
        costs[kind] = {name: (after[name] - before[name]) * 1000 / len(calls) for name in after}
    return answers


def _cpu_figures(
    name: str, cpu_ms: dict[str, float], alone: Timed, web_processes: int
) -> list[Figure]:
    """A request's CPU, against its time one at a time; and the least its mean can be with 8 at
    once, against its p95 one at a time: 8 requests' CPU shared by this machine's cores, or the
    web app's share by the cores its processes can use (one each). Where that floor is already
    above 3x, the target cannot be met on this machine, whatever the locks."""
    total = sum(cpu_ms.values())
    shares = ", ".join(f"{part} {ms:.1f}" for part, ms in cpu_ms.items())
    print(f"{name}: CPU per request, ms: {shares}", flush=True)  # noqa: T201 (the bench's output)
    floor = least_mean_ms(
        total, cpu_ms["web app"], at_once=CONCURRENT, cores=CORES, web_processes=web_processes
    )
    return [
        Figure(f"{name}: CPU per request (web app, worker, Temporal)", total, "ms",
               baseline=percentile(alone.ms, 50)),
        Figure(f"{name}: least mean {CONCURRENT} at once on {CORES} cores (vs p95 alone)",
               floor, "ms", baseline=percentile(alone.ms, 95)),
    ]  # fmt: skip


async def referral_rate(stack: Stack, count: int) -> list[Figure]:
    """Referrals per second against the one-activity workflow's, and one referral's events."""
    midwife = await signed_in(stack.url, "mia.midwife")
    timed = Timed()
    await run_all([_refer(midwife) for _ in range(10)], Timed(), RATE_IN_FLIGHT)  # warm up
    started = time.perf_counter()
    answers = await run_all([_refer(midwife) for _ in range(count)], timed, RATE_IN_FLIGHT)
    referrals = count / (time.perf_counter() - started)
    timed.tell("referrals, many in flight")
    await midwife.aclose()
    client = await Client.connect(stack.temporal_address)
    raw = await trivial.rate(client, count, RATE_IN_FLIGHT)
    events = await _events_to_confirm(client, answers[0].json()["woman_id"])
    return [
        Figure("referrals per second", referrals, "/s", baseline=raw, at_least=0.7),
        Figure("referral errors", timed.errors, "", at_most=0),
        Figure("referrals not confirmed in time (202)", timed.unconfirmed, ""),
        Figure("history events per referral", events, "events"),
    ]


async def _events_to_confirm(client: Client, woman: str) -> int:
    """Events in her pathway's history up to the referral's confirmation (the first Update)."""
    history = await client.get_workflow_handle(workflow_id(woman)).fetch_history()
    for number, event in enumerate(history.events, start=1):
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
            return number
    return len(history.events)


def measure(quick: bool, where: str) -> Callable[[Stack], Coroutine[Any, Any, list[Figure]]]:
    """On SQLite: the requests at once, and the referral rate."""

    async def run(stack: Stack) -> list[Figure]:
        figures = await concurrency(stack, 24 if quick else 100, where)
        return figures + await referral_rate(stack, 60 if quick else 300)

    return run


def figures(quick: bool, web_processes: int = 1) -> list[Figure]:
    """Start the service with state of its own, measure, stop it; then the requests at once
    again on PostgreSQL (a schema of its own), when one is reachable."""
    processes = "" if web_processes == 1 else f", {web_processes} web processes"
    with tempfile.TemporaryDirectory(prefix="waymark-bench-") as tmp:
        template = Path(tmp) / "migrated.db"
        upgrade(f"sqlite:///{template}")
        sqlite = Path(tmp) / "sqlite"
        found = _on_stack(sqlite, template, web_processes, measure(quick, f"SQLite{processes}"))
        if not postgres_reachable(POSTGRES_URL):
            print(f"api_load: PostgreSQL skipped, none at {POSTGRES_URL}", flush=True)  # noqa: T201
            return found
        with postgres_schema(POSTGRES_URL) as url:
            count, where = (24 if quick else 100), f"PostgreSQL{processes}"
            on_pg = _on_stack(
                Path(tmp) / "pg", url, web_processes, lambda s: concurrency(s, count, where)
            )
            return found + on_pg


def _on_stack(
    root: Path,
    database: Path | str,
    web_processes: int,
    run: Callable[[Stack], Coroutine[Any, Any, list[Figure]]],
) -> list[Figure]:
    stack = start_stack(root, database, web_processes)
    try:
        return asyncio.run(run(stack))
    finally:
        stop_stack(stack)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests (a shared machine)")
    parser.add_argument("--web-processes", type=int, default=1, help="web app processes")
    arguments = parser.parse_args()
    show(figures(arguments.quick, arguments.web_processes), "api_load")
