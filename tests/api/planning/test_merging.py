"""Merging two records that are one woman: a safeguarding lead merges them; one record and one
pathway go on with both histories, every duty, meeting, allocation and support episode kept;
bad requests change nothing."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from forms.advocacy import allocation_workflow_id
from tests.api.conftest import SignIn
from tests.helpers.api import audit_rows, glenbrae_referral_body, make_referral
from tests.helpers.planning import count, eventually, rows
from tests.helpers.planning_api import summary, with_everything
from tests.helpers.snapshot import changed, snapshot
from waymark.db.models import (
    AdvocateAllocation,
    Deadline,
    Duty,
    Meeting,
    RecordMerge,
    Referral,
    SupportEpisode,
    TimelineEvent,
    Woman,
)
from workflows.pathway import WomanPathway, workflow_id

Sessions = async_sessionmaker[AsyncSession]
KEPT = (Referral, Deadline, Duty, Meeting, SupportEpisode, AdvocateAllocation, TimelineEvent)


async def _held(sessions: Sessions, woman_id: uuid.UUID) -> dict[str, int]:
    return {m.__tablename__: await count(sessions, m, woman_id=woman_id) for m in KEPT}


async def test_a_merge_keeps_every_duty_meeting_allocation_and_support_episode(
    sign_in: SignIn, sessions: Sessions, clock_env: WorkflowEnvironment, now: datetime
) -> None:
    midwife, sam, lee = [await sign_in(u) for u in ("mia.midwife", "sam.social", "lee.lead")]
    keep, other = await make_referral(midwife), await make_referral(midwife)
    keep_id, other_id = uuid.UUID(keep), uuid.UUID(other)
    await with_everything(sam, other, now, clock_env)

    async def running() -> bool:
        # Her support episode plans its clocks just after it opens: wait for those too.
        held = await _held(sessions, other_id)
        support_clocks = [
            d
            for d in await rows(sessions, Deadline, woman_id=other_id)
            if d.scope.startswith("support:")
        ]
        return held["advocate_allocations"] == 1 and bool(support_clocks)

    await eventually(running)
    before = await _held(sessions, other_id)
    ours = await _held(sessions, keep_id)
    running_clocks = (await _state(clock_env, other_id)).clocks.items()
    clocks = {key for key, c in running_clocks if c.status in ("pending", "paused")}
    assert before["deadlines"]
    assert clocks
    assert before["duties"]
    assert before["meetings"] == 1

    merged = await lee.post(
        f"/api/v1/women/{keep}/merge", json={"merge_woman_id": other, "reason": "Same woman"}
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["moved"]["deadlines"] == before["deadlines"]
    after = await _held(sessions, keep_id)
    # Every row of hers moved (the merge adds one timeline entry on each pathway).
    for table, n in before.items():
        extra = 2 if table == "timeline_events" else 0
        assert after[table] == ours[table] + n + extra, table
    assert await _held(sessions, other_id) == dict.fromkeys(before, 0)
    [episode] = await rows(sessions, SupportEpisode, woman_id=keep_id)
    assert episode.status != "closed"
    [allocation] = await rows(sessions, AdvocateAllocation, woman_id=keep_id)
    assert allocation.ended_at is None
    # Her duties are now watched by the pathway that goes on; the other has ended.
    assert clocks <= set((await _state(clock_env, keep_id)).clocks)
    assert await _status(clock_env, workflow_id(other_id)) is WorkflowExecutionStatus.COMPLETED
    for still in (episode.workflow_id, allocation_workflow_id(other_id)):
        assert await _status(clock_env, still) is WorkflowExecutionStatus.RUNNING
    [record] = await rows(sessions, Woman, id=other_id)
    assert record.merged_into_id == keep_id
    timeline = [e["summary"] for e in (await summary(sam, keep))["timeline"]]
    assert any(s.startswith(f"Merged into record {keep}: Same woman") for s in timeline)
    assert any("merged into this one: Same woman" in s for s in timeline)
    assert [m.status for m in await rows(sessions, RecordMerge)] == ["completed"]
    assert await audit_rows(sessions, action="merge_records", record_id=keep)


async def _state(env: WorkflowEnvironment, woman_id: uuid.UUID) -> Any:
    return await env.client.get_workflow_handle(workflow_id(woman_id)).query(WomanPathway.state)


async def _status(env: WorkflowEnvironment, wf_id: str) -> Any:
    return (await env.client.get_workflow_handle(wf_id).describe()).status


@pytest.mark.parametrize(
    ("who", "case", "status", "words"),
    [
        ("lee.lead", "same", 422, "itself"),
        ("lee.lead", "other_area", 422, "different areas"),
        ("lee.lead", "no_reason", 422, "reason"),
        ("sam.social", "fine", 403, "merge records"),
    ],
)
async def test_a_merge_that_cannot_be_made_changes_nothing(
    sign_in: SignIn, sessions: Sessions, who: str, case: str, status: int, words: str
) -> None:
    midwife, ewan = await sign_in("mia.midwife"), await sign_in("ewan.midwife")
    keep, other = await make_referral(midwife), await make_referral(midwife)
    elsewhere = await make_referral(ewan, glenbrae_referral_body())
    body: dict[str, Any] = {"merge_woman_id": other, "reason": "Same woman"}
    if case == "same":
        body["merge_woman_id"] = keep
    elif case == "other_area":
        body["merge_woman_id"] = elsewhere
    elif case == "no_reason":
        body["reason"] = " "
    before = await snapshot(sessions)
    answer = await (await sign_in(who)).post(f"/api/v1/women/{keep}/merge", json=body)
    assert answer.status_code == status, answer.text
    assert words in answer.text
    assert changed(before, await snapshot(sessions)) == []


async def test_a_merged_record_is_not_reopened_nor_found_by_search(sign_in: SignIn) -> None:
    midwife, sam, lee = [await sign_in(u) for u in ("mia.midwife", "sam.social", "lee.lead")]
    keep, other = await make_referral(midwife), await make_referral(midwife)
    merged = await lee.post(
        f"/api/v1/women/{keep}/merge", json={"merge_woman_id": other, "reason": "Same woman"}
    )
    assert merged.status_code == 200, merged.text
    reopened = await sam.post(f"/api/v1/women/{other}/reopen", json={"reason": "Open again"})
    assert reopened.status_code == 409
    assert "merged into another" in reopened.text
    her = await summary(sam, keep)
    name = f"{her['given_name']} {her['family_name']}"
    found = await sam.post("/api/v1/search", json={"name": name})
    assert [r["id"] for r in found.json()["results"]] == [keep]
