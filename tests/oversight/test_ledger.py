"""The ledger's rows: who is in it, what each row says after each kind of event, its order,
and one audit row per woman listed."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from forms.ledger import AdvocateStatus, BreachKind, Ledger
from tests.oversight.builders import (
    TODAY,
    add_deadline,
    allocate,
    check,
    make_woman,
    open_episode,
    open_task,
    sign_off,
)
from tests.support.planning import rows
from waymark.db.models import AuditEvent, Organisation
from waymark.db.session import transaction
from waymark.services.ledger import build_ledger

pytestmark = pytest.mark.usefixtures("demo")

Sessions = async_sessionmaker[AsyncSession]


async def _ledger(
    sessions: Sessions, area: str | None = "northmoor", team: uuid.UUID | None = None
) -> Ledger:
    async with transaction(sessions) as session:
        return await build_ledger(session, area=area, team=team, today=TODAY, actor=None)


async def test_a_row_names_her_advocate_episode_worker_contact_and_plan(
    sessions: Sessions,
) -> None:
    woman = await make_woman(sessions)
    await allocate(sessions, woman)
    episode = await open_episode(sessions, woman)
    await add_deadline(
        sessions, woman, "plan_housing", TODAY + timedelta(days=2), scope=f"support:{episode}"
    )
    await add_deadline(sessions, woman, "first_review", TODAY - timedelta(days=3))
    await add_deadline(sessions, woman, "minutes", TODAY - timedelta(days=9), status="missed")
    await add_deadline(sessions, woman, "core_group", TODAY - timedelta(days=9), status="met")
    await add_deadline(sessions, woman, "decision_letter", TODAY + timedelta(days=1))
    [row] = (await _ledger(sessions)).rows
    assert (row.woman_id, row.name) == (woman, "Jo Example")
    assert (row.advocate.status, row.advocate.name) == (AdvocateStatus.ALLOCATED, "Ava Lewis")
    assert row.advocate.since is not None
    assert row.episode is not None
    assert row.episode.status == "active"
    assert row.named_worker == "Sam Okafor"
    assert (row.last_contact_on, row.next_contact_due) == (
        TODAY - timedelta(days=2),
        TODAY + timedelta(days=5),
    )
    assert (row.contact_overdue, row.heightened_risk) == (False, True)
    referrals = {r.item: r.respond_by for r in row.open_referrals}
    assert referrals == {"housing": TODAY + timedelta(days=2), "peer_support": None}
    assert [(c.label, c.status) for c in row.overdue_clocks] == [
        ("Minutes", "missed"),
        ("First review", "pending"),
    ]
    assert row.breaches == []


async def test_rows_after_escalation_breach_and_signed_off_closure(sessions: Sessions) -> None:
    escalated = await make_woman(sessions, given="Ann")
    await open_episode(sessions, escalated)
    await open_task(sessions, escalated, "no_advocate_available")
    breached = await make_woman(sessions, given="Bea")
    await open_episode(sessions, breached)
    await check(sessions, breached)
    closed = await make_woman(sessions, given="Cat")
    await sign_off(sessions, await open_episode(sessions, closed))
    by_name = {row.name: row for row in (await _ledger(sessions)).rows}
    assert by_name["Ann Example"].advocate.status is AdvocateStatus.ESCALATED
    assert by_name["Ann Example"].breaches == []
    assert [b.kind for b in by_name["Bea Example"].breaches] == [BreachKind.ADVOCATE]
    episode = by_name["Cat Example"].episode
    assert episode is not None
    assert (episode.status, episode.closed_by, episode.handover_to) == (
        "closed",
        "Lee Morgan",
        "Eastshire team",
    )
    assert by_name["Cat Example"].next_contact_due is None


async def test_most_urgent_first(sessions: Sessions) -> None:
    calm = await make_woman(sessions, given="Amy")
    await allocate(sessions, calm)
    await open_episode(sessions, calm, heightened_risk_until=TODAY - timedelta(days=1))
    risk = await make_woman(sessions, given="Zoe")
    await allocate(sessions, risk)
    await open_episode(sessions, risk)
    overdue = await make_woman(sessions, given="Yas")
    await allocate(sessions, overdue)
    await open_episode(
        sessions,
        overdue,
        heightened_risk_until=TODAY - timedelta(days=1),
        next_contact_due=TODAY - timedelta(days=1),
    )
    breached = await make_woman(sessions, given="Xia")
    await open_episode(sessions, breached, heightened_risk_until=TODAY - timedelta(days=1))
    await check(sessions, breached)
    also_risk = await make_woman(sessions, given="Bel")
    await allocate(sessions, also_risk)
    await open_episode(sessions, also_risk)
    names = [row.name.split()[0] for row in (await _ledger(sessions)).rows]
    assert names == ["Xia", "Yas", "Bel", "Zoe", "Amy"]


async def test_the_ledger_is_of_one_area_and_optionally_one_team(sessions: Sessions) -> None:
    here = await make_woman(sessions)
    await make_woman(sessions, given="Isla", team="glenbrae-sw")
    await make_woman(sessions, given="Never", removed=False)
    assert [row.woman_id for row in (await _ledger(sessions)).rows] == [here]
    assert len((await _ledger(sessions, area=None)).rows) == 2
    async with sessions() as session:
        glenbrae = await session.scalar(
            select(Organisation.id).where(Organisation.code == "glenbrae-sw")
        )
    assert (await _ledger(sessions, team=glenbrae)).rows == []


async def test_each_woman_listed_is_an_audited_view(sessions: Sessions) -> None:
    first, second = await make_woman(sessions), await make_woman(sessions, given="Ann")
    await _ledger(sessions)
    viewed = await rows(sessions, AuditEvent, action="view_ledger")
    assert sorted(event.record_id for event in viewed) == sorted([str(first), str(second)])
