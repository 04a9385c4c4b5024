"""An allocation in progress holds the advocate part of her invariant, judged at the calling
workflow's time (passed in), never the worker's clock: here a time years away from today."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import ActivityEnvironment

from activities.oversight import OversightActivities
from forms.ledger import BreachKind, CheckWomanRequest, WomanCheck
from tests.helpers.planning import rows
from tests.oversight.builders import allocate, make_woman, open_episode
from waymark.db.models import Breach, Notice

pytestmark = pytest.mark.usefixtures("demo")

Sessions = async_sessionmaker[AsyncSession]
# Her baby was placed in care at this workflow time, years from the wall clock.
REMOVED_AT = datetime(2031, 3, 4, 10, 30, tzinfo=UTC)


async def _removed_just_now(sessions: Sessions) -> uuid.UUID:
    """Her episode opened at REMOVED_AT; no advocate is on record yet."""
    woman = await make_woman(sessions)
    await open_episode(
        sessions,
        woman,
        opened_at=REMOVED_AT,
        removal_on=REMOVED_AT.date(),
        last_contact_on=None,
        next_contact_due=REMOVED_AT.date() + timedelta(days=7),
        heightened_risk_until=REMOVED_AT.date() + timedelta(days=365),
    )
    return woman


async def _check(sessions: Sessions, woman: uuid.UUID, at: datetime) -> WomanCheck:
    """The real activity, with no clock of its own: only the time passed in counts."""
    result: WomanCheck = await ActivityEnvironment().run(
        OversightActivities(sessions).check_woman, CheckWomanRequest(woman_id=woman, at=at)
    )
    return result


async def test_no_breach_while_her_first_offer_is_being_made(sessions: Sessions) -> None:
    woman = await _removed_just_now(sessions)
    result = await _check(sessions, woman, REMOVED_AT + timedelta(minutes=5))
    assert (result.raised, result.open) == ([], [])
    assert await rows(sessions, Breach) == []


async def test_no_first_offer_within_the_grace_is_a_breach_stamped_with_workflow_time(
    sessions: Sessions,
) -> None:
    woman = await _removed_just_now(sessions)
    late = REMOVED_AT + timedelta(hours=2)
    result = await _check(sessions, woman, late)
    assert result.raised == [BreachKind.ADVOCATE]
    [breach] = await rows(sessions, Breach)
    assert breach.raised_at == late
    [notice] = await rows(sessions, Notice, kind="invariant_breach")
    assert (notice.send_at, notice.urgent) == (late, True)


async def test_an_offer_holds_until_its_answer_time_and_a_short_grace(sessions: Sessions) -> None:
    woman = await _removed_just_now(sessions)
    accept_by = REMOVED_AT + timedelta(hours=2)
    await allocate(sessions, woman, status="offered", accept_by=accept_by)
    # Past the answer time but within the grace in which her allocation asks the next advocate.
    assert (await _check(sessions, woman, accept_by + timedelta(minutes=30))).open == []
    # Nothing followed the lapsed offer: that is a real lapse, the same day.
    lapsed = await _check(sessions, woman, accept_by + timedelta(hours=1, minutes=1))
    assert lapsed.raised == [BreachKind.ADVOCATE]


async def test_a_check_scheduled_with_a_bare_id_still_decodes_and_runs(
    sessions: Sessions,
) -> None:
    """Checks scheduled by workflows before the time was passed carry her id alone."""
    woman = await make_woman(sessions)
    await allocate(sessions, woman)
    await open_episode(sessions, woman)
    converter = pydantic_data_converter.payload_converter
    [decoded] = converter.from_payloads(
        converter.to_payloads([woman]),
        [CheckWomanRequest | uuid.UUID],  # type: ignore[list-item]
    )
    assert decoded == woman
    noon = datetime(2027, 3, 10, 12, tzinfo=UTC)
    oversight = OversightActivities(sessions, now=lambda: noon)
    result: WomanCheck = await ActivityEnvironment().run(oversight.check_woman, decoded)
    assert result.open == []
