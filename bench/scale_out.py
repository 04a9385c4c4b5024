"""Referral rate with one worker and with two, in the same run.

Real processes, as production runs them: a Temporal dev server, two `waymark web` processes and
`waymark worker` processes on one PostgreSQL schema of their own. Referrals go through both web
processes (each a new woman, confirmed by her pathway) at a fixed concurrency; the rate is
confirmed referrals per second. The same load runs with one worker, then again after a second
worker has joined; rounds repeat that pair. Also reports each process's peak memory and the web
processes' and the first worker's CPU per referral (the worker's while it works alone), which
size the Kubernetes resource requests (deploy/kubernetes).

    .venv/bin/python -m bench.scale_out [--referrals 80] [--concurrency 10] [--rounds 2] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

from bench.table import Figure, show  # noqa: E402
from tests.e2e.load import signed_in  # noqa: E402
from tests.helpers.processes import Cluster, Process, cluster, postgres_schema  # noqa: E402
from tests.helpers.referrals import referral_body  # noqa: E402
from waymark.demo import seed_demo_data  # noqa: E402
from waymark.settings import async_url, sync_url  # noqa: E402

POSTGRES_URL = os.environ.get(
    "WAYMARK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
TICKS = os.sysconf("SC_CLK_TCK")


async def referral_rate(clients: list[httpx.AsyncClient], count: int, concurrency: int) -> float:
    """Confirmed referrals per second; every referral must be confirmed (201)."""
    limit = asyncio.Semaphore(concurrency)

    async def one(number: int) -> None:
        async with limit:
            response = await clients[number % len(clients)].post(
                "/api/v1/referrals",
                json=referral_body(),
                headers={"Idempotency-Key": f"bench-{uuid.uuid4()}"},
            )
        if response.status_code != 201:
            raise RuntimeError(f"a referral was answered {response.status_code}: {response.text}")

    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(count)))
    return count / (time.perf_counter() - started)


def cpu_seconds(process: Process) -> float:
    fields = Path(f"/proc/{process.popen.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def peak_rss_mib(process: Process) -> float:
    for line in Path(f"/proc/{process.popen.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


async def measure(running: Cluster, count: int, concurrency: int, rounds: int) -> list[Figure]:
    """Rounds of (one worker, then two), so that drift in the machine's load hits both."""
    webs = [running.start_web(), running.start_web()]
    first = running.start_worker()
    await seed_demo_data(async_url(running.database_url))
    running.wait_healthy(*webs, first)
    clients = [await signed_in(web.url or "", "mia.midwife") for web in webs]
    await referral_rate(clients, 10, concurrency)  # warm-up
    rates: dict[int, list[float]] = {1: [], 2: []}
    before = {p.name: cpu_seconds(p) for p in webs}
    alone = 0.0  # the first worker's CPU while it is the only one
    for _ in range(rounds):
        started = cpu_seconds(first)
        rates[1].append(await referral_rate(clients, count, concurrency))
        alone += cpu_seconds(first) - started
        second = running.start_worker()
        running.wait_healthy(second)
        rates[2].append(await referral_rate(clients, count, concurrency))
        peaks = {p.name: peak_rss_mib(p) for p in [*webs, first, second]}
        second.stop()
    used = {p.name: (cpu_seconds(p) - before[p.name]) / (2 * count * rounds) for p in webs}
    used[first.name] = alone / (count * rounds)
    for client in clients:
        await client.aclose()
    _report(count, concurrency, rates, used, peaks)
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    return [Figure("referrals per second, two workers (PostgreSQL)", two, "/s", baseline=one)]


def _report(
    count: int,
    concurrency: int,
    rates: dict[int, list[float]],
    cpu: dict[str, float],
    peaks: dict[str, float],
) -> None:
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    lines = [
        f"referrals: {count} per run, {concurrency} in flight, through 2 web processes",
        f"one worker:  {one:.1f} referrals/s (runs: {', '.join(f'{r:.1f}' for r in rates[1])})",
        f"two workers: {two:.1f} referrals/s (runs: {', '.join(f'{r:.1f}' for r in rates[2])})",
        f"ratio two/one: {two / one:.2f}",
        *(f"{name}: cpu {seconds * 1000:.1f} ms per referral" for name, seconds in cpu.items()),
        *(f"{name}: peak rss {mib:.0f} MiB" for name, mib in peaks.items()),
    ]
    print("\n".join(lines), flush=True)  # noqa: T201 (the benchmark's output)


def figures(
    quick: bool, referrals: int = 80, concurrency: int = 10, rounds: int = 2
) -> list[Figure]:
    """The rate with two workers against one; nothing when PostgreSQL is not reachable."""
    if quick:
        referrals, rounds = 30, 1
    if not postgres_reachable(POSTGRES_URL):
        print(f"scale_out: skipped, no PostgreSQL at {POSTGRES_URL}", flush=True)  # noqa: T201
        return []
    with (
        tempfile.TemporaryDirectory() as tmp,
        postgres_schema(POSTGRES_URL) as url,
        cluster(Path(tmp), url) as running,
    ):
        return asyncio.run(measure(running, referrals, concurrency, rounds))


def postgres_reachable(url: str) -> bool:
    try:
        create_engine(sync_url(url), connect_args={"connect_timeout": 3}).connect().close()
    except OperationalError:
        return False
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=80)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="30 referrals, one round")
    args = parser.parse_args(argv)
    found = figures(args.quick, args.referrals, args.concurrency, args.rounds)
    show(found, "scale_out")


if __name__ == "__main__":
    main()
