"""The overdue duties and the ledger of an area with more women in scope (each with her baby
placed in care) than PostgreSQL allows parameters in one statement (65,535), seeded in bulk:
pages are read through the register's indexes, with no list of all ids anywhere, and each
page is one audit row."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.conftest import SignIn
from tests.support.planning import rows
from waymark.db.models import AuditEvent, Baby, Duty, Organisation, Woman
from waymark.db.session import transaction

Sessions = async_sessionmaker[AsyncSession]
WOMEN = 66_000
BATCH = 5_000
NOW = datetime.now(UTC)


async def _seed(sessions: Sessions) -> None:
    async with transaction(sessions) as session:
        team = await session.scalar(
            select(Organisation.id).where(Organisation.code == "northmoor-csc")
        )
        assert team is not None
        for start in range(0, WOMEN, BATCH):
            ids = [uuid.uuid4() for _ in range(start, min(start + BATCH, WOMEN))]
            await session.execute(insert(Woman), [_woman(i, team) for i in ids])
            await session.execute(insert(Baby), [_baby(i) for i in ids])
            await session.execute(
                insert(Duty), [_duty(n + start, i, team) for n, i in enumerate(ids)]
            )
    async with sessions() as session:
        # What autovacuum does after a bulk load in production: the planner's statistics
        # (without them it guesses the freshly loaded tables empty and may scan them).
        await session.execute(text("ANALYZE"))
        await session.commit()


def _woman(ident: uuid.UUID, team: uuid.UUID) -> dict[str, object]:
    return {
        "id": ident,
        "area_code": "northmoor",
        "team_id": team,
        "given_name": "Test",
        "family_name": "Woman",
        "date_of_birth": date(1995, 5, 1),
        "address": {},
        "contact": {},
        "edd": date(2026, 6, 1),
        "stage": "baby_in_care",
        "created_at": NOW,
        "updated_at": NOW,
    }


def _baby(woman: uuid.UUID) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "woman_id": woman,
        "number": 1,
        "born_at": NOW - timedelta(days=40),
        "location": "hospital",
        "placement": "care",
        "observe_until": date(2026, 6, 1),
        "created_at": NOW,
        "updated_at": NOW,
    }


def _duty(n: int, woman: uuid.UUID, team: uuid.UUID) -> dict[str, object]:
    due = NOW - timedelta(hours=1 + n % 500)
    return {
        "id": uuid.uuid4(),
        "key": f"scale:{woman}:contact",
        "woman_id": woman,
        "area_code": "northmoor",
        "kind": "contact",
        "label": "A contact with her",
        "owed_by_organisation_id": team,
        "opened_at": due - timedelta(days=7),
        "due_at": due,
        "status": "open" if n % 10 else "met",
        "escalation_level": 0,
        "next_escalation_at": NOW + timedelta(days=1) if n % 3 else None,
        "created_at": NOW,
        "updated_at": NOW,
    }


async def test_overdue_duties_and_ledger_of_more_women_than_one_statement_may_name(
    sign_in: SignIn, sessions: Sessions, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the 65,535-parameter limit is PostgreSQL's; seeding costs a minute")
    started = time.monotonic()
    await _seed(sessions)
    seeded = time.monotonic()
    lead = await sign_in("lee.lead")
    first = await lead.get("/api/v1/duties/overdue", params={"limit": 200})
    assert first.status_code == 200, first.text
    page = first.json()
    assert len(page["duties"]) == 200
    dues = [d["due_at"] for d in page["duties"]]
    assert dues == sorted(dues)  # longest overdue first
    second = await lead.get("/api/v1/duties/overdue", params={"limit": 200, "after": page["next"]})
    later = second.json()["duties"]
    assert later[0]["due_at"] >= dues[-1]
    assert not {d["id"] for d in later} & {d["id"] for d in page["duties"]}
    assert len(await rows(sessions, AuditEvent, action="view_duties")) == 2
    await _two_ledger_pages(lead, sessions)
    # Seeding is the cost; the four pages are not (a loose bound on a shared machine).
    assert time.monotonic() - seeded < (seeded - started) / 4


async def _two_ledger_pages(lead: Any, sessions: Sessions) -> None:
    """The ledger: women at their longest overdue duty first, 200 a page, one audit row each."""
    first = await lead.get("/api/v1/ledger", params={"limit": 200})
    assert first.status_code == 200, first.text
    page = first.json()
    assert len(page["rows"]) == 200
    dues = [row["duties"][0]["due_at"] for row in page["rows"]]
    assert dues == sorted(dues)
    assert all(row["duties"][0]["status"] == "open" for row in page["rows"])
    second = await lead.get("/api/v1/ledger", params={"limit": 200, "after": page["next"]})
    later = second.json()["rows"]
    assert len(later) == 200
    assert later[0]["duties"][0]["due_at"] >= dues[-1]
    assert not {r["woman_id"] for r in later} & {r["woman_id"] for r in page["rows"]}
    viewed = await rows(sessions, AuditEvent, action="view_ledger")
    assert [len(event.listed.split()) for event in viewed] == [200, 200]
