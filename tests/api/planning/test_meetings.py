"""Meetings through the API: scheduling, moving and cancelling, the refusals (the past, a late
conference without its reason, clashes, a second conference) and the warnings (a busy week,
short notice), with the notices each change writes and nothing written when refused."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rules.calendar import WorkingCalendar
from rules.uktime import uk_date
from tests.api.conftest import SignIn
from tests.helpers.api import make_referral
from tests.helpers.planning import count, rows
from tests.helpers.planning_api import (
    conference,
    meeting_body,
    refused,
    summary,
    to_conference,
)
from waymark.areas import get_area
from waymark.db.models import Meeting, Notice

Sessions = async_sessionmaker[AsyncSession]


async def _at_conference(sign_in: SignIn, now: datetime) -> tuple[httpx.AsyncClient, str, str]:
    """Sam, and a Northmoor woman whose strategy discussion decided to confer (today)."""
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    conference_id = await to_conference(sam, woman_id, uk_date(now))
    return sam, woman_id, conference_id


async def _schedule(
    client: httpx.AsyncClient, woman_id: str, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(f"/api/v1/women/{woman_id}/meetings", json=body)


async def _written(sessions: Sessions) -> tuple[int, int]:
    """How many meeting rows and notice rows there are."""
    return await count(sessions, Meeting), await count(sessions, Notice)


async def _recipients(sessions: Sessions, meeting_id: str, kind: str) -> set[tuple[Any, ...]]:
    notices = await rows(sessions, Notice, meeting_id=uuid.UUID(meeting_id), kind=kind)
    return {(n.recipient_kind, n.recipient_user_id, n.recipient_organisation_id) for n in notices}


async def test_scheduling_the_conference_tells_everyone_and_sets_reminders(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    sam, woman_id, conference_id = await _at_conference(sign_in, now)

    response = await _schedule(sam, woman_id, meeting_body(now, 10))

    assert response.status_code == 201, response.text
    receipt = response.json()
    assert (receipt["sequence"], receipt["warnings"]) == (0, [])
    [meeting] = (await summary(sam, woman_id))["meetings"]
    assert (meeting["id"], meeting["kind"]) == (receipt["meeting_id"], "conference")
    assert (meeting["status"], meeting["conference_id"]) == ("scheduled", conference_id)
    assert meeting["short_notice"] is False
    scheduled = await _recipients(sessions, receipt["meeting_id"], "meeting_scheduled")
    assert ("woman", None, None) in scheduled
    assert {kind for kind, _, _ in scheduled} >= {"woman", "agency"}
    assert await count(sessions, Notice, kind="reminder-1", recipient_kind="woman") == 1
    await conference(sam, woman_id, "scheduled")


async def test_a_meeting_in_the_past_is_refused(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    sam, woman_id, _ = await _at_conference(sign_in, now)
    before = await _written(sessions)

    response = await _schedule(sam, woman_id, meeting_body(now, -1, any_day=True))

    refused(response, 409, "the meeting must be in the future")
    assert await _written(sessions) == before
    assert (await summary(sam, woman_id))["meetings"] == []


async def test_a_conference_after_its_latest_date_needs_the_reason(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    sam, woman_id, _ = await _at_conference(sign_in, now)
    latest = date.fromisoformat((await conference(sam, woman_id))["statutory_latest"])
    before = await _written(sessions)

    without = await _schedule(sam, woman_id, meeting_body(now, 60))

    refused(
        without, 409, f"due by {latest.day} {latest:%B %Y}", "record the reason it must be later"
    )
    assert await _written(sessions) == before

    reason = "The only date midwifery can attend"
    with_reason = await _schedule(sam, woman_id, meeting_body(now, 60, late_reason=reason))

    assert with_reason.status_code == 201, with_reason.text
    [row] = await rows(sessions, Meeting, id=uuid.UUID(with_reason.json()["meeting_id"]))
    assert row.change_reason == reason


async def test_an_in_person_meeting_needs_a_venue(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    body = meeting_body(now, 10, kind="planning_meeting", details={"venue": None})
    before = await _written(sessions)

    response = await _schedule(sam, woman_id, body)

    assert response.status_code == 422, response.text
    [problem] = response.json()["problems"]
    assert problem == {"field": "details", "problem": "an in-person meeting needs a venue"}
    assert await _written(sessions) == before
    # A phone meeting has no venue to name.
    phone = meeting_body(
        now, 10, kind="planning_meeting", details={"venue": None, "format": "phone"}
    )
    assert (await _schedule(sam, woman_id, phone)).status_code == 201


async def test_a_second_meeting_on_the_same_day_clashes(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    sam, woman_id, _ = await _at_conference(sign_in, now)
    first = await _schedule(sam, woman_id, meeting_body(now, 10))
    assert first.status_code == 201, first.text
    before = await _written(sessions)

    clash = await _schedule(sam, woman_id, meeting_body(now, 10, kind="planning_meeting", hour=15))

    refused(clash, 409, "she already has a conference that day at 10:00", "choose another day")
    assert await _written(sessions) == before


async def test_a_second_conference_is_refused_while_one_is_scheduled(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    sam, woman_id, _ = await _at_conference(sign_in, now)
    assert (await _schedule(sam, woman_id, meeting_body(now, 10))).status_code == 201
    before = await _written(sessions)

    second = await _schedule(sam, woman_id, meeting_body(now, 12))

    refused(second, 409, "the conference is already scheduled: reschedule it instead")
    assert await _written(sessions) == before


async def test_a_conference_before_the_strategy_discussion_decided_is_refused(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")

    response = await _schedule(sam, woman_id, meeting_body(now, 10))

    refused(response, 409, "there is no conference to schedule")
    assert await _written(sessions) == (0, 0)


async def test_rescheduling_moves_the_meeting_and_withdraws_its_old_reminders(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    sam, woman_id, _ = await _at_conference(sign_in, now)
    meeting_id = (await _schedule(sam, woman_id, meeting_body(now, 10))).json()["meeting_id"]
    old = await rows(sessions, Notice, meeting_id=uuid.UUID(meeting_id), sequence=0)
    assert any(n.kind.startswith("reminder") for n in old)
    moved_to = meeting_body(now, 12)

    response = await sam.put(f"/api/v1/women/{woman_id}/meetings/{meeting_id}", json=moved_to)

    assert response.status_code == 200, response.text
    assert (response.json()["meeting_id"], response.json()["sequence"]) == (meeting_id, 1)
    old = await rows(sessions, Notice, meeting_id=uuid.UUID(meeting_id), sequence=0)
    assert {n.status for n in old} == {"superseded"}  # nothing about the old time goes out
    assert ("woman", None, None) in await _recipients(sessions, meeting_id, "meeting_rescheduled")
    [meeting] = (await summary(sam, woman_id))["meetings"]
    assert (meeting["sequence"], meeting["status"]) == (1, "scheduled")
    assert datetime.fromisoformat(meeting["starts_at"]) == datetime.fromisoformat(
        moved_to["details"]["starts_at"]
    )


@pytest.mark.parametrize(
    ("meeting", "message"),
    [
        pytest.param("unknown", "there is no scheduled meeting with that id to move", id="unknown"),
        pytest.param("planning", "a meeting cannot change its kind", id="another-kind"),
    ],
)
async def test_rescheduling_needs_a_scheduled_meeting_of_the_same_kind(
    sign_in: SignIn, sessions: Sessions, now: datetime, meeting: str, message: str
) -> None:
    sam, woman_id, _ = await _at_conference(sign_in, now)
    planning = await _schedule(sam, woman_id, meeting_body(now, 9, kind="planning_meeting"))
    meeting_id = planning.json()["meeting_id"] if meeting == "planning" else str(uuid.uuid4())
    before = await _written(sessions)

    response = await sam.put(
        f"/api/v1/women/{woman_id}/meetings/{meeting_id}", json=meeting_body(now, 10)
    )

    refused(response, 409, message)
    assert await _written(sessions) == before


async def test_cancelling_tells_her_and_everyone_invited_and_reopens_the_conference(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    sam, woman_id, _ = await _at_conference(sign_in, now)
    meeting_id = (await _schedule(sam, woman_id, meeting_body(now, 10))).json()["meeting_id"]
    await conference(sam, woman_id, "scheduled")

    response = await sam.post(
        f"/api/v1/women/{woman_id}/meetings/{meeting_id}/cancel", json={"reason": "Chair unwell"}
    )

    assert response.status_code == 200, response.text
    assert response.json()["sequence"] == 1
    invited = await _recipients(sessions, meeting_id, "meeting_scheduled")
    told = await _recipients(sessions, meeting_id, "meeting_cancelled")
    assert told == invited
    assert ("woman", None, None) in told
    [meeting] = (await summary(sam, woman_id))["meetings"]
    assert meeting["status"] == "cancelled"
    await conference(sam, woman_id, "to_schedule")


async def test_a_meeting_is_cancelled_once(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    sam, woman_id, _ = await _at_conference(sign_in, now)
    meeting_id = (await _schedule(sam, woman_id, meeting_body(now, 10))).json()["meeting_id"]
    cancel = f"/api/v1/women/{woman_id}/meetings/{meeting_id}/cancel"
    assert (await sam.post(cancel, json={"reason": "Chair unwell"})).status_code == 200
    before = await _written(sessions)

    again = await sam.post(cancel, json={"reason": "Chair unwell"})

    refused(again, 409, "there is no scheduled meeting with that id to cancel")
    assert await _written(sessions) == before


async def test_a_fourth_meeting_in_one_week_is_scheduled_with_a_warning(
    sign_in: SignIn, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    today = uk_date(now)
    # Monday of an ISO week from the week after next whose Monday and Tuesday are working days
    # in Northmoor: every meeting is in the future, on good notice and on an open day
    # (appointments and pre-discharge meetings may be on any day).
    open_on = WorkingCalendar(get_area("northmoor")).is_working_day
    start = today - timedelta(days=today.weekday()) + timedelta(weeks=2)
    while not (open_on(start) and open_on(start + timedelta(days=1))):
        start += timedelta(weeks=1)
    monday = (start - today).days

    def body(days: int, kind: str) -> dict[str, Any]:
        return meeting_body(now, days, kind=kind, any_day=True)

    kinds = ["planning_meeting", "core_group", "appointment"]
    for offset, kind in enumerate(kinds):
        receipt = await _schedule(sam, woman_id, body(monday + offset, kind))
        assert receipt.status_code == 201, receipt.text
        assert receipt.json()["warnings"] == []  # two or fewer before it: not yet busy

    fourth = await _schedule(sam, woman_id, body(monday + 3, "pre_discharge"))
    next_week = await _schedule(sam, woman_id, body(monday + 7, "appointment"))

    assert fourth.status_code == 201, fourth.text
    [warning] = fourth.json()["warnings"]
    assert "she already has 3 meetings that week" in warning
    assert next_week.json()["warnings"] == []
    assert len((await summary(sam, woman_id))["meetings"]) == 5


async def test_a_meeting_less_than_five_days_ahead_is_short_notice(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")

    response = await _schedule(sam, woman_id, meeting_body(now, 2, kind="planning_meeting"))

    assert response.status_code == 201, response.text
    [warning] = response.json()["warnings"]
    assert "short notice" in warning
    [meeting] = (await summary(sam, woman_id))["meetings"]
    assert meeting["short_notice"] is True
    good_notice = await _schedule(sam, woman_id, meeting_body(now, 6, kind="appointment"))
    assert good_notice.json()["warnings"] == []


async def test_travel_support_is_recorded_with_the_meeting(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    body = meeting_body(now, 8, kind="planning_meeting", details={"travel_support": True})

    response = await _schedule(sam, woman_id, body)

    assert response.status_code == 201, response.text
    [row] = await rows(sessions, Meeting, id=uuid.UUID(response.json()["meeting_id"]))
    assert row.travel_support is True


@pytest.mark.parametrize(
    ("username", "status"),
    [
        pytest.param("mia.midwife", 403, id="a-practitioner-403"),
        pytest.param("ava.advocate", 403, id="an-advocate-403"),
        pytest.param("iona.social", 404, id="a-social-worker-of-another-team-404"),
    ],
)
async def test_only_her_teams_social_workers_arrange_meetings(
    sign_in: SignIn, sessions: Sessions, now: datetime, username: str, status: int
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    client = await sign_in(username)
    body = meeting_body(now, 8, kind="planning_meeting")

    response = await _schedule(client, woman_id, body)

    assert response.status_code == status, response.text
    assert await _written(sessions) == (0, 0)
