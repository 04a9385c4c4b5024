"""The invariant per woman, driven by small builders: which events break it, which hold it,
and the breach, task, notice and audit row raised (and resolved) by the `check_woman` activity.
A part breaks when the duty register has a duty of it overdue with no live escalation."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from forms.ledger import BreachKind
from services.invariant import register_findings
from services.ledger_rows import ever_removed, load_facts
from tests.helpers.planning import count, rows
from tests.oversight.builders import (
    NOON,
    TODAY,
    allocate,
    check,
    contact_due,
    contact_made,
    contact_missed,
    make_woman,
    open_episode,
    open_task,
    sign_off,
    update_episode,
    user_id,
)
from waymark.db.models import AuditEvent, Breach, Notice, Task, Woman

pytestmark = pytest.mark.usefixtures("demo")

Sessions = async_sessionmaker[AsyncSession]


async def _findings(
    sessions: Sessions, woman_id: uuid.UUID, at: datetime = NOON
) -> set[BreachKind]:
    """The parts of her invariant failing at `at`, as the check reads them from the register."""
    async with sessions() as session:
        woman = await session.scalar(select(Woman).where(Woman.id == woman_id, ever_removed()))
        if woman is None:
            return set()
        facts = await load_facts(session, [woman], TODAY)
        return {f.kind for f in register_findings(facts[woman_id], at)}


async def _held(sessions: Sessions) -> tuple:
    """A woman whose invariant holds: advocate allocated, episode active, recent contact."""
    woman = await make_woman(sessions)
    await allocate(sessions, woman)
    episode = await open_episode(sessions, woman)
    return woman, episode


async def test_advocate_support_and_recent_contact_hold(sessions: Sessions) -> None:
    woman, _ = await _held(sessions)
    assert await _findings(sessions, woman) == set()
    result = await check(sessions, woman)
    assert (result.raised, result.open) == ([], [])
    assert await count(sessions, Breach) == 0


async def test_a_woman_whose_baby_was_never_removed_is_not_checked(sessions: Sessions) -> None:
    woman = await make_woman(sessions, removed=False)
    assert await _findings(sessions, woman) == set()
    assert (await check(sessions, woman)).open == []


async def test_no_advocate_and_no_escalation_raises_an_advocate_breach(
    sessions: Sessions,
) -> None:
    woman = await make_woman(sessions)
    await open_episode(sessions, woman)
    result = await check(sessions, woman)
    assert result.raised == [BreachKind.ADVOCATE]
    [breach] = await rows(sessions, Breach)
    assert (breach.kind, breach.resolved_at) == ("advocate", None)
    assert "Jo" not in breach.detail
    assert "Example" not in breach.detail
    async with sessions() as session:
        lead = await user_id(session, "lee.lead")
    [task] = await rows(sessions, Task, kind="invariant_breach")
    assert (task.assignee_user_id, task.status, task.woman_id) == (lead, "open", woman)
    [notice] = await rows(sessions, Notice, kind="invariant_breach")
    assert (notice.recipient_kind, notice.recipient_user_id, notice.urgent) == ("staff", lead, True)
    [raised] = await rows(sessions, AuditEvent, action="raise_breach")
    assert (raised.record_id, raised.detail) == (str(woman), "advocate")


async def test_an_open_escalation_saying_why_holds_the_advocate_part(sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    await open_episode(sessions, woman)
    await open_task(sessions, woman, "no_advocate_available", next_at=NOON + timedelta(hours=4))
    assert await _findings(sessions, woman) == set()
    # Once the escalation's next step is due and nobody has taken it, she is dropped again.
    assert await _findings(sessions, woman, NOON + timedelta(hours=5)) == {BreachKind.ADVOCATE}


async def test_an_offer_waiting_for_the_advocate_holds_until_its_deadline(
    sessions: Sessions,
) -> None:
    waiting = await make_woman(sessions)
    await open_episode(sessions, waiting)
    await allocate(sessions, waiting, status="offered", accept_by=NOON + timedelta(hours=20))
    lapsed = await make_woman(sessions, given="Ann")
    await open_episode(sessions, lapsed)
    await allocate(sessions, lapsed, status="offered", accept_by=NOON - timedelta(days=2))
    assert await _findings(sessions, waiting) == set()
    assert await _findings(sessions, lapsed) == {BreachKind.ADVOCATE}


async def test_no_support_episode_after_a_removal_is_a_support_breach(sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    await allocate(sessions, woman)
    assert await _findings(sessions, woman) == {BreachKind.SUPPORT}


async def test_a_signed_off_closure_holds_and_an_unsigned_one_does_not(
    sessions: Sessions,
) -> None:
    signed = await make_woman(sessions)
    episode = await open_episode(sessions, signed, next_contact_due=TODAY - timedelta(days=20))
    await sign_off(sessions, episode)
    unsigned = await make_woman(sessions, given="Ann")
    await allocate(sessions, unsigned)
    other = await open_episode(sessions, unsigned)
    await update_episode(sessions, other, status="closed", closed_at=NOON)
    # Signed off and handed over: no advocate or contact is owed here any more.
    assert await _findings(sessions, signed) == set()
    assert await _findings(sessions, unsigned) == {BreachKind.SUPPORT}


async def test_lapsed_contact_without_escalation_is_a_contact_breach(sessions: Sessions) -> None:
    woman, episode = await _held(sessions)
    yesterday = TODAY - timedelta(days=1)
    await contact_due(sessions, woman, episode, yesterday)
    # Late since midnight, but her episode checks it at 09:00 the next day: until then it holds.
    assert await _findings(sessions, woman, NOON - timedelta(hours=4)) == set()
    assert await _findings(sessions, woman) == {BreachKind.CONTACT}
    await contact_due(sessions, woman, episode, TODAY - timedelta(days=2))
    assert await _findings(sessions, woman) == {BreachKind.CONTACT}
    # A counted miss: her episode reached out and checks again one interval on...
    await contact_missed(sessions, woman, episode, TODAY - timedelta(days=2))
    assert await _findings(sessions, woman) == set()
    # ...and when that check is due and nothing followed, it is a lapse again.
    assert await _findings(sessions, woman, NOON + timedelta(days=7)) == {BreachKind.CONTACT}
    await open_task(sessions, woman, "assertive_outreach", next_at=NOON + timedelta(days=8))
    assert await _findings(sessions, woman, NOON + timedelta(days=7)) == set()


async def test_a_contact_recorded_resolves_the_breach_and_closes_its_task(
    sessions: Sessions,
) -> None:
    woman, episode = await _held(sessions)
    await contact_due(sessions, woman, episode, TODAY - timedelta(days=4))
    assert (await check(sessions, woman)).raised == [BreachKind.CONTACT]
    again = await check(sessions, woman)
    assert (again.raised, again.open) == ([], [BreachKind.CONTACT])
    assert await count(sessions, Breach) == 1
    await contact_made(sessions, woman, episode, TODAY, TODAY + timedelta(days=7))
    assert (await check(sessions, woman)).resolved == [BreachKind.CONTACT]
    [breach] = await rows(sessions, Breach)
    assert breach.resolved_at is not None
    [task] = await rows(sessions, Task, kind="invariant_breach")
    assert (task.status, task.closed_at is not None) == ("done", True)
    assert await count(sessions, AuditEvent, action="resolve_breach") == 1
    # It lapses again later: a new breach, while the old one stays resolved.
    later = TODAY + timedelta(days=10)
    assert (await check(sessions, woman, later)).raised == [BreachKind.CONTACT]
    assert await count(sessions, Breach) == 2


async def test_she_declined_an_advocate_after_the_removal(sessions: Sessions) -> None:
    from services.duty_support import advocate_found
    from waymark.db.models import AdvocacyOffer
    from waymark.db.session import transaction

    woman = await make_woman(sessions)
    await open_episode(sessions, woman)
    assert await _findings(sessions, woman) == {BreachKind.ADVOCATE}
    async with transaction(sessions) as session:
        offer = AdvocacyOffer(
            key=f"test:{woman}",
            woman_id=woman,
            trigger="removal",
            offered_at=NOON - timedelta(days=3),
            response="declined",
            responded_at=NOON - timedelta(days=2),
        )
        session.add(offer)
        await advocate_found(
            session, woman, NOON - timedelta(days=2), f"advocacy-offer:{offer.key}"
        )
    assert await _findings(sessions, woman) == set()


async def test_concurrent_checks_raise_one_breach(sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    await open_episode(sessions, woman)
    results = await asyncio.gather(*(check(sessions, woman) for _ in range(4)))
    assert sum(len(result.raised) for result in results) == 1
    assert all(result.open == [BreachKind.ADVOCATE] for result in results)
    assert await count(sessions, Breach) == 1
    assert await count(sessions, Task, kind="invariant_breach") == 1


async def test_her_first_offer_is_awaited_for_an_hour_after_her_episode_opens(
    sessions: Sessions,
) -> None:
    woman = await make_woman(sessions)
    await open_episode(sessions, woman, opened_at=NOON - timedelta(minutes=10))
    assert (await check(sessions, woman)).open == []  # her allocation is making its first offer
    assert await _findings(sessions, woman, NOON + timedelta(hours=2)) == {BreachKind.ADVOCATE}
