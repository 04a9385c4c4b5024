"""The allocation workflow on virtual time: offer and acceptance, no answer in time, declines,
the shorter window after a removal, keeping her advocate, and waiting when nobody is free."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from forms.advocacy import (
    AdvocateReply,
    AdvocateUnable,
    AllocationOutcome,
    AllocationStatus,
    RemovalHappened,
    RespondCommand,
    Withdraw,
)
from rules.working_hours import office_hours_after
from services.removal_ack import KIND as ACKNOWLEDGE_REMOVAL
from tests.advocacy.flow import (
    answer,
    notices,
    nth_offer,
    offer_within,
    past_answer_by,
    start,
    tasks,
    waiting_on_timer,
)
from tests.advocacy.support import (
    Sessions,
    allocate_directly,
    allocations,
    make_woman,
    only_advocates,
    set_profile,
    user_id,
)
from tests.helpers.pathway import actor_for
from tests.helpers.planning import eventually, rows
from waymark.areas import get_area
from waymark.db.models import AdvocateAllocation, Duty
from waymark.db.session import transaction

pytestmark = pytest.mark.usefixtures("clock_worker")
JUST_OVER = timedelta(minutes=1)


async def test_offered_then_accepted(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    woman = await make_woman(sessions)
    handle = await start(clock_env.client, task_queue, woman)
    offer = await nth_offer(sessions, woman, 1)
    assert offer.advocate_user_id == await user_id(sessions, "ava.advocate")
    assert offer.accept_by is not None
    assert offer.offered_at is not None
    assert offer.accept_by == office_hours_after(offer.offered_at, 4, get_area("northmoor"))
    assert len(await notices(sessions, "advocate_offer", "ava.advocate")) == 1
    assert await answer(handle, sessions, offer, AdvocateReply.ACCEPT) is AllocationStatus.ACCEPTED
    result = await handle.result()
    assert result.outcome is AllocationOutcome.ACCEPTED
    assert result.allocation_id == offer.id
    [row] = await allocations(sessions, woman_id=woman)
    assert (row.status, row.ended_at) == ("accepted", None)


async def test_no_answer_in_time_goes_to_the_next_advocate(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    woman = await make_woman(sessions)
    handle = await start(clock_env.client, task_queue, woman)
    first = await nth_offer(sessions, woman, 1)
    await waiting_on_timer(handle)
    await past_answer_by(clock_env, first)
    second = await nth_offer(sessions, woman, 2)
    assert second.advocate_user_id == await user_id(sessions, "ben.advocate")
    [lapsed, _] = await allocations(sessions, woman_id=woman)
    assert lapsed.id == first.id
    assert (lapsed.status, lapsed.end_reason) == ("timed_out", "no answer in time")
    assert lapsed.ended_at is not None
    # Her advocacy manager and the safeguarding lead are both told.
    assert await notices(sessions, "advocate_offer_timed_out", "nadia.advocate")
    assert await notices(sessions, "advocate_offer_timed_out", "lee.lead")
    await answer(handle, sessions, second, AdvocateReply.ACCEPT)
    assert (await handle.result()).advocate_user_id == second.advocate_user_id


async def test_a_decline_goes_to_the_next_advocate(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    woman = await make_woman(sessions)
    handle = await start(clock_env.client, task_queue, woman)
    first = await nth_offer(sessions, woman, 1)
    assert await answer(handle, sessions, first, AdvocateReply.DECLINE) is AllocationStatus.DECLINED
    second = await nth_offer(sessions, woman, 2)
    assert second.advocate_user_id != first.advocate_user_id
    assert await notices(sessions, "advocate_offer_declined", "nadia.advocate")
    assert await notices(sessions, "advocate_offer_declined", "lee.lead")
    await answer(handle, sessions, second, AdvocateReply.ACCEPT)
    await handle.result()
    rows = await allocations(sessions, woman_id=woman)
    assert [r.status for r in rows] == ["declined", "accepted"]


async def test_after_removal_the_window_is_two_hours(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    woman = await make_woman(sessions)
    handle = await start(clock_env.client, task_queue, woman, after_removal=True)
    first = await nth_offer(sessions, woman, 1)
    assert first.after_removal
    assert first.accept_by is not None
    assert first.offered_at is not None
    assert first.accept_by - first.offered_at == timedelta(hours=2)
    [notice] = await notices(sessions, "advocate_offer", "ava.advocate")
    assert notice.urgent
    await waiting_on_timer(handle)
    await clock_env.sleep(timedelta(hours=2) + JUST_OVER)
    await nth_offer(sessions, woman, 2)
    [told] = await notices(sessions, "advocate_offer_timed_out", "lee.lead")
    assert told.urgent


async def test_a_removal_during_an_offer_shortens_its_window(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    woman = await make_woman(sessions)
    handle = await start(clock_env.client, task_queue, woman)
    first = await nth_offer(sessions, woman, 1)
    await handle.signal("removal", RemovalHappened())

    async def alerted() -> bool:
        return bool(await notices(sessions, "removal_alert", "ava.advocate"))

    await eventually(alerted)
    [row, *_] = await allocations(sessions, woman_id=woman)
    assert row.after_removal
    assert row.accept_by is not None
    assert row.offered_at is not None
    assert row.accept_by - row.offered_at == timedelta(hours=2)
    # She has no advocate yet: the advocacy manager owes the acknowledgement of the removal.
    [owed] = await rows(sessions, Duty, woman_id=woman, kind=ACKNOWLEDGE_REMOVAL)
    assert owed.owed_by_user_id == await user_id(sessions, "nadia.advocate")
    assert await notices(sessions, "removal_alert", "nadia.advocate")
    await waiting_on_timer(handle)
    await clock_env.sleep(timedelta(hours=2) + JUST_OVER)
    second = await nth_offer(sessions, woman, 2)
    assert second.id != first.id
    assert second.after_removal


@pytest.mark.parametrize(
    ("after_removal", "kind"),
    [(False, "advocate_kept_informed"), (True, "removal_alert")],
)
async def test_her_advocate_is_kept_and_told_at_once(
    clock_env: WorkflowEnvironment,
    sessions: Sessions,
    task_queue: str,
    after_removal: bool,
    kind: str,
) -> None:
    woman = await make_woman(sessions)
    kept = await allocate_directly(sessions, woman, "ben.advocate")
    handle = await start(clock_env.client, task_queue, woman, after_removal=after_removal)
    result = await handle.result()
    assert (result.outcome, result.allocation_id) == (AllocationOutcome.KEPT, kept)
    [notice] = await notices(sessions, kind, "ben.advocate")
    assert notice.urgent is after_removal
    assert len(await allocations(sessions, woman_id=woman)) == 1
    owed = await rows(sessions, Duty, woman_id=woman, kind=ACKNOWLEDGE_REMOVAL)
    ben = await user_id(sessions, "ben.advocate")
    assert [duty.owed_by_user_id for duty in owed] == ([ben] if after_removal else [])


async def test_an_advocate_who_can_no_longer_act_is_replaced(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    woman = await make_woman(sessions)
    await allocate_directly(sessions, woman, "ben.advocate")
    await set_profile(sessions, "ben.advocate", on_leave_from=None, on_leave_until=None, areas=[])
    await start(clock_env.client, task_queue, woman)
    offer = await nth_offer(sessions, woman, 2)
    assert offer.advocate_user_id == await user_id(sessions, "ava.advocate")
    [ended, _] = await allocations(sessions, woman_id=woman)
    assert ended.status == "ended"
    assert ended.ended_at is not None
    assert await notices(sessions, "advocate_allocation_ended", "ben.advocate")


async def test_nobody_available_escalates_and_waits_until_capacity_frees(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    await only_advocates(sessions, {"ava.advocate": 1})
    other = await allocate_directly(sessions, await make_woman(sessions), "ava.advocate")
    woman = await make_woman(sessions)
    handle = await start(clock_env.client, task_queue, woman)

    async def escalated() -> bool:
        return bool(await tasks(sessions, woman, "no_advocate_available"))

    await eventually(escalated)
    [task] = await tasks(sessions, woman, "no_advocate_available")
    assert task.assignee_user_id == await user_id(sessions, "lee.lead")
    assert "capacity" in task.title
    assert await notices(sessions, "no_advocate_available", "nadia.advocate")
    # Still nobody free at the next try: the same escalation stays open, nothing is repeated.
    await waiting_on_timer(handle)
    await clock_env.sleep(timedelta(hours=4) + JUST_OVER)
    assert (await handle.describe()).status is not None
    assert len(await tasks(sessions, woman, "no_advocate_available")) == 1
    # Ava's other case ends, so she has room at the next try.
    async with transaction(sessions) as session:
        row = await session.get(AdvocateAllocation, other)
        assert row is not None
        row.ended_at, row.status = await clock_env.get_current_time(), "ended"
    offer = await offer_within(clock_env, sessions, woman, hours=9)
    await answer(handle, sessions, offer, AdvocateReply.ACCEPT)
    assert (await handle.result()).outcome is AllocationOutcome.ACCEPTED
    [task] = await tasks(sessions, woman, "no_advocate_available")
    assert task.status == "done"


async def test_when_nobody_answers_the_lead_is_told_that_is_why(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    await only_advocates(sessions, {"ava.advocate": 1, "ben.advocate": 1})
    woman = await make_woman(sessions)
    handle = await start(clock_env.client, task_queue, woman)
    for n in (1, 2):
        offer = await nth_offer(sessions, woman, n)
        await waiting_on_timer(handle)
        await past_answer_by(clock_env, offer)

    async def escalated() -> bool:
        return bool(await tasks(sessions, woman, "no_advocate_available"))

    await eventually(escalated)
    [task] = await tasks(sessions, woman, "no_advocate_available")
    assert "nobody answered (2 asked)" in task.title
    assert task.title.index("nobody answered") < task.title.index("at capacity")
    assert "leave" not in task.title
    assert "conflict" not in task.title
    # Allocation goes on: at the next try those who did not answer are asked again.
    again = await offer_within(clock_env, sessions, woman, hours=9)
    assert again.advocate_user_id == await user_id(sessions, "ava.advocate")
    await answer(handle, sessions, again, AdvocateReply.ACCEPT)
    assert (await handle.result()).outcome is AllocationOutcome.ACCEPTED


async def test_only_the_offered_advocate_can_answer(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    woman = await make_woman(sessions)
    handle = await start(clock_env.client, task_queue, woman)
    offer = await nth_offer(sessions, woman, 1)
    ben = await actor_for(sessions, "ben.advocate")
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(
            "respond",
            RespondCommand(allocation_id=offer.id, reply=AdvocateReply.ACCEPT, actor=ben),
        )
    ava = await actor_for(sessions, "ava.advocate")
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(
            "respond",
            RespondCommand(allocation_id=other_id(offer), reply=AdvocateReply.ACCEPT, actor=ava),
        )
    assert (await allocations(sessions, woman_id=woman))[0].status == "offered"


def other_id(offer: AdvocateAllocation) -> uuid.UUID:
    return uuid.uuid5(offer.id, "another")


async def test_her_decline_withdraws_the_offer(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    woman = await make_woman(sessions)
    handle = await start(clock_env.client, task_queue, woman)
    await nth_offer(sessions, woman, 1)
    sam = await actor_for(sessions, "sam.social")
    outcome = await handle.execute_update(
        "withdraw", Withdraw(actor=sam), result_type=AllocationOutcome
    )
    assert outcome is AllocationOutcome.WITHDRAWN
    assert (await handle.result()).outcome is AllocationOutcome.WITHDRAWN
    [row] = await allocations(sessions, woman_id=woman)
    assert (row.status, row.end_reason) == ("ended", "she declined advocacy")
    assert await notices(sessions, "advocate_offer_withdrawn", "ava.advocate")


async def test_a_conflict_during_an_offer_moves_to_the_next_advocate(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    woman = await make_woman(sessions)
    handle = await start(clock_env.client, task_queue, woman)
    first = await nth_offer(sessions, woman, 1)
    await handle.signal("advocate_unable", AdvocateUnable(advocate_user_id=first.advocate_user_id))
    second = await nth_offer(sessions, woman, 2)
    assert second.advocate_user_id != first.advocate_user_id
    rows = await allocations(sessions, woman_id=woman)
    assert rows[0].end_reason == "a conflict of interest was recorded"


async def test_a_long_wait_continues_as_new_and_still_succeeds(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    await only_advocates(sessions, {})
    woman = await make_woman(sessions)
    handle = await start(clock_env.client, task_queue, woman, history_event_limit=30)
    first_run = (await handle.describe()).run_id
    await clock_env.sleep(timedelta(hours=4 * 6))

    async def continued() -> bool:
        return (await handle.describe()).run_id != first_run

    await eventually(continued)
    await only_advocates(sessions, {"ben.advocate": 1})
    offer = await offer_within(clock_env, sessions, woman, hours=6)
    await answer(handle, sessions, offer, AdvocateReply.ACCEPT)
    assert (await handle.result()).outcome is AllocationOutcome.ACCEPTED
    # One escalation for the whole request, closed once she has an advocate.
    [task] = await tasks(sessions, woman, "no_advocate_available")
    assert task.status == "done"
