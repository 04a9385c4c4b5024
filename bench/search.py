"""Search latency at scale: 100,000 women on SQLite and on PostgreSQL.

Each backend gets a fresh migrated database with the demo people and N women (realistic names
with accents and hyphens, dates of birth, NHS numbers). Then a mix of searches — family name,
given and family name typed another way, NHS number, date of birth, name with date of birth —
runs through `services.search.search_women` exactly as the API calls it (the record
policy, the `searches` row and the search's one audit row, one committed transaction each),
for a safeguarding lead (her whole area: the widest policy) and a social worker (her team).
The baseline, in the same run, is opening one record by id through the same policy.

    .venv/bin/python -m bench.search [--women 100000] [--searches 300] [--backend sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from bench.table import Figure, show  # noqa: E402
from forms.names import search_key  # noqa: E402
from forms.search import SearchQuery  # noqa: E402
from services.search import search_women  # noqa: E402
from tests.helpers.processes import postgres_schema  # noqa: E402
from tests.helpers.referrals import fresh_nhs_number  # noqa: E402
from waymark.db.migrate import upgrade  # noqa: E402
from waymark.db.models import Organisation, User, Woman  # noqa: E402
from waymark.db.session import make_engine, make_sessionmaker, transaction  # noqa: E402
from waymark.demo import seed_demo_data  # noqa: E402
from waymark.security.policy import visible_woman  # noqa: E402
from waymark.security.principal import Principal, principal_of  # noqa: E402
from waymark.settings import async_url, sync_url  # noqa: E402

POSTGRES_URL = os.environ.get(
    "WAYMARK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
GIVEN = ["Zoë", "Aoife", "Siobhán", "Jane", "Mary-Ann", "Priya", "Chloé", "Amira", "Ewa", "Kirsty"]
STEMS = ["Smith", "Jones", "O'Brien", "MacLeod", "Nowak", "Begum", "Kelly", "Brown", "Évans"]
ENDINGS = ["", "son", "-Hale", "-Lowe", "ton", "well", "ridge", "-Ní Dhuibhir", "by", "man"]


TARGET_MS = 100  # issue 15: search p95 at 100,000 women
KINDS = ["family name", "given and family name", "NHS number", "date of birth", "name + birth"]


def people(n: int, seed: int = 15) -> list[dict[str, Any]]:
    """N women's identifying fields: ~90 family names x 10 given names x thousands of birthdays."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        given = rnd.choice(GIVEN)
        family = f"{rnd.choice(STEMS)}{rnd.choice(ENDINGS)}{'' if i % 7 else rnd.choice('ABC')}"
        born = date(1975, 1, 1) + timedelta(days=rnd.randrange(365 * 30))
        rows.append({"given_name": given, "family_name": family, "date_of_birth": born})
    return rows


def load(url: str, n: int) -> None:
    """Bulk-insert N women into the Northmoor team (the widest case for its lead)."""
    engine = create_engine(sync_url(url))
    with engine.begin() as conn:
        team = conn.scalar(select(Organisation.id).where(Organisation.code == "northmoor-csc"))
        batch = []
        for p in people(n):
            batch.append(
                p
                | {
                    "id": uuid.uuid4(),
                    "area_code": "northmoor",
                    "team_id": team,
                    "search_key": search_key(p["family_name"], p["given_name"]),
                    "nhs_number": fresh_nhs_number(),
                    "address": {"line1": "1 High Street", "postcode": "NM1 1AA"},
                    "contact": {},
                    "edd": date(2027, 6, 1),
                    "stage": "screening",
                    "mother_only": False,
                }
            )
            if len(batch) == 5_000:
                conn.execute(insert(Woman), batch)
                batch = []
        if batch:
            conn.execute(insert(Woman), batch)
    if engine.dialect.name == "postgresql":
        # What autovacuum does after a bulk load in production: the planner's statistics.
        with engine.begin() as conn:
            conn.execute(text("ANALYZE women"))
    engine.dispose()


async def principal(sessions: Any, username: str) -> Principal:
    async with sessions() as session:
        user = await session.scalar(select(User).where(User.username == username))
        return await principal_of(session, user, "bench")


def queries(url: str, count: int) -> list[SearchQuery]:
    """A realistic mix, from women known to be on record."""
    engine = create_engine(sync_url(url))
    with engine.connect() as conn:
        sample = conn.execute(
            select(Woman.given_name, Woman.family_name, Woman.date_of_birth, Woman.nhs_number)
            .order_by(Woman.id)
            .limit(count)
        ).all()
    engine.dispose()
    mix: list[SearchQuery] = []
    for i, (given, family, born, nhs) in enumerate(sample):
        typed = family.upper().replace("-", " ")
        kind = i % len(KINDS)
        mix.append(
            SearchQuery(name=family)
            if kind == 0
            else SearchQuery(name=f"{given.lower()} {typed}")
            if kind == 1
            else SearchQuery(number=nhs)
            if kind == 2
            else SearchQuery(date_of_birth=born)
            if kind == 3
            else SearchQuery(name=typed, date_of_birth=born)
        )
    return mix


def summary(label: str, times: list[float]) -> str:
    return (
        f"{label:<34} n={len(times):<4} p50={statistics.median(times):6.1f} ms  "
        f"p95={p95(times):6.1f} ms  max={max(times):6.1f} ms"
    )


async def measure(url: str, n: int, count: int, backend: str) -> list[Figure]:
    """Seed, search as a lead and as a social worker, and open records by id (the baseline)."""
    found: list[Figure] = []
    started = time.perf_counter()
    await seed_demo_data(async_url(url))
    load(url, n)
    say(f"[{backend}] {n} women loaded in {time.perf_counter() - started:.1f} s")
    engine = make_engine(async_url(url))
    sessions = make_sessionmaker(engine)
    mix = queries(url, count)
    ids = [w for (w,) in await _ids(sessions, count)]
    for username in ("lee.lead", "sam.social"):
        who = await principal(sessions, username)
        searches, results = await search_as(sessions, who, mix)
        opens = await open_as(sessions, who, ids)
        say(f"[{backend}] {summary(f'search as {username}', searches)}  results={results}")
        for kind, label in enumerate(KINDS):
            say(f"[{backend}]   {summary(label, searches[kind :: len(KINDS)])}")
        say(f"[{backend}] {summary(f'baseline: open by id as {username}', opens)}")
        ratio = p95(searches) / p95(opens)
        say(f"[{backend}] search p95 / baseline p95 = {ratio:.1f}")
        name = f"search p95, {n:,} women, {backend}, {username}"
        found.append(Figure(name, p95(searches), "ms", at_most=TARGET_MS))
    await engine.dispose()
    return found


def run(n: int, count: int, backend: str) -> list[Figure]:
    found: list[Figure] = []
    if backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            upgrade(url)
            found += asyncio.run(measure(url, n, count, "sqlite"))
    if backend in ("postgresql", "both"):
        with postgres_schema(POSTGRES_URL) as url:
            found += asyncio.run(measure(url, n, count, "postgresql"))
    return found


def figures(quick: bool) -> list[Figure]:
    """For `make bench`: 100,000 women on both backends (10,000 when quick)."""
    return run(10_000 if quick else 100_000, 100 if quick else 300, "both")


async def search_as(
    sessions: Any, who: Principal, mix: list[SearchQuery]
) -> tuple[list[float], int]:
    """Each search in its own committed transaction, as a request makes it."""
    times: list[float] = []
    results = 0
    for query in mix:
        started = time.perf_counter()
        async with transaction(sessions) as session:
            results += len((await search_women(session, who, query)).results)
        times.append((time.perf_counter() - started) * 1000)
    return times, results


async def open_as(sessions: Any, who: Principal, ids: list[uuid.UUID]) -> list[float]:
    times: list[float] = []
    for woman_id in ids:
        started = time.perf_counter()
        async with transaction(sessions) as session:
            await visible_woman(session, who, woman_id, action="view_woman")
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[18]


def say(line: str) -> None:
    print(line, flush=True)  # noqa: T201 (the script's output)


async def _ids(sessions: Any, count: int) -> Any:
    async with sessions() as session:
        return (await session.execute(select(Woman.id).order_by(Woman.id).limit(count))).all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--women", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    show(run(args.women, args.searches, args.backend), "search")


if __name__ == "__main__":
    main()
