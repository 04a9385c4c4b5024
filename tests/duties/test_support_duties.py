"""The duties a removal creates, through the real pathway and `MotherSupport` on virtual time:
a named worker (met at once, never the baby's social worker), an advocate, a contact within the
area's interval, each referral of her plan; missed contacts escalate the contact duty, a contact
meets it and opens the next, a lead's sign-off ends what is left with its reason."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from forms.support import (
    CloseEpisode,
    ContactKind,
    PlanItem,
    RecordContact,
    RecordPlanItem,
    SupportState,
)
from rules.uktime import uk_date
from tests.helpers.birth import born, removed
from tests.helpers.clock import skip
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import count, eventually, rows
from waymark.db.models import Duty, SupportEpisode
from workflows.pathway import WomanPathway
from workflows.support import episode_id_for

pytestmark = pytest.mark.usefixtures("clock_worker")

Sessions = async_sessionmaker[AsyncSession]


async def _by_kind(sessions: Sessions) -> dict[str, list[Duty]]:
    found: dict[str, list[Duty]] = {}
    for duty in sorted(await rows(sessions, Duty), key=lambda d: d.opened_at):
        found.setdefault(duty.kind, []).append(duty)
    return found


async def _removal(env: WorkflowEnvironment, sessions: Sessions, task_queue: str) -> Any:
    midwife = await actor_for(sessions, "mia.midwife")
    handle = await start_pathway(env.client, task_queue, pathway_input(midwife))
    social_worker = await actor_for(sessions, "sam.social")
    babies = await born(handle, midwife, await env.get_current_time())
    await removed(handle, social_worker, babies[0].baby_id)

    async def episode_open() -> bool:
        return await count(sessions, SupportEpisode, status="active") == 1

    await eventually(episode_open)
    state = await handle.query(WomanPathway.state)
    return env.client.get_workflow_handle(episode_id_for(state.woman_id, 1)), social_worker


async def test_a_removal_opens_the_duties_of_the_promise_and_facts_move_them(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    episode, social_worker = await _removal(clock_env, sessions, task_queue)
    lead = await actor_for(sessions, "lee.lead")

    async def plan_duties() -> bool:
        return len((await _by_kind(sessions)).get("support_plan", [])) == len(PlanItem)

    await eventually(plan_duties)
    duties = await _by_kind(sessions)
    [named] = duties["named_worker"]
    [row] = await rows(sessions, SupportEpisode)
    assert named.status == "met"
    assert row.named_worker_id not in (None, social_worker.user_id)
    [advocate] = duties["advocate"]
    assert advocate.status == "open"
    assert advocate.next_escalation_at is not None
    [contact] = duties["contact"]
    assert (contact.status, contact.owed_by_user_id) == ("open", row.named_worker_id)
    assert all(d.owed_by_user_id == row.named_worker_id for d in duties["support_plan"])

    # Two contacts missed: the contact duty is escalated twice, with its next check ahead.
    await skip(clock_env, timedelta(days=17))
    [contact] = (await _by_kind(sessions))["contact"]
    now = await clock_env.get_current_time()
    assert contact.status == "open"
    assert contact.escalation_level == 2
    assert contact.next_escalation_at is not None
    assert contact.next_escalation_at > now

    today = uk_date(now)
    await episode.execute_update(
        "record_contact",
        RecordContact(on=today, kind=ContactKind.PHONE, actor=social_worker),
        result_type=SupportState,
    )
    first, second = (await _by_kind(sessions))["contact"]
    assert first.status == "met"
    assert first.met_by
    assert first.met_by.startswith("support:")
    assert second.status == "open"
    assert uk_date(second.opened_at) >= today

    await episode.execute_update(
        "record_plan_item",
        RecordPlanItem(item=PlanItem.HOUSING, outcome="Housing assessed", actor=social_worker),
    )

    async def housing_met() -> bool:
        plan = (await _by_kind(sessions))["support_plan"]
        return any(d.status == "met" and "Housing" in d.label for d in plan)

    await eventually(housing_met)

    await episode.execute_update(
        "close_episode",
        CloseEpisode(
            reason="She has moved to another area",
            second_reason="Her new area has taken over her support",
            handover_to="Glenbrae social work",
            actor=lead,
        ),
        result_type=SupportState,
    )
    ours = f"support:{row.id}:"
    left = [d for d in await rows(sessions, Duty) if ours in d.key and d.status != "met"]
    assert left
    assert all(d.status == "waived" and d.waived_by == lead.user_id for d in left)
    assert all(d.waive_reason and "another area" in d.waive_reason for d in left)


async def test_a_contact_on_the_day_of_her_removal_and_another_that_day_leave_the_next_owed(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    episode, social_worker = await _removal(clock_env, sessions, task_queue)
    [row] = await rows(sessions, SupportEpisode)
    today = row.removal_on

    async def contact(on: date) -> None:
        await episode.execute_update(
            "record_contact",
            RecordContact(on=on, kind=ContactKind.PHONE, actor=social_worker),
            result_type=SupportState,
        )

    async def owed() -> tuple[list[Duty], list[Duty]]:
        found = (await _by_kind(sessions))["contact"]
        return [d for d in found if d.status == "met"], [d for d in found if d.status == "open"]

    await contact(today)  # on the day of her removal: the first duty is met, the next is owed
    met, [following] = await owed()
    assert len(met) == 1
    [row] = await rows(sessions, SupportEpisode)
    assert uk_date(following.due_at - timedelta(seconds=1)) == row.next_contact_due

    await contact(today)  # a second contact that day: the next is still owed, by the same day
    met_again, [still] = await owed()
    assert (len(met_again), still.key, still.due_at) == (1, following.key, following.due_at)

    await skip(clock_env, timedelta(days=1))
    await contact(today + timedelta(days=1))  # the day after: met, and the one after is owed
    met_later, [after] = await owed()
    assert len(met_later) == 2
    assert after.key != following.key
