"""A deadline's clock through the API: pause, resume and extend, always with the reason; who may;
and refusals that leave the deadline as it was."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rules.uktime import uk_date
from rules.wording import long_date
from tests.api.conftest import SignIn
from tests.helpers.api import make_referral
from tests.helpers.planning import rows
from tests.helpers.planning_api import (
    CONFERENCE_DUE,
    conference,
    deadline_called,
    meeting_body,
    refused,
    screen,
    summary,
    to_conference,
)
from waymark.db.models import Deadline, TimelineEvent

Sessions = async_sessionmaker[AsyncSession]


async def _in_assessment(sign_in: SignIn) -> tuple[httpx.AsyncClient, str, dict[str, Any]]:
    """Sam, a woman screened for a pre-birth assessment, and her conference deadline."""
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await screen(sam, woman_id, "pre_birth_assessment")
    return sam, woman_id, deadline_called(await summary(sam, woman_id), CONFERENCE_DUE)


async def _change(
    client: httpx.AsyncClient, woman_id: str, deadline_id: str, action: str, **fields: Any
) -> httpx.Response:
    body = {"action": action, "reason": "Family court directions awaited", **fields}
    return await client.post(f"/api/v1/women/{woman_id}/deadlines/{deadline_id}", json=body)


async def _row(sessions: Sessions, deadline_id: str) -> tuple[Any, ...]:
    [row] = await rows(sessions, Deadline, id=uuid.UUID(deadline_id))
    return row.due, row.status, row.note, row.basis


async def test_a_clock_is_paused_and_resumed_with_its_reasons(
    sign_in: SignIn, sessions: Sessions
) -> None:
    sam, woman_id, due = await _in_assessment(sign_in)

    paused = await _change(sam, woman_id, due["id"], "pause")

    assert paused.status_code == 200, paused.text
    assert (paused.json()["status"], paused.json()["note"]) == (
        "paused",
        "Family court directions awaited",
    )
    shown = deadline_called(await summary(sam, woman_id), CONFERENCE_DUE)
    assert (shown["status"], shown["note"]) == ("paused", "Family court directions awaited")
    held = await _row(sessions, due["id"])

    again = await _change(sam, woman_id, due["id"], "pause")

    refused(again, 409, "only a running clock can be paused")
    assert await _row(sessions, due["id"]) == held

    resumed = await _change(sam, woman_id, due["id"], "resume", reason="Directions received")

    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["status"] == "pending"
    assert deadline_called(await summary(sam, woman_id), CONFERENCE_DUE)["status"] == "pending"
    refused(await _change(sam, woman_id, due["id"], "resume"), 409, "only a paused clock")


async def test_a_safeguarding_lead_extends_a_deadline_to_a_later_date(
    sign_in: SignIn, sessions: Sessions
) -> None:
    _, woman_id, due = await _in_assessment(sign_in)
    later = date.fromisoformat(due["due"]) + timedelta(days=10)

    response = await _change(
        await sign_in("lee.lead"), woman_id, due["id"], "extend", new_due=later.isoformat()
    )

    assert response.status_code == 200, response.text
    assert response.json()["due"] == later.isoformat()
    assert response.json()["basis"].startswith(
        f"extended from {long_date(date.fromisoformat(due['due']))}"
    )
    [row] = await rows(sessions, Deadline, id=uuid.UUID(due["id"]))
    assert (row.due, row.status) == (later, "pending")


@pytest.mark.parametrize("days", [pytest.param(-1, id="earlier"), pytest.param(0, id="same")])
async def test_an_extension_must_be_later_than_the_current_date(
    sign_in: SignIn, sessions: Sessions, days: int
) -> None:
    sam, woman_id, due = await _in_assessment(sign_in)
    new_due = date.fromisoformat(due["due"]) + timedelta(days=days)
    before = await _row(sessions, due["id"])
    events = len(await rows(sessions, TimelineEvent, woman_id=uuid.UUID(woman_id)))

    response = await _change(sam, woman_id, due["id"], "extend", new_due=new_due.isoformat())

    current = long_date(date.fromisoformat(due["due"]))
    refused(response, 409, f"the new date must be after the current one ({current})")
    assert await _row(sessions, due["id"]) == before
    assert len(await rows(sessions, TimelineEvent, woman_id=uuid.UUID(woman_id))) == events


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"action": "extend", "reason": "Court"}, None, id="extend-without-new_due"),
        pytest.param({"action": "pause"}, "reason", id="without-a-reason"),
        pytest.param({"action": "pause", "reason": " "}, "reason", id="blank-reason"),
        pytest.param({"action": "stop", "reason": "Court"}, "action", id="unknown-action"),
    ],
)
async def test_a_clock_change_needs_its_action_reason_and_date(
    sign_in: SignIn, sessions: Sessions, body: dict[str, str], field: str | None
) -> None:
    sam, woman_id, due = await _in_assessment(sign_in)
    before = await _row(sessions, due["id"])

    response = await sam.post(f"/api/v1/women/{woman_id}/deadlines/{due['id']}", json=body)

    if field is None:
        refused(response, 422, "say the new date (new_due) to extend a deadline")
    else:
        assert response.status_code == 422, response.text
        assert [p["field"] for p in response.json()["problems"]] == [field]
    assert await _row(sessions, due["id"]) == before


async def test_an_unknown_deadline_or_another_womans_is_not_found(sign_in: SignIn) -> None:
    sam, woman_id, due = await _in_assessment(sign_in)
    other = await make_referral(await sign_in("mia.midwife"))

    unknown = await _change(sam, woman_id, str(uuid.uuid4()), "pause")
    hers_not_his = await _change(sam, other, due["id"], "pause")

    refused(unknown, 404, "no such deadline for her")
    refused(hers_not_his, 404, "no such deadline for her")
    assert deadline_called(await summary(sam, woman_id), CONFERENCE_DUE)["status"] == "pending"


@pytest.mark.parametrize(
    ("username", "status"),
    [
        pytest.param("mia.midwife", 403, id="a-practitioner-403"),
        pytest.param("ava.advocate", 403, id="an-advocate-403"),
        pytest.param("iona.social", 404, id="a-social-worker-of-another-team-404"),
    ],
)
async def test_only_her_social_workers_and_leads_change_clocks(
    sign_in: SignIn, sessions: Sessions, username: str, status: int
) -> None:
    _, woman_id, due = await _in_assessment(sign_in)
    before = await _row(sessions, due["id"])

    response = await _change(await sign_in(username), woman_id, due["id"], "pause")

    assert response.status_code == status, response.text
    assert await _row(sessions, due["id"]) == before


async def test_a_conference_clock_is_paused_in_its_conference(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    """A deadline scoped to her conference is changed in the conference workflow, not hers."""
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await to_conference(sam, woman_id, uk_date(now))
    meeting = await sam.post(f"/api/v1/women/{woman_id}/meetings", json=meeting_body(now, 10))
    assert meeting.status_code == 201, meeting.text
    await conference(sam, woman_id, "scheduled")
    reports = deadline_called(await summary(sam, woman_id), "Agency reports shared with her")

    response = await _change(sam, woman_id, reports["id"], "pause")

    assert response.status_code == 200, response.text
    assert response.json()["deadline"] == "reports_to_woman"
    assert (await _row(sessions, reports["id"]))[1] == "paused"
