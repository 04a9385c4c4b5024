"""The ledger's rows: who is in it, what each row says after each kind of event, its order,
paging without repeat or gap, and one audit row per page naming whom it listed."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from forms.ledger import AdvocateStatus, BreachKind, Ledger
from services.audit_trail import verify_chain, who_viewed
from services.ledger import build_ledger
from tests.helpers.planning import rows
from tests.oversight.builders import (
    NOON,
    TODAY,
    add_deadline,
    allocate,
    check,
    make_woman,
    open_episode,
    open_task,
    owe,
    sign_off,
)
from waymark.db.models import AuditEvent, Organisation
from waymark.db.session import transaction
from waymark.errors import Invalid

HOUR = timedelta(hours=1)

pytestmark = pytest.mark.usefixtures("demo")

Sessions = async_sessionmaker[AsyncSession]


async def _ledger(
    sessions: Sessions,
    area: str | None = "northmoor",
    team: uuid.UUID | None = None,
    **paging: Any,
) -> Ledger:
    async with transaction(sessions) as session:
        return await build_ledger(
            session, area=area, team=team, today=TODAY, actor=None, now=NOON, **paging
        )


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


async def test_women_owed_something_overdue_first_longest_overdue_first(
    sessions: Sessions,
) -> None:
    calm = await make_woman(sessions, given="Amy")
    await owe(sessions, calm, "review", NOON + timedelta(days=3))  # not yet due
    chased = await make_woman(sessions, given="Zoe")
    await owe(sessions, chased, "advocate", NOON - timedelta(days=1), chased_until=NOON + HOUR)
    dropped = await make_woman(sessions, given="Yas")
    await owe(sessions, dropped, "contact", NOON - timedelta(days=5))
    # Two overdue duties: she is listed once, at the longer overdue one.
    await owe(sessions, dropped, "named_worker", NOON - timedelta(days=2))
    other = await make_woman(sessions, given="Bel")
    ledger = await _ledger(sessions)
    names = [row.name.split()[0] for row in ledger.rows]
    assert names[:2] == ["Yas", "Zoe"]
    assert sorted(names[2:]) == ["Amy", "Bel"]
    assert [r.woman_id for r in ledger.rows[2:]] == sorted([calm, other])
    yas, zoe = ledger.rows[0], ledger.rows[1]
    assert [(d.kind, d.owed_by, d.dropped) for d in yas.duties] == [
        ("contact", "Sam Okafor", True),
        ("named_worker", "Sam Okafor", True),
    ]
    assert [(d.kind, d.dropped, d.next_escalation_at) for d in zoe.duties] == [
        ("advocate", False, NOON + HOUR)
    ]
    assert ledger.next is None


async def test_pages_follow_each_other_without_repeat_or_gap(sessions: Sessions) -> None:
    women = []
    for n in range(7):
        woman = await make_woman(sessions, given=f"W{n}")
        if n % 2:
            await owe(sessions, woman, "contact", NOON - timedelta(days=n))
            await owe(sessions, woman, "review", NOON - timedelta(hours=n))
        women.append(woman)
    seen: list[uuid.UUID] = []
    after = None
    for _ in range(4):
        page = await _ledger(sessions, limit=2, after=after)
        assert len(page.rows) <= 2
        seen += [row.woman_id for row in page.rows]
        after = page.next
        if after is None:
            break
    assert after is None
    assert sorted(seen) == sorted(women)  # each woman once
    overdue = [women[5], women[3], women[1]]  # longest overdue first
    assert seen[:3] == overdue
    assert seen[3:] == sorted(set(women) - set(overdue))


async def test_a_cursor_that_is_not_one_is_refused(sessions: Sessions) -> None:
    with pytest.raises(Invalid, match="cursor"):
        await _ledger(sessions, after="o12.not-an-id")


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


async def test_each_page_is_one_audit_row_naming_whom_it_listed(sessions: Sessions) -> None:
    women = [await make_woman(sessions, given=name) for name in ("Ann", "Bea", "Cat")]
    first, second, _ = sorted(women)  # nothing overdue: by id
    page = await _ledger(sessions, limit=2)
    [viewed] = await rows(sessions, AuditEvent, action="view_ledger")
    assert (viewed.record_type, viewed.record_id) == ("ledger", "northmoor")
    listed = [row.woman_id for row in page.rows]
    assert listed == [first, second]
    assert viewed.listed == " ".join(ident.hex for ident in listed)
    await _ledger(sessions, limit=2, after=page.next)
    assert len(await rows(sessions, AuditEvent, action="view_ledger")) == 2
    async with sessions() as session:
        # A woman listed finds the page among who viewed her record; the chain still holds.
        assert [e.action for e in await who_viewed(session, woman_id=first)] == ["view_ledger"]
        assert (await verify_chain(session)).intact
