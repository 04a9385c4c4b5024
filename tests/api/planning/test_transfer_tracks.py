"""On acceptance of a transfer, everything that is hers follows her: her conference goes on
under the new area (its running clocks named and counted under Scotland's rules), and her
support episode goes on unbroken under the new area's rules; the sending team reads her record
(each read audited as such) for the sending area's period, and not after it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from rules.clocks import compute_deadlines
from rules.uktime import uk_date
from tests.api.conftest import SignIn
from tests.helpers.api import audit_rows, make_referral
from tests.helpers.planning import eventually, rows
from tests.helpers.planning_api import (
    ENGLAND_QUORATE,
    after_the_meeting,
    outcome,
    scheduled_conference,
    screen,
    with_everything,
)
from waymark.areas import get_area
from waymark.db.models import Deadline, SupportEpisode, Transfer
from waymark.db.session import transaction
from workflows.conference import CaseConference
from workflows.pathway import WomanPathway, workflow_id

Sessions = async_sessionmaker[AsyncSession]
SCOTTISH_MINUTES = "Record of the child protection planning meeting sent"


async def _moved(sam: httpx.AsyncClient, iona: httpx.AsyncClient, woman_id: str) -> None:
    body = {"to_area": "glenbrae", "reason": "She has moved to Glenbrae"}
    asked = await sam.post(f"/api/v1/women/{woman_id}/transfer", json=body)
    assert asked.status_code == 201, asked.text
    accepted = await iona.post(f"/api/v1/transfers/{asked.json()['id']}/accept", json={})
    assert accepted.status_code == 200, accepted.text


def _clock(state: Any, deadline: str) -> Any:
    return next(c for c in state.clocks.values() if c.deadline == deadline)


async def test_her_conference_follows_her_to_scotland(
    sign_in: SignIn, sessions: Sessions, clock_env: WorkflowEnvironment, now: datetime
) -> None:
    conf = await scheduled_conference(sign_in, now)
    await after_the_meeting(clock_env, conf)
    decided = await conf.chair.post(
        conf.url("outcome"), json=outcome(ENGLAND_QUORATE, plan=True, category="neglect")
    )
    assert decided.status_code == 200, decided.text
    handle = clock_env.client.get_workflow_handle(f"conference-{conf.conference_id}")
    assert _clock(await handle.query(CaseConference.state), "minutes").label == (
        "Conference minutes sent"
    )

    await _moved(conf.chair, await sign_in("iona.social"), conf.woman_id)

    async def renamed() -> bool:
        state = await handle.query(CaseConference.state)
        return bool(_clock(state, "minutes").label == SCOTTISH_MINUTES)

    await eventually(renamed)
    state = await handle.query(CaseConference.state)
    pathway = clock_env.client.get_workflow_handle(workflow_id(uuid.UUID(conf.woman_id)))
    edd = (await pathway.query(WomanPathway.state)).edd
    scottish = compute_deadlines(
        get_area("glenbrae"),
        edd=edd,
        conference=uk_date(conf.starts_at),
        conference_kind="initial",
    )
    due = {d.key: d.due for d in scottish}
    for deadline in ("minutes", "first_core_group"):
        assert _clock(state, deadline).due == due[deadline]
    [minutes] = await rows(sessions, Deadline, key=_clock(state, "minutes").key)
    assert minutes.label == SCOTTISH_MINUTES
    assert (await handle.describe()).status is WorkflowExecutionStatus.RUNNING


async def test_her_support_episode_follows_her_unbroken(
    sign_in: SignIn, sessions: Sessions, clock_env: WorkflowEnvironment, now: datetime
) -> None:
    sam = await sign_in("sam.social")
    woman_id = await make_referral(await sign_in("mia.midwife"))
    await with_everything(sam, woman_id, now, clock_env)

    async def opened() -> bool:
        return bool(await rows(sessions, SupportEpisode, woman_id=uuid.UUID(woman_id)))

    await eventually(opened)
    await _moved(sam, await sign_in("iona.social"), woman_id)
    [episode] = await rows(sessions, SupportEpisode, woman_id=uuid.UUID(woman_id))
    handle = clock_env.client.get_workflow_handle(episode.workflow_id)

    async def told() -> bool:
        return "area_moved" in await _signals(handle)

    await eventually(told)
    events = [e async for e in handle.fetch_history_events()]
    at = next(
        i
        for i, e in enumerate(events)
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
        and e.workflow_execution_signaled_event_attributes.signal_name == "area_moved"
    )

    async def replanned() -> bool:
        later = [e async for e in handle.fetch_history_events()][at:]
        return any(
            e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED for e in later
        ) and any(
            e.activity_task_scheduled_event_attributes.activity_type.name == "plan_clocks"
            for e in later
            if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
        )

    await eventually(replanned)
    [episode] = await rows(sessions, SupportEpisode, woman_id=uuid.UUID(woman_id))
    assert episode.status != "closed"
    assert (await handle.describe()).status is WorkflowExecutionStatus.RUNNING


async def _signals(handle: Any) -> list[str]:
    return [
        e.workflow_execution_signaled_event_attributes.signal_name
        async for e in handle.fetch_history_events()
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
    ]


async def test_the_sending_team_reads_her_record_for_the_areas_period_only(
    sign_in: SignIn, sessions: Sessions
) -> None:
    sam, iona = await sign_in("sam.social"), await sign_in("iona.social")
    woman_id = await make_referral(await sign_in("mia.midwife"))
    await screen(sam, woman_id, "strategy_discussion")
    await _moved(sam, iona, woman_id)
    assert (await sam.get(f"/api/v1/women/{woman_id}")).status_code == 200
    [read] = await audit_rows(sessions, outcome="transferred", record_id=woman_id)
    assert read.action == "view_woman"
    # Her record is not in the sending team's lists or searches: only opened by its id.
    listed = {w["id"] for w in (await sam.get("/api/v1/women")).json()}
    assert woman_id not in listed
    async with transaction(sessions) as session:
        await session.execute(
            update(Transfer)
            .where(Transfer.woman_id == uuid.UUID(woman_id))
            .values(read_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert (await sam.get(f"/api/v1/women/{woman_id}")).status_code == 404
    assert (await iona.get(f"/api/v1/women/{woman_id}")).status_code == 200


async def test_a_move_after_her_support_was_signed_off_goes_ahead(
    sign_in: SignIn, sessions: Sessions, clock_env: WorkflowEnvironment, now: datetime
) -> None:
    sam = await sign_in("sam.social")
    woman_id = await make_referral(await sign_in("mia.midwife"))
    await with_everything(sam, woman_id, now, clock_env)
    her = uuid.UUID(woman_id)

    async def opened() -> bool:
        return bool(await rows(sessions, SupportEpisode, woman_id=her))

    await eventually(opened)
    body = {"reason": "Support ended", "handover_to": "Her GP", "second_reason": "She asked"}
    closed = await (await sign_in("lee.lead")).post(
        f"/api/v1/women/{woman_id}/support/close", json=body
    )
    assert closed.status_code == 200, closed.text
    [episode] = await rows(sessions, SupportEpisode, woman_id=her)
    handle = clock_env.client.get_workflow_handle(episode.workflow_id)

    async def ended() -> bool:
        return (await handle.describe()).status is not WorkflowExecutionStatus.RUNNING

    await eventually(ended)
    # Her finished episode cannot be told of the move: the move goes ahead all the same.
    await _moved(sam, await sign_in("iona.social"), woman_id)
    pathway = clock_env.client.get_workflow_handle(workflow_id(her))
    assert (await pathway.query(WomanPathway.state)).area == "glenbrae"
