"""The overdue duties and the ledger of an area seeded in bulk (`tests.helpers.bulk`): on
PostgreSQL with more women in scope (each with her baby placed in care) than it allows
parameters in one statement (65,535); on SQLite with fewer (the paging is the same). Pages are
read through the register's indexes, with no list of all ids anywhere; paging to the end lists
every overdue duty exactly once and every woman in scope exactly once, the women owed something
overdue first; each page is one audit row naming whom it listed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.conftest import SignIn
from tests.helpers.bulk import TABLES, Population, Seeded, seed_async
from tests.helpers.planning import rows
from waymark.db.models import AuditEvent, Organisation
from waymark.db.session import transaction

Sessions = async_sessionmaker[AsyncSession]
# More women in scope than one PostgreSQL statement may name; SQLite has no such limit.
WOMEN = {"postgresql": 66_000, "sqlite": 3_000}


async def _seed(sessions: Sessions, backend: str) -> Seeded:
    async with transaction(sessions) as session:
        team = await session.scalar(
            select(Organisation.id).where(Organisation.code == "northmoor-csc")
        )
        assert team is not None
        population = Population(
            women=WOMEN[backend],
            area="northmoor",
            team=team,
            worker=None,
            now=datetime.now(UTC),
            removed_every=1,
            # Two duties each where it is quick; one each where it takes 66,000 women.
            owed=("contact", "advocate") if backend == "sqlite" else ("contact",),
        )
        seeded = await seed_async(session, population)
    async with sessions() as session:
        # What autovacuum does after a bulk load in production: the planner's statistics
        # (without them it guesses the freshly loaded tables empty and may scan them). Only the
        # tables loaded: the whole database holds other runs' schemas, being dropped meanwhile.
        for table in TABLES:
            await session.execute(text(f"ANALYZE {table}"))
        await session.commit()
    return seeded


async def test_paging_lists_every_overdue_duty_and_every_woman_exactly_once(
    sign_in: SignIn, sessions: Sessions, database_url: str
) -> None:
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    seeded = await _seed(sessions, backend)
    assert len(seeded.removed) > (65_535 if backend == "postgresql" else 0)
    lead = await sign_in("lee.lead")
    duties = await _every_page(lead, "/api/v1/duties/overdue", "duties", 200)
    assert len(duties) == len({d["id"] for d in duties})
    assert {uuid.UUID(d["id"]) for d in duties} == seeded.overdue
    dues = [d["due_at"] for d in duties]
    assert dues == sorted(dues)  # longest overdue first
    views = await rows(sessions, AuditEvent, action="view_duties")
    assert len(views) == -(-len(duties) // 200)  # one audit row a page, naming whom it listed
    assert sum(len(event.listed.split()) for event in views) == len(duties)
    # PostgreSQL: to the end of the women owed something overdue (the rest cost minutes).
    whole = backend == "sqlite"
    ledger = await _every_page(lead, "/api/v1/ledger", "rows", 500, whole=whole)
    _check_ledger(ledger, seeded, whole=whole)
    viewed = await rows(sessions, AuditEvent, action="view_ledger")
    assert sorted(len(event.listed.split()) for event in viewed) == sorted(
        len(ledger[start : start + 500]) for start in range(0, len(ledger), 500)
    )


def _check_ledger(ledger: list[dict[str, Any]], seeded: Seeded, *, whole: bool) -> None:
    """Every woman once (all of them, when paged to the end); those owed something overdue
    first, at their longest overdue duty; across her rows every overdue duty once."""
    assert len(ledger) == len({row["woman_id"] for row in ledger})
    women = {uuid.UUID(row["woman_id"]) for row in ledger}
    assert women == seeded.removed if whole else women <= seeded.removed
    late = [[_due(d) for d in row["duties"] if _due(d) <= seeded.now] for row in ledger]
    owing = [bool(dues) for dues in late]
    assert owing == sorted(owing, reverse=True)  # overdue women first, then the others
    assert not owing[-1]  # past the last woman owed something overdue
    first = [min(dues) for dues in late if dues]
    assert first == sorted(first)  # at her longest overdue duty
    listed = [uuid.UUID(d["id"]) for row in ledger for d in row["duties"] if _due(d) <= seeded.now]
    assert len(listed) == len(set(listed))
    assert set(listed) == seeded.overdue


def _due(duty: dict[str, Any]) -> datetime:
    """When an open duty listed is due (a paused one never counts as overdue)."""
    if duty["status"] != "open":
        return datetime.max.replace(tzinfo=UTC)
    return datetime.fromisoformat(duty["due_at"])


async def _every_page(
    lead: Any, path: str, key: str, limit: int, *, whole: bool = True
) -> list[dict[str, Any]]:
    """Page to the end following `next` (or, not `whole`, to the first page that ends with a
    woman owed nothing overdue)."""
    found: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        params: dict[str, Any] = {"limit": limit} | ({"after": after} if after else {})
        response = await lead.get(path, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        found += page[key]
        after = page["next"]
        if after is None or not (whole or _owes(found[-1])):
            return found


def _owes(row: dict[str, Any]) -> bool:
    """Her row lists a duty overdue now (the seeded ones not yet due are due hours away)."""
    return any(_due(duty) <= datetime.now(UTC) for duty in row["duties"])
