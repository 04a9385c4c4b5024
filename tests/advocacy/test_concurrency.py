"""Allocation under concurrency (OWASP ASVS V2.3.4): 50 women asked for at once, with fewer
places than women, on SQLite and PostgreSQL. No advocate over capacity, no woman with two open
allocations; the rest get "no advocate available" and an open escalation."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import pytest
from sqlalchemy import select

from activities.advocacy import AdvocacyActivities
from forms.advocacy import AllocateAdvocate, Offer
from tests.advocacy.support import AT, Sessions, allocations, make_woman, only_advocates, user_id
from waymark.db.models import Task

pytestmark = pytest.mark.usefixtures("demo")

CAPACITIES = {"ava.advocate": 7, "ben.advocate": 3, "nadia.advocate": 5}
WOMEN = 50
# Ten women are asked for twice at once (two requests racing for the same woman).
TWICE = 10


async def test_fifty_concurrent_allocations_never_overbook(sessions: Sessions) -> None:
    await only_advocates(sessions, CAPACITIES)
    women = [await make_woman(sessions) for _ in range(WOMEN)]
    requests = women + women[:TWICE]
    acts = AdvocacyActivities(sessions)
    offers: list[Offer] = await asyncio.gather(
        *(
            acts.allocate_advocate(
                AllocateAdvocate(
                    woman_id=woman,
                    request_id=uuid.uuid4(),
                    attempt=0,
                    after_removal=False,
                    window_hours=4,
                    at=AT,
                )
            )
            for woman in requests
        )
    )
    open_rows = [row for row in await allocations(sessions) if row.ended_at is None]
    per_advocate = Counter(row.advocate_user_id for row in open_rows)
    for username, capacity in CAPACITIES.items():
        assert per_advocate[await user_id(sessions, username)] == capacity
    per_woman = Counter(row.woman_id for row in open_rows)
    assert max(per_woman.values()) == 1
    assert len(open_rows) == sum(CAPACITIES.values())
    statuses = Counter(offer.status for offer in offers)
    assert statuses["offered"] == sum(CAPACITIES.values())
    assert statuses["none_available"] + statuses["already_open"] == len(requests) - len(open_rows)
    await _every_woman_without_one_is_escalated(sessions, set(women) - set(per_woman))


async def _every_woman_without_one_is_escalated(
    sessions: Sessions, waiting: set[uuid.UUID]
) -> None:
    lead = await user_id(sessions, "lee.lead")
    async with sessions() as session:
        tasks = list(
            await session.scalars(select(Task).where(Task.kind == "no_advocate_available"))
        )
    assert len(waiting) == WOMEN - sum(CAPACITIES.values())
    escalated = {t.woman_id for t in tasks if t.assignee_user_id == lead and t.status == "open"}
    assert escalated == waiting
