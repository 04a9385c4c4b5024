"""Email through a real SMTP server (aiosmtpd on 127.0.0.1): meeting changes made through her
pathway reach her advocate with an invite whose UID stays the same as the meeting moves, whose
SEQUENCE rises, and which cancels the event when the meeting is cancelled."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from forms.delivery import DispatchRequest
from forms.meeting import CancelMeeting, MeetingKind
from tests.delivery.conftest import (
    NOW,
    Sessions,
    add_meeting,
    add_notice,
    add_woman,
    allocate,
    dispatcher,
    user,
)
from tests.delivery.fakes import SmtpServer, calendar_part
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import meeting_at, rows, schedule
from waymark.db.models import AdvocateAllocation, Delivery, Task
from waymark.settings import Settings
from workflows.pathway import WomanPathway

pytestmark = pytest.mark.usefixtures("demo")


def via_smtp(server: SmtpServer) -> dict[str, Any]:
    return {
        "delivery": "smtp",
        "smtp_host": "127.0.0.1",
        "smtp_port": server.port,
        "smtp_from_address": "waymark@example.org",
    }


async def _ensure_advocate(sessions: Sessions, woman_id: Any) -> None:
    ava = await user(sessions, "ava.advocate", email="ava@example.org")
    async with sessions() as session:
        open_one = await session.scalar(
            select(AdvocateAllocation.id).where(
                AdvocateAllocation.woman_id == woman_id, AdvocateAllocation.ended_at.is_(None)
            )
        )
    if open_one is None:
        await allocate(sessions, woman_id, ava)


async def test_invites_follow_the_meeting_through_schedule_reschedule_and_cancel(
    temporal_env: WorkflowEnvironment,
    worker: Worker,
    sessions: Sessions,
    settings: Settings,
    smtp_server: SmtpServer,
) -> None:
    mia = await actor_for(sessions, "mia.midwife")
    inp = pathway_input(mia)
    handle = await start_pathway(temporal_env.client, settings.temporal_task_queue, inp)
    await _ensure_advocate(sessions, inp.state.woman_id)
    sam = await actor_for(sessions, "sam.social")
    now = await temporal_env.get_current_time()
    send = dispatcher(sessions, settings, at=now + timedelta(minutes=1), **via_smtp(smtp_server))

    receipt = await handle.execute_update(
        WomanPathway.schedule_meeting,
        schedule(MeetingKind.APPOINTMENT, meeting_at(now, 10), sam),
    )
    await send.deliver_due_notices(DispatchRequest())
    await handle.execute_update(
        WomanPathway.schedule_meeting,
        schedule(
            MeetingKind.APPOINTMENT,
            meeting_at(now, 12, hour=14),
            sam,
            meeting_id=receipt.meeting_id,
        ),
    )
    await send.deliver_due_notices(DispatchRequest())
    await handle.execute_update(
        WomanPathway.cancel_meeting,
        CancelMeeting(meeting_id=receipt.meeting_id, reason="She asked to move it", actor=sam),
    )
    await send.deliver_due_notices(DispatchRequest())

    inbox = smtp_server.inbox
    assert inbox.recipients == [["ava@example.org"]] * 3
    parts = [calendar_part(message) for message in inbox.messages]
    assert [p.get_param("method") for p in parts] == ["REQUEST", "REQUEST", "CANCEL"]
    calendars = [Calendar.from_ical(bytes(p.get_payload(decode=True))) for p in parts]
    events = [c.events[0] for c in calendars]
    assert {e.uid for e in events} == {f"meeting-{receipt.meeting_id}@waymark"}
    assert [e.sequence for e in events] == [0, 1, 2]
    assert [c.method for c in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    assert events[2].status == "CANCELLED"
    moved = events[1].start
    assert isinstance(moved, datetime)
    assert moved == meeting_at(now, 12, hour=14).starts_at
    assert moved.utcoffset() == timedelta(0)
    summary = events[0].summary or ""
    assert f"ref {str(inp.state.woman_id)[:8]}" in summary
    assert "Jane" not in summary
    assert "Example" not in summary
    assert events[0].location == "Family Centre"
    assert str(inbox.messages[0]["Subject"]).strip().startswith("Appointment scheduled")


async def test_a_refused_address_is_a_permanent_failure_and_a_busy_server_is_retried(
    sessions: Sessions, settings: Settings, smtp_server: SmtpServer
) -> None:
    woman = await add_woman(sessions)
    ava = await user(sessions, "ava.advocate", email="ava@example.org")
    await allocate(sessions, woman, ava)
    meeting = await add_meeting(sessions, woman)
    for _ in range(2):
        await add_notice(
            sessions, woman, recipient="advocate", recipient_user_id=ava, meeting_id=meeting
        )
    smtp_server.inbox.replies = ["550 No such mailbox", "451 Try again later"]
    await dispatcher(sessions, settings, **via_smtp(smtp_server)).deliver_due_notices(
        DispatchRequest()
    )
    statuses = sorted(d.status for d in await rows(sessions, Delivery))
    assert statuses == ["permanent-failure", "temporary-failure"]
    [task] = await rows(sessions, Task, woman_id=woman)
    assert task.title.startswith("Message to her advocate could not be delivered by email")
    later = dispatcher(sessions, settings, at=NOW + timedelta(minutes=2), **via_smtp(smtp_server))
    assert (await later.deliver_due_notices(DispatchRequest())).sent == 1
    assert sorted(d.status for d in await rows(sessions, Delivery)) == [
        "permanent-failure",
        "sending",
    ]
    assert len(smtp_server.inbox.messages) == 1


async def test_no_mail_server_is_a_technical_failure(
    sessions: Sessions, settings: Settings
) -> None:
    woman = await add_woman(sessions)
    ava = await user(sessions, "ava.advocate", email="ava@example.org")
    await add_notice(sessions, woman, recipient="advocate", recipient_user_id=ava)
    closed: dict[str, Any] = {"delivery": "smtp", "smtp_host": "127.0.0.1", "smtp_port": 1}
    await dispatcher(sessions, settings, **closed).deliver_due_notices(DispatchRequest())
    [delivery] = await rows(sessions, Delivery)
    assert delivery.status == "technical-failure"
    assert delivery.last_error is not None
    assert delivery.last_error.startswith("SMTP")
