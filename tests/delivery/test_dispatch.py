"""The dispatch activity with the file outbox (the embedded default): one delivery per notice
and channel however often it runs, tasks instead of unsafe sends, quiet hours, superseded
notices, and the advocate's acknowledgement deadline."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from forms.delivery import DispatchRequest
from tests.delivery.conftest import (
    NOW,
    Sessions,
    add_meeting,
    add_notice,
    add_woman,
    allocate,
    dispatcher,
    her_contact,
    user,
)
from tests.helpers.planning import count, rows
from waymark.db.models import Delivery, Meeting, Notice, Task, Woman
from waymark.settings import Settings

pytestmark = pytest.mark.usefixtures("demo")


async def test_running_twice_makes_one_delivery_and_one_file(
    sessions: Sessions, settings: Settings
) -> None:
    woman = await add_woman(sessions)
    notice = await add_notice(sessions, woman)
    first = await dispatcher(sessions, settings).deliver_due_notices(DispatchRequest())
    again = await dispatcher(sessions, settings).deliver_due_notices(DispatchRequest())
    assert (first.deliveries_created, first.sent) == (1, 1)
    assert (again.deliveries_created, again.sent) == (0, 0)
    [delivery] = await rows(sessions, Delivery, notice_id=notice)
    assert (delivery.channel, delivery.provider, delivery.status) == ("sms", "file", "delivered")
    assert delivery.attempts == 1
    assert delivery.sent_at
    assert delivery.delivered_at
    files = list((settings.state_dir / "outbox").glob("*.json"))
    assert len(files) == 1
    written = json.loads(files[0].read_text())
    assert written["to"] == "07700 900123"
    assert written["channel"] == "sms"
    assert (await rows(sessions, Notice, id=notice))[0].status == "delivered"


async def test_concurrent_dispatchers_still_send_once(
    sessions: Sessions, settings: Settings
) -> None:
    import asyncio

    woman = await add_woman(sessions)
    for _ in range(3):
        await add_notice(sessions, woman)
    results = await asyncio.gather(
        *(dispatcher(sessions, settings).deliver_due_notices(DispatchRequest()) for _ in range(3))
    )
    assert sum(r.sent for r in results) == 3
    assert await count(sessions, Delivery) == 3
    assert len(list((settings.state_dir / "outbox").glob("*.json"))) == 3


async def test_no_safe_channel_is_withheld_with_a_task_for_her_worker(
    sessions: Sessions, settings: Settings
) -> None:
    unsafe = her_contact(channels=[{"channel": "sms", "safe": False, "unsafe_reason": "shared"}])
    woman = await add_woman(sessions, contact=unsafe)
    notice = await add_notice(sessions, woman)
    result = await dispatcher(sessions, settings).deliver_due_notices(DispatchRequest())
    assert result.withheld == 1
    assert await count(sessions, Delivery) == 0
    assert (await rows(sessions, Notice, id=notice))[0].status == "withheld"
    [task] = await rows(sessions, Task, woman_id=woman)
    assert task.title.startswith("Reach her in person about: Pre-birth planning meeting")
    assert task.assignee_organisation_id is not None  # no named worker yet: her team
    assert not (settings.state_dir / "outbox").exists()


async def test_a_channel_she_marks_unsafe_before_the_send_is_not_used(
    sessions: Sessions, settings: Settings
) -> None:
    woman = await add_woman(sessions)
    night = NOW.replace(hour=23)
    await add_notice(sessions, woman, send_at=night - timedelta(minutes=1))
    await dispatcher(sessions, settings, at=night).deliver_due_notices(DispatchRequest())
    [delivery] = await rows(sessions, Delivery)
    assert delivery.status == "pending"  # waiting for her quiet hours to end
    assert delivery.next_attempt_at == (night + timedelta(hours=9)).replace(hour=8)
    async with sessions() as session, session.begin():
        row = await session.get(Woman, woman)
        assert row is not None
        row.contact = her_contact(
            channels=[{"channel": "sms", "safe": False, "unsafe_reason": "her partner reads it"}]
        )
    morning = (night + timedelta(hours=9)).replace(hour=8, minute=5)
    result = await dispatcher(sessions, settings, at=morning).deliver_due_notices(DispatchRequest())
    assert result.withheld == 1
    assert result.sent == 0
    assert (await rows(sessions, Delivery))[0].status == "withheld"
    [task] = await rows(sessions, Task, woman_id=woman)
    assert task.title.startswith("Reach her in person about:")


async def test_a_reminder_for_a_meeting_that_moved_since_is_superseded(
    sessions: Sessions, settings: Settings
) -> None:
    woman = await add_woman(sessions)
    meeting = await add_meeting(sessions, woman)
    await add_notice(sessions, woman, meeting_id=meeting, kind="reminder-1", sequence=0)
    night = NOW.replace(hour=23)
    await dispatcher(sessions, settings, at=night).deliver_due_notices(DispatchRequest())
    async with sessions() as session, session.begin():
        (await session.get_one(Meeting, meeting)).sequence = 1
    morning = (night + timedelta(hours=9)).replace(hour=8, minute=5)
    result = await dispatcher(sessions, settings, at=morning).deliver_due_notices(DispatchRequest())
    assert result.sent == 0
    assert (await rows(sessions, Delivery))[0].status == "superseded"
    assert not (settings.state_dir / "outbox").exists()


async def test_advocate_notices_get_an_acknowledgement_deadline(
    sessions: Sessions, settings: Settings
) -> None:
    woman = await add_woman(sessions)
    ava = await user(sessions, "ava.advocate", email="ava@example.org")
    await allocate(sessions, woman, ava)
    meeting = await add_meeting(sessions, woman)
    notice = await add_notice(
        sessions, woman, recipient="advocate", recipient_user_id=ava, meeting_id=meeting
    )
    await dispatcher(sessions, settings).deliver_due_notices(DispatchRequest())
    [row] = await rows(sessions, Notice, id=notice)
    assert row.ack_due_at == NOW + timedelta(hours=24)
    written = json.loads(next((settings.state_dir / "outbox").glob("*.json")).read_text())
    assert "BEGIN:VCALENDAR" in written["invite"]
    assert "Jane" not in written["invite"]
    assert "Example" not in written["body"]
    assert str(woman)[:8] in written["subject"]


async def test_not_yet_due_notices_wait(sessions: Sessions, settings: Settings) -> None:
    woman = await add_woman(sessions)
    await add_notice(sessions, woman, send_at=NOW + timedelta(hours=1))
    result = await dispatcher(sessions, settings).deliver_due_notices(DispatchRequest())
    assert result.deliveries_created == 0
    async with sessions() as session:
        assert await session.scalar(select(Notice.status)) == "pending"
