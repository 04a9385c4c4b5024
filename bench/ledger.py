"""The ledger at national scale: 10,000 and 100,000 women on SQLite and on PostgreSQL.

Each backend gets a fresh migrated database with the demo people and N Northmoor women seeded
in bulk by `tests.helpers.bulk` (as the scale test seeds them): about 10% with a baby placed in
care (each with her named-worker, advocate and contact duties), every woman with a conference
duty; duties a mix of met (60%), open and not yet due (25%), overdue and chased by an
escalation (10%) and dropped (5%). Then the lead's first ledger page (`GET /lead`) and
`GET /api/v1/ledger` (50 women, then the next page), through the app in-process, with p50/p95,
each against the baseline read in turn with them: one woman's record by id
(`GET /api/v1/women/{id}`), whose cost does not depend on N. And a write (a duty re-dated)
made by another process while a ledger page is being read, in turn with the same write
made alone.

    .venv/bin/python -m bench.ledger [--women 10000 100000] [--reads 60]
        [--backend sqlite|postgresql|both] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from sqlalchemy import Engine, create_engine, select, text, update  # noqa: E402

from api.app import create_app  # noqa: E402
from bench.table import Figure, percentile, show  # noqa: E402
from tests.conftest import TEST_KEY, TEST_KEY_ID  # noqa: E402
from tests.helpers.bulk import Population, seed  # noqa: E402
from tests.helpers.processes import postgres_schema  # noqa: E402
from tests.pages.browser import Browser  # noqa: E402
from waymark.db.migrate import upgrade  # noqa: E402
from waymark.db.models import Duty, Organisation, User  # noqa: E402
from waymark.demo import DEMO_PASSWORD, seed_demo_data  # noqa: E402
from waymark.settings import Settings, async_url, sync_url  # noqa: E402

POSTGRES = os.environ.get("WAYMARK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
NOW = datetime.now(UTC)


def load(url: str, n: int) -> None:
    """Bulk-insert N women, their babies in care and their duties; then the statistics."""
    engine = create_engine(sync_url(url))
    with engine.begin() as conn:
        team = conn.scalar(select(Organisation.id).where(Organisation.code == "northmoor-csc"))
        worker = conn.scalar(select(User.id).where(User.username == "sam.social"))
        assert team is not None, "seed the demo people first"
        seed(conn, Population(women=n, area="northmoor", team=team, worker=worker, now=NOW))
    with engine.begin() as conn:
        # What autovacuum does after a bulk load in production: the planner's statistics.
        conn.execute(text("ANALYZE"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--women", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--reads", type=int, default=60)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres", default=POSTGRES, help="a server to make schemas in")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # a line a request would drown the figures
    figures: list[Figure] = []
    for n in args.women:
        figures += run(n, args.reads, args.backend, args.postgres)
    show(figures, "ledger")


def run(n: int, reads: int, backend: str, postgres: str = POSTGRES) -> list[Figure]:
    figures: list[Figure] = []
    if backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            upgrade(url)
            figures += asyncio.run(measure(url, n, reads, "sqlite", Path(tmp)))
    if backend in ("postgresql", "both"):
        with postgres_schema(postgres) as url, tempfile.TemporaryDirectory() as tmp:
            figures += asyncio.run(measure(url, n, reads, "postgresql", Path(tmp)))
    return figures


def figures(quick: bool) -> list[Figure]:
    """For `make bench`: 10,000 women (and 100,000 unless quick) on both backends."""
    sizes = [10_000] if quick else [10_000, 100_000]
    return [f for n in sizes for f in run(n, 30 if quick else 60, "both")]


async def measure(url: str, n: int, reads: int, backend: str, state: Path) -> list[Figure]:
    """Seed, then time the page, the API's two pages, the baseline and a write during reads."""
    await seed_demo_data(async_url(url))
    started = time.perf_counter()
    load(url, n)
    say(f"[{backend}] {n} women seeded in {time.perf_counter() - started:.0f} s")
    settings = Settings(
        environment="test",
        state_dir=state,
        database_url=url,
        codec_keys={TEST_KEY_ID: TEST_KEY},
        codec_current_key_id=TEST_KEY_ID,
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
    ):
        lead = await signed_in(client, "lee.lead")
        one = (await lead.get("/api/v1/ledger", params={"limit": 1})).json()["rows"][0]
        times = await timed(lead, reads, page="/lead", api="/api/v1/ledger", one=one["woman_id"])
        alone, during = await write_delay(url, lead, reads)
    tag = f"{backend}, {n:,} women"
    for label, samples in times.items():
        say(f"[{backend}] {label}: p50 {p(samples, 50):.1f} ms, p95 {p(samples, 95):.1f} ms")
    say(f"[{backend}] a write: p95 {p(alone, 95):.1f} ms alone, {p(during, 95):.1f} ms during")
    baseline = p(times["baseline"], 95)
    return [
        Figure(f"ledger page p95 ({tag})", p(times["page"], 95), "ms", at_most=50),
        Figure(f"GET /api/v1/ledger p95 ({tag})", p(times["api"], 95), "ms", at_most=50),
        Figure(f"GET /api/v1/ledger p50 ({tag})", p(times["api"], 50), "ms"),
        Figure(f"a page 4,000 women in, p95 ({tag})", p(times["deep"], 95), "ms", at_most=50),
        Figure(f"ledger page p95 vs her record ({tag})", p(times["page"], 95), "ms", baseline),
        Figure(
            f"GET /api/v1/ledger p95 vs her record ({tag})", p(times["api"], 95), "ms", baseline
        ),
        Figure(
            f"a page 4,000 women in vs her record ({tag})", p(times["deep"], 95), "ms", baseline
        ),
        Figure(
            f"write during ledger reads, p95 vs alone ({tag})",
            p(during, 95),
            "ms",
            p(alone, 95),
        ),
        Figure(
            f"write delayed by ledger reads, p95 ({tag})",
            p(during, 95) - p(alone, 95),
            "ms",
            at_most=50,
        ),
    ]


async def signed_in(client: httpx.AsyncClient, username: str) -> httpx.AsyncClient:
    """A client with the bearer token (API) and the session cookie (pages) of a demo user."""
    token = await client.post(
        "/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD}
    )
    browser = Browser(client)
    await browser.sign_in(username, DEMO_PASSWORD)
    browser.client.headers["authorization"] = f"Bearer {token.json()['access_token']}"
    return browser.client


async def timed(
    client: httpx.AsyncClient, reads: int, *, page: str, api: str, one: str
) -> dict[str, list[float]]:
    """The lead's page, the API's page, a page deep in the ledger and the baseline (her
    record) in turn, each request timed by itself after one warm-up, so the machine's load
    falls on all alike; the API's first and next pages alternate, as a lead pages."""
    paths = {"page": page, "api": api, "deep": api, "baseline": f"/api/v1/women/{one}"}
    for path in paths.values():
        assert (await client.get(path)).status_code == 200, path
    following = (await client.get(api)).json()["next"]
    deep = await deep_cursor(client, api)
    times: dict[str, list[float]] = {name: [] for name in paths}
    for i in range(reads):
        for name, path in paths.items():
            params = {"after": following} if name == "api" and following and i % 2 else {}
            params = ({"after": deep} if deep else {}) if name == "deep" else params
            started = clock()
            response = await client.get(path, params=params)
            times[name].append(clock() - started)
            assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return times


async def deep_cursor(client: httpx.AsyncClient, api: str) -> str:
    """Where a page 4,000 women into the ledger starts (or its last page, when shorter)."""
    cursor = ""
    for _ in range(8):
        following = (
            await client.get(
                api, params={"limit": 500, "after": cursor} if cursor else {"limit": 500}
            )
        ).json()["next"]
        if following is None:
            return cursor
        cursor = following
    return cursor


async def write_delay(
    url: str, lead: httpx.AsyncClient, reads: int
) -> tuple[list[float], list[float]]:
    """A duty re-dated by another process (as a worker writes, on its own connection), alone
    and while a ledger page is being read, in turn; each write timed in that process."""
    engine = create_engine(sync_url(url))
    with engine.connect() as conn:
        query = select(Duty.key).where(Duty.status == "open").limit(2 * reads)
        keys = list(conn.scalars(query))
    engine.dispose()
    loop = asyncio.get_running_loop()
    alone: list[float] = []
    during: list[float] = []
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as writer:
        await loop.run_in_executor(writer, write_once, url, keys[0])  # connected, warm
        for first, second in zip(keys[::2], keys[1::2], strict=False):
            alone.append(await loop.run_in_executor(writer, write_once, url, first))
            reading = asyncio.create_task(lead.get("/api/v1/ledger"))
            await asyncio.sleep(0.002)  # the read under way
            during.append(await loop.run_in_executor(writer, write_once, url, second))
            await reading
    return alone, during


_writer: dict[str, Engine] = {}


def write_once(url: str, key: str) -> float:
    """In the writer process: one short write transaction on its own connection."""
    engine = _writer.get(url)
    if engine is None:
        options = {"timeout": 15} if url.startswith("sqlite") else {}
        engine = _writer[url] = create_engine(sync_url(url), connect_args=options)
    started = clock()
    with engine.begin() as conn:
        due = NOW + timedelta(days=3)
        conn.execute(update(Duty).where(Duty.key == key).values(due_at=due, updated_at=NOW))
    return clock() - started


def p(samples: list[float], q: int) -> float:
    return percentile(samples, q)


def clock() -> float:
    return time.perf_counter() * 1000


def say(line: str) -> None:
    print(line, flush=True)  # noqa: T201 (the script's output)


if __name__ == "__main__":
    main()
