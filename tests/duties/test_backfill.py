"""Back-filling the register from facts written before it existed, and reconciling the two:
what the facts say is owed has a live duty, what is done or signed off has none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.duties import end_of_day
from services.duty_backfill import backfill
from services.duty_reconcile import duties_against_facts
from tests.helpers.planning import rows
from tests.oversight.builders import NOON, TODAY, allocate, make_woman, open_episode, sign_off
from waymark.db.models import Deadline, Duty
from waymark.db.session import transaction

pytestmark = pytest.mark.usefixtures("demo")

Sessions = async_sessionmaker[AsyncSession]
LATER = datetime.now(UTC) + timedelta(days=1)


async def _fill(sessions: Sessions) -> int:
    async with transaction(sessions) as session:
        return await backfill(session, now=NOON)


async def _check(sessions: Sessions) -> list[str]:
    async with sessions() as session:
        return [d.detail for d in await duties_against_facts(session, LATER)]


async def test_backfill_opens_what_the_facts_owe_once_and_reconcile_agrees(
    sessions: Sessions,
) -> None:
    woman = await make_woman(sessions)
    episode = await open_episode(
        sessions, woman, register=False, named_worker_id=None, missed_contacts=2
    )
    async with transaction(sessions) as session:
        session.add(
            Deadline(
                key=f"{woman}:support:{episode}:plan_housing",
                woman_id=woman,
                scope=f"support:{episode}",
                deadline="plan_housing",
                label="Housing referral answered (urgent)",
                due=TODAY - timedelta(days=10),
                basis="1 working day after removal",
                status="missed",
            )
        )
    assert sorted(await _check(sessions)) == [
        "a live deadline has no live duty",
        "an active episode has no live contact duty",
        "an episode without a named worker has no live duty to name one",
    ]
    total = await _fill(sessions)
    assert await _fill(sessions) == total  # a second run changes nothing
    assert await _check(sessions) == []
    duties = {d.kind: d for d in await rows(sessions, Duty) if d.status != "met"}
    assert duties["named_worker"].status == "open"
    assert duties["contact"].escalation_level == 2  # the one owed after her last contact
    assert duties["support_plan"].escalation_level == 2  # manager and lead steps have run
    assert duties["advocate"].status == "open"

    async with transaction(sessions) as session:
        await session.execute(delete(Duty).where(Duty.kind == "contact"))
    assert await _check(sessions) == ["an active episode has no live contact duty"]


async def test_an_accepted_advocate_meets_the_duty_and_a_sign_off_leaves_nothing_owed(
    sessions: Sessions,
) -> None:
    woman = await make_woman(sessions)
    await allocate(sessions, woman)
    episode = await open_episode(sessions, woman, register=False)
    await _fill(sessions)
    duties = {d.kind: d for d in await rows(sessions, Duty)}
    assert duties["advocate"].status == "met"
    assert duties["named_worker"].status == "met"
    await sign_off(sessions, episode, register=False)
    assert await _check(sessions) == ["a signed-off episode still has live duties"]
    await _fill(sessions)
    assert await _check(sessions) == []
    [contact] = [d for d in await rows(sessions, Duty, kind="contact") if d.status != "met"]
    assert (contact.status, contact.waive_reason) == (
        "waived",
        "Moved away; her new area has taken her on",
    )


async def test_an_episode_whose_contact_duties_were_all_met_is_owed_the_next_again(
    sessions: Sessions,
) -> None:
    """Code before December 2026 left no contact owed after a contact on the day of her
    removal, or after two contacts in one day: reconcile finds it, and the back-fill (which
    `waymark duties backfill` and reconcile's repair run) owes her the next contact again."""
    woman = await make_woman(sessions)
    await open_episode(sessions, woman)
    async with transaction(sessions) as session:
        await session.execute(
            update(Duty).where(Duty.kind == "contact").values(status="met", met_by="old code")
        )
    assert await _check(sessions) == ["an active episode has no live contact duty"]
    total = await _fill(sessions)
    assert await _fill(sessions) == total  # a second run changes nothing
    assert await _check(sessions) == []
    [owed] = await rows(sessions, Duty, kind="contact", status="open")
    assert owed.due_at == end_of_day(TODAY + timedelta(days=5))  # her episode's next due date
