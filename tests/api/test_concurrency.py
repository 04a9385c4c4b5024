"""Eight people at once through the API, on SQLite and PostgreSQL: referrals, reads of her record
(each audited: a short write after the read) and screening decisions, while the worker writes
too. No 5xx (no "database is locked"), no audit row lost, no decision applied twice.
Correctness only: the figures are bench/api_load.py's."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.conftest import SignIn
from tests.helpers.api import audit_rows, make_referral
from waymark.db.models import TimelineEvent

CLIENTS = 8
WOMEN = 4  # two clients send each woman the same decision at once
READS_EACH = 6
EARLY_HELP = {"decision": "early_help", "reason": "Support from the family hub"}


async def _one_person(
    client: httpx.AsyncClient, women: list[str], number: int
) -> tuple[list[httpx.Response], httpx.Response]:
    """Read several women's records, then send one woman a screening decision."""
    reads = [
        await client.get(f"/api/v1/women/{women[(number + k) % len(women)]}")
        for k in range(READS_EACH)
    ]
    decided = await client.post(
        f"/api/v1/women/{women[number % len(women)]}/screening", json=EARLY_HELP
    )
    return reads, decided


async def _screenings(sessions: async_sessionmaker[AsyncSession], woman: str) -> int:
    async with sessions() as session:
        found = await session.scalar(
            select(func.count())
            .select_from(TimelineEvent)
            .where(
                TimelineEvent.woman_id == uuid.UUID(woman),
                TimelineEvent.kind == "screening_decision",
            )
        )
    return int(found or 0)


async def test_eight_at_once_lose_no_write_and_do_nothing_twice(
    sign_in: SignIn, sessions: async_sessionmaker[AsyncSession]
) -> None:
    midwife = await sign_in("mia.midwife")
    women = list(await asyncio.gather(*(make_referral(midwife) for _ in range(WOMEN))))
    people = [await sign_in("sam.social") for _ in range(CLIENTS)]
    done = await asyncio.gather(*(_one_person(p, women, n) for n, p in enumerate(people)))

    reads = [r for person_reads, _ in done for r in person_reads]
    assert [r.status_code for r in reads] == [200] * len(reads), [r.text for r in reads]
    by_woman: dict[str, list[int]] = {}
    for number, (_, decided) in enumerate(done):
        assert decided.status_code in (200, 409), decided.text
        by_woman.setdefault(women[number % WOMEN], []).append(decided.status_code)
    # Of two equal decisions sent together, one is applied and one refused, never both.
    assert all(sorted(codes) == [200, 409] for codes in by_woman.values()), by_woman
    for woman in women:
        assert await _screenings(sessions, woman) == 1
    views = await audit_rows(sessions, action="view_woman")
    assert len(views) == len(reads)  # every read on the audit trail, none lost, none twice
