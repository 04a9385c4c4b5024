"""Moving her record between areas: her social worker asks, the receiving team accepts (her
clocks re-derived under the new area's rules, nation and holidays; her record, team and duties
move; the sending team may still read) or declines with a reason (nothing changes); a transfer
that cannot be made is refused with nothing written."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from forms.area import Span
from forms.clock import ClockStatus
from rules.calendar import WorkingCalendar
from rules.clocks import compute_deadlines
from rules.uktime import uk_date
from services.dropped import is_dropped
from services.duties import end_of_day
from tests.api.conftest import SignIn
from tests.helpers.api import audit_rows, make_referral, user_id
from tests.helpers.planning import eventually, rows
from tests.helpers.planning_api import screen, summary, with_everything
from tests.helpers.snapshot import changed, snapshot
from waymark.areas import get_area
from waymark.db.models import (
    AdvocateAllocation,
    Duty,
    Organisation,
    SupportEpisode,
    Task,
    Transfer,
    Woman,
)
from workflows.pathway import WomanPathway, workflow_id

Sessions = async_sessionmaker[AsyncSession]
IRD = "Inter-agency referral discussion (IRD) held"
SCOTTISH_CONFERENCE = "Pre-birth child protection planning meeting held"


async def _state(env: WorkflowEnvironment, woman_id: str) -> Any:
    handle = env.client.get_workflow_handle(workflow_id(uuid.UUID(woman_id)))
    return await handle.query(WomanPathway.state)


async def _to_new_years_eve(env: WorkflowEnvironment, now: datetime) -> date:
    """Move the workflows' time to noon on 31 December: Scotland closes on 1 and 2 January
    (or their substitute days), England on 1 January only."""
    eve = date(now.year, 12, 31)
    if now.date() >= eve:
        eve = date(now.year + 1, 12, 31)
    await env.sleep(datetime.combine(eve, time(12), tzinfo=UTC) - now)
    return eve


async def _ask(sam: httpx.AsyncClient, woman_id: str, **body: Any) -> httpx.Response:
    payload = {"to_area": "glenbrae", "reason": "She has moved to Glenbrae"} | body
    return await sam.post(f"/api/v1/women/{woman_id}/transfer", json=payload)


async def test_a_transfer_england_to_scotland_re_derives_her_clocks(
    sign_in: SignIn, sessions: Sessions, clock_env: WorkflowEnvironment, now: datetime
) -> None:
    midwife, sam, iona = [await sign_in(u) for u in ("mia.midwife", "sam.social", "iona.social")]
    woman_id = await make_referral(midwife)
    concern = await _to_new_years_eve(clock_env, now)
    await screen(sam, woman_id, "strategy_discussion")
    before = await _state(clock_env, woman_id)
    england = before.clocks[f"{woman_id}:pathway:strategy_discussion"]
    assert england.label == "Strategy discussion held"

    asked = await _ask(sam, woman_id)
    assert asked.status_code == 201, asked.text
    transfer = asked.json()
    # The receiving team sees where from, why and when, and not her record until it accepts.
    waiting = (await iona.get("/api/v1/transfers")).json()
    assert [(t["id"], t["from_area"], t["reason"]) for t in waiting] == [
        (transfer["id"], "northmoor", "She has moved to Glenbrae")
    ]
    assert set(waiting[0]) == set(transfer)
    assert (await iona.get(f"/api/v1/women/{woman_id}")).status_code == 404
    assert (await sam.get("/api/v1/transfers")).json() == []

    accepted = await iona.post(f"/api/v1/transfers/{transfer['id']}/accept", json={})
    assert accepted.status_code == 200, accepted.text

    glenbrae = get_area("glenbrae")
    after = await _state(clock_env, woman_id)
    assert (after.area, after.nation.value) == ("glenbrae", "scotland")
    ird = after.clocks[f"{woman_id}:pathway:strategy_discussion"]
    assert ird.label == IRD
    one_day = Span(amount=1, unit="working_days")
    scottish = WorkingCalendar(glenbrae).shift(concern, one_day)
    assert ird.due == scottish
    assert scottish != WorkingCalendar(get_area("northmoor")).shift(concern, one_day)
    conference = after.clocks[f"{woman_id}:pathway:conference_due"]
    assert conference.label == SCOTTISH_CONFERENCE
    expected = compute_deadlines(glenbrae, edd=after.edd, concern=after.concern_on)
    assert conference.due == next(d.due for d in expected if d.key == "conference_due")
    assert ird.status is ClockStatus.PENDING

    [woman] = await rows(sessions, Woman, id=uuid.UUID(woman_id))
    [team] = await rows(sessions, Organisation, code="glenbrae-sw")
    assert (woman.area_code, woman.team_id) == ("glenbrae", team.id)
    live = [d for d in await rows(sessions, Duty, woman_id=woman.id) if d.status == "open"]
    assert live
    assert {(d.area_code, d.owed_by_organisation_id) for d in live} == {("glenbrae", team.id)}
    # Her new team reads her record; her old team still may, for its area's period.
    her = await summary(iona, woman_id)
    assert any("moved from Northmoor" in e["summary"] for e in her["timeline"])
    assert (await sam.get(f"/api/v1/women/{woman_id}")).status_code == 200
    [row] = await rows(sessions, Transfer, id=uuid.UUID(transfer["id"]))
    assert row.read_until is not None
    assert row.read_until - row.answered_at == timedelta(days=28)
    assert await audit_rows(sessions, action="accept_transfer", record_id=woman_id)
    # Accepting again changes nothing more (her pathway moves once per transfer).
    again = await iona.post(f"/api/v1/transfers/{transfer['id']}/accept", json={})
    assert again.status_code == 200, again.text
    twice = await _state(clock_env, woman_id)
    assert twice.transfers == [transfer["id"]]
    assert _dates(twice) == _dates(after)


def _dates(state: Any) -> dict[str, tuple[date, str]]:
    return {key: (clock.due, clock.label) for key, clock in state.clocks.items()}


async def test_a_declined_transfer_leaves_everything_as_it_was(
    sign_in: SignIn, sessions: Sessions, clock_env: WorkflowEnvironment
) -> None:
    midwife, sam, iona = [await sign_in(u) for u in ("mia.midwife", "sam.social", "iona.social")]
    woman_id = await make_referral(midwife)
    await screen(sam, woman_id, "strategy_discussion")
    transfer = (await _ask(sam, woman_id)).json()
    state = await _state(clock_env, woman_id)
    # The receiving team owes an answer, in its own area's register: unanswered past its date,
    # it is among that area's dropped duties (the ledger's and the oversight sweep's).
    [owed] = await rows(sessions, Duty, key=f"transfer-answer:{transfer['id']}")
    [glenbrae] = await rows(sessions, Organisation, code="glenbrae-sw")
    assert (owed.area_code, owed.owed_by_organisation_id) == ("glenbrae", glenbrae.id)
    within = WorkingCalendar(get_area("glenbrae")).shift(
        uk_date(owed.opened_at), Span(amount=5, unit="working_days")
    )
    assert owed.due_at == end_of_day(within)
    assert not is_dropped(owed, owed.due_at - timedelta(minutes=1))
    assert is_dropped(owed, owed.due_at + timedelta(minutes=1))
    kept = await snapshot(sessions)

    no_reason = await iona.post(f"/api/v1/transfers/{transfer['id']}/decline", json={})
    assert no_reason.status_code == 422, no_reason.text
    assert "say why" in no_reason.text
    declined = await iona.post(
        f"/api/v1/transfers/{transfer['id']}/decline", json={"reason": "She lives in Northmoor"}
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "declined"

    assert set(changed(kept, await snapshot(sessions))) == {
        "transfers",
        "timeline_events",
        "duties",
    }
    [answered] = await rows(sessions, Duty, key=owed.key)
    assert answered.status == "met"
    assert await _state(clock_env, woman_id) == state
    [woman] = await rows(sessions, Woman, id=uuid.UUID(woman_id))
    assert woman.area_code == "northmoor"
    timeline = [e["summary"] for e in (await summary(sam, woman_id))["timeline"]]
    assert any(s.endswith("declined: She lives in Northmoor") for s in timeline)
    assert (await iona.get(f"/api/v1/women/{woman_id}")).status_code == 404
    late = await iona.post(f"/api/v1/transfers/{transfer['id']}/accept", json={})
    assert late.status_code == 409


async def test_her_support_goes_on_and_an_advocate_elsewhere_is_handed_over(
    sign_in: SignIn, sessions: Sessions, clock_env: WorkflowEnvironment, now: datetime
) -> None:
    midwife, sam, iona = [await sign_in(u) for u in ("mia.midwife", "sam.social", "iona.social")]
    woman_id = await make_referral(midwife)
    her = uuid.UUID(woman_id)
    await with_everything(sam, woman_id, now, clock_env)

    async def running() -> bool:
        """Her episode and allocation, and the removal's last duties (her support plan's clocks,
        the advocate's acknowledgement), are all on record: the transfer moves what exists."""
        episodes = await rows(sessions, SupportEpisode, woman_id=her)
        kinds = {d.kind for d in await rows(sessions, Duty, woman_id=her)}
        return (
            bool(episodes)
            and bool(await rows(sessions, AdvocateAllocation, woman_id=her))
            and {"support_plan", "removal_acknowledgement"} <= kinds
        )

    await eventually(running)
    transfer = (await _ask(sam, woman_id)).json()
    # Until the receiving team answers, her duties are the sending team's.
    [northmoor] = await rows(sessions, Organisation, code="northmoor-csc")
    owners = {d.owed_by_organisation_id for d in await rows(sessions, Duty, woman_id=her)}
    assert northmoor.id in owners
    accepted = await iona.post(f"/api/v1/transfers/{transfer['id']}/accept", json={})
    assert accepted.status_code == 200, accepted.text

    [episode] = await rows(sessions, SupportEpisode, woman_id=her)
    assert episode.status != "closed"
    handle = clock_env.client.get_workflow_handle(episode.workflow_id)
    assert (await handle.describe()).status is WorkflowExecutionStatus.RUNNING
    [allocation] = await rows(sessions, AdvocateAllocation, woman_id=her)
    assert allocation.ended_at is None
    [handover] = await rows(sessions, Task, woman_id=her, kind="advocate_handover")
    [glenbrae] = await rows(sessions, Organisation, code="glenbrae-sw")
    assert handover.assignee_organisation_id == glenbrae.id
    live = [d for d in await rows(sessions, Duty, woman_id=her) if d.status in ("open", "paused")]
    assert live
    assert {d.owed_by_organisation_id for d in live} == {glenbrae.id}
    # What her episode owes her from now on (the next contact after this one) is owed by the
    # receiving team too, not by the worker the area she left named: they cannot act on it.
    await clock_env.sleep(timedelta(days=1))  # a contact the day after her removal
    contact = {"on": uk_date(now + timedelta(days=1)).isoformat(), "kind": "phone"}
    recorded = await iona.post(f"/api/v1/women/{woman_id}/support/contacts", json=contact)
    assert recorded.status_code == 201, recorded.text

    async def next_contact_owed() -> bool:
        contacts = await rows(sessions, Duty, woman_id=her, kind="contact")
        return any(d.status == "met" for d in contacts) and any(
            d.status == "open" for d in contacts
        )

    await eventually(next_contact_owed)
    [following] = await rows(sessions, Duty, woman_id=her, kind="contact", status="open")
    assert episode.named_worker_id is not None
    assert (following.owed_by_user_id, following.owed_by_organisation_id) == (None, glenbrae.id)
    # Her named worker works in the area she left: her new team owes her one of its own, and
    # naming one meets that duty.
    [moved] = await rows(sessions, Duty, woman_id=her, kind="named_worker", status="open")
    assert (moved.owed_by_user_id, moved.owed_by_organisation_id) == (None, glenbrae.id)
    worker = {"worker_id": str(await user_id(sessions, "iona.social"))}
    named = await iona.post(f"/api/v1/women/{woman_id}/support/named-worker", json=worker)
    assert named.status_code == 200, named.text

    async def named_here() -> bool:
        return [d.status for d in await rows(sessions, Duty, key=moved.key)] == ["met"]

    await eventually(named_here)
    # The sending team reads her record still, but no longer acts on it.
    sam_id = await user_id(sessions, "sam.social")
    acted = await sam.post(f"/api/v1/women/{woman_id}/coordinator", json={"user_id": str(sam_id)})
    assert acted.status_code in (403, 404), acted.text


@pytest.mark.parametrize(
    ("who", "case", "status", "words"),
    [
        ("sam.social", "same_area", 422, "already held by"),
        ("sam.social", "unknown_area", 422, "Unknown area"),
        ("sam.social", "no_reason", 422, "reason"),
        ("mia.midwife", "fine", 403, "transfer record"),
        ("iona.social", "fine", 404, "no such woman"),
        ("ola.social", "coordinated", 403, "care co-ordinator"),
        ("sam.social", "closed", 409, "closed"),
        ("sam.social", "merged", 409, "merged into"),
    ],
)
async def test_a_transfer_that_cannot_be_made_changes_nothing(
    sign_in: SignIn, sessions: Sessions, who: str, case: str, status: int, words: str
) -> None:
    midwife, sam = await sign_in("mia.midwife"), await sign_in("sam.social")
    woman_id = await make_referral(midwife)
    body: dict[str, Any] = {}
    if case == "same_area":
        body["to_area"] = "northmoor"
    elif case == "unknown_area":
        body["to_area"] = "atlantis"
    elif case == "no_reason":
        body["reason"] = " "
    elif case == "coordinated":
        await screen(sam, woman_id, "strategy_discussion")
        sam_id = await user_id(sessions, "sam.social")
        named = await sam.post(
            f"/api/v1/women/{woman_id}/coordinator", json={"user_id": str(sam_id)}
        )
        assert named.status_code == 200, named.text
    elif case == "closed":
        await screen(sam, woman_id, "no_further_action")
    elif case == "merged":
        keep = await make_referral(midwife)
        merged = await (await sign_in("lee.lead")).post(
            f"/api/v1/women/{keep}/merge", json={"merge_woman_id": woman_id, "reason": "Same"}
        )
        assert merged.status_code == 200, merged.text
    before = await snapshot(sessions)
    answer = await _ask(await sign_in(who), woman_id, **body)
    assert answer.status_code == status, answer.text
    assert words in answer.text
    assert changed(before, await snapshot(sessions)) == []
