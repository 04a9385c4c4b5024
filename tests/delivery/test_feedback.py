"""Her voice after meetings (issue 19, item 2): a held meeting asks her, on her safe channel,
how it went; a text reply lands on her record; never within the quiet period after a removal,
nor once her baby's case has closed."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import httpx
import pytest

from activities.meetings import MeetingActivities
from forms.delivery import DispatchRequest
from forms.meeting import MeetingDetails, MeetingKind, MeetingRef, MeetingStatus, RecordMeeting
from tests.delivery.conftest import NOW, Sessions, add_meeting, add_woman, dispatcher
from tests.delivery.test_api import NOTIFY, text_from
from tests.helpers.planning import rows
from waymark.db.models import ContactRequest, MeetingFeedback, Notice, SupportEpisode, TimelineEvent
from waymark.settings import Settings

pytestmark = pytest.mark.usefixtures("demo")
HELD_AT = NOW + timedelta(days=10, hours=2)


async def held(sessions: Sessions, woman: uuid.UUID) -> uuid.UUID:
    """Her planning meeting, held (as her pathway records it)."""
    meeting = await add_meeting(sessions, woman)
    await record_held(sessions, woman, meeting)
    return meeting


async def record_held(sessions: Sessions, woman: uuid.UUID, meeting: uuid.UUID) -> None:
    starts = NOW + timedelta(days=10)
    ref = MeetingRef(
        meeting_id=meeting,
        kind=MeetingKind.PLANNING,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        details=MeetingDetails(starts_at=starts, venue={"name": "Family Centre"}),
        status=MeetingStatus.HELD,
    )
    inp = RecordMeeting(woman_id=woman, meeting=ref, change="held", area="northmoor", at=HELD_AT)
    await MeetingActivities(sessions).record_meeting(inp)


async def add_removal(sessions: Sessions, woman: uuid.UUID, days_before: int) -> None:
    on = (HELD_AT - timedelta(days=days_before)).date()
    async with sessions() as session, session.begin():
        session.add(
            SupportEpisode(
                id=uuid.uuid4(),
                woman_id=woman,
                workflow_id=f"support-{uuid.uuid4()}",
                opened_at=HELD_AT,
                removal_on=on,
                heightened_risk_until=on + timedelta(days=365),
                next_contact_due=on + timedelta(days=7),
            )
        )


async def test_a_held_meeting_asks_her_view_on_her_safe_channel(
    sessions: Sessions, settings: Settings
) -> None:
    woman = await add_woman(sessions)
    meeting = await held(sessions, woman)
    [request] = await rows(sessions, MeetingFeedback, woman_id=woman)
    assert (request.meeting_id, request.status, request.area_code) == (
        meeting,
        "asked",
        "northmoor",
    )
    [notice] = await rows(sessions, Notice, woman_id=woman, kind="feedback_request")
    assert (
        notice.summary == "How did the pre-birth planning meeting on 12 February 2027 go for you?"
    )
    assert notice.send_at == HELD_AT
    await record_held(sessions, woman, meeting)  # a repeat of the activity changes nothing
    assert len(await rows(sessions, MeetingFeedback, woman_id=woman)) == 1
    # The outbox sends it by text (her safe channel), with a link to the form.
    await dispatcher(sessions, settings, at=HELD_AT).deliver_due_notices(DispatchRequest())
    written = json.loads(next((settings.state_dir / "outbox").glob("*.json")).read_text())
    assert written["channel"] == "sms"
    assert "reply to this text with 1 if it went well" in written["body"]
    assert f"{settings.public_url}/feedback/" in written["body"]
    [request] = await rows(sessions, MeetingFeedback, woman_id=woman)
    assert request.token_hash is not None


async def test_her_texts_in_quiet_hours_wait_until_morning(
    sessions: Sessions, settings: Settings
) -> None:
    woman = await add_woman(sessions)
    await held(sessions, woman)
    night = HELD_AT.replace(hour=23)
    await dispatcher(sessions, settings, at=night).deliver_due_notices(DispatchRequest())
    assert not (settings.state_dir / "outbox").exists()


@pytest.mark.parametrize("days_before", [0, 27])
async def test_not_asked_within_the_quiet_period_after_a_removal(
    sessions: Sessions, days_before: int
) -> None:
    woman = await add_woman(sessions)
    await add_removal(sessions, woman, days_before)
    await held(sessions, woman)
    assert await rows(sessions, MeetingFeedback, woman_id=woman) == []
    assert await rows(sessions, Notice, woman_id=woman, kind="feedback_request") == []


async def test_asked_again_once_the_quiet_period_has_passed(sessions: Sessions) -> None:
    woman = await add_woman(sessions)
    await add_removal(sessions, woman, 28)
    await held(sessions, woman)
    assert len(await rows(sessions, MeetingFeedback, woman_id=woman)) == 1


async def test_not_asked_once_her_babys_case_has_closed(sessions: Sessions) -> None:
    woman = await add_woman(sessions, stage="closed")
    await held(sessions, woman)
    assert await rows(sessions, MeetingFeedback, woman_id=woman) == []
    assert await rows(sessions, Notice, woman_id=woman, kind="feedback_request") == []


async def test_her_text_reply_lands_on_her_record_not_as_a_contact_request(
    app_client: httpx.AsyncClient, sessions: Sessions, settings: Settings
) -> None:
    woman = await add_woman(sessions)
    await held(sessions, woman)
    await dispatcher(sessions, settings, at=HELD_AT).deliver_due_notices(DispatchRequest())
    reply = text_from("+44 7700 900123", "2 N the papers came late, a call before would help")
    reply["date_received"] = (HELD_AT + timedelta(hours=3)).isoformat()
    answer = await app_client.post("/api/v1/notify/inbound", json=reply, headers=NOTIFY)
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "feedback"
    again = await app_client.post("/api/v1/notify/inbound", json=reply, headers=NOTIFY)
    assert again.json() == answer.json()
    [request] = await rows(sessions, MeetingFeedback, woman_id=woman)
    assert (request.status, request.went, request.understood, request.via) == (
        "answered",
        "partly",
        False,
        "sms",
    )
    assert request.would_help == "2 N the papers came late, a call before would help"
    assert await rows(sessions, ContactRequest) == []
    [event] = await rows(sessions, TimelineEvent, woman_id=woman, kind="meeting_feedback")
    assert event.summary == "She said how a meeting went for her"
    # A later text is a message from her again, with its own response clock.
    later = text_from("07700900123", "Can my worker call me please")
    later["date_received"] = (HELD_AT + timedelta(hours=4)).isoformat()
    answer = await app_client.post("/api/v1/notify/inbound", json=later, headers=NOTIFY)
    assert answer.json()["status"] == "matched"


async def test_a_text_before_the_request_was_sent_is_a_contact_request(
    app_client: httpx.AsyncClient, sessions: Sessions
) -> None:
    woman = await add_woman(sessions)
    await held(sessions, woman)  # asked, but the outbox has not sent it yet
    text = text_from("07700900123", "1 Y")
    text["date_received"] = (HELD_AT + timedelta(hours=1)).isoformat()
    answer = await app_client.post("/api/v1/notify/inbound", json=text, headers=NOTIFY)
    assert answer.json()["status"] == "matched"
    [request] = await rows(sessions, MeetingFeedback, woman_id=woman)
    assert request.status == "asked"
