"""Notify's callbacks (delivery receipts and received texts), advocates' acknowledgements, and
the private calendar feed."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from icalendar import Calendar
from temporalio.testing import WorkflowEnvironment

from tests.api.conftest import SignIn
from tests.delivery.conftest import (
    CALLBACK_TOKEN,
    Sessions,
    add_meeting,
    add_notice,
    add_woman,
    allocate,
    her_contact,
    user,
)
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import rows
from waymark.db.models import ContactRequest, Delivery, Notice, Task, TimelineEvent
from waymark.settings import Settings

NOTIFY = {"Authorization": f"Bearer {CALLBACK_TOKEN}"}


async def _sent_delivery(sessions: Sessions, **overrides: Any) -> Delivery:
    woman = await add_woman(sessions)
    notice = await add_notice(sessions, woman, status="created")
    fields: dict[str, Any] = {
        "notice_id": notice,
        "channel": "sms",
        "provider": "notify",
        "provider_ref": str(uuid.uuid4()),
        "status": "created",
        "attempts": 1,
        "sent_at": datetime.now(UTC),
    }
    fields.update(overrides)
    async with sessions() as session, session.begin():
        delivery = Delivery(**fields)
        session.add(delivery)
    return delivery


def receipt(delivery: Delivery, status: str) -> dict[str, Any]:
    return {
        "id": delivery.provider_ref,
        "reference": f"{delivery.id}.1",
        "to": "07700900123",
        "status": status,
        "created_at": "2027-02-02T10:00:00.000000Z",
        "notification_type": "sms",
    }


async def test_a_delivery_receipt_updates_the_delivery_and_its_notice(
    app_client: httpx.AsyncClient, sessions: Sessions
) -> None:
    delivery = await _sent_delivery(sessions)
    answer = await app_client.post(
        "/api/v1/notify/callback", json=receipt(delivery, "delivered"), headers=NOTIFY
    )
    assert answer.status_code == 200, answer.text
    [row] = await rows(sessions, Delivery, id=delivery.id)
    assert row.status == "delivered"
    assert row.delivered_at is not None
    assert (await rows(sessions, Notice, id=row.notice_id))[0].status == "delivered"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {CALLBACK_TOKEN}"}],
)
async def test_a_receipt_without_the_token_is_refused(
    app_client: httpx.AsyncClient, sessions: Sessions, headers: dict[str, str]
) -> None:
    delivery = await _sent_delivery(sessions)
    body = receipt(delivery, "delivered")
    answer = await app_client.post("/api/v1/notify/callback", json=body, headers=headers)
    assert answer.status_code == 401
    assert (await rows(sessions, Delivery, id=delivery.id))[0].status == "created"
    bad_body = await app_client.post("/api/v1/notify/callback", json={}, headers=headers)
    assert bad_body.status_code == 401


async def test_unknown_messages_and_statuses_are_refused(
    app_client: httpx.AsyncClient, sessions: Sessions
) -> None:
    delivery = await _sent_delivery(sessions)
    unknown = {**receipt(delivery, "delivered"), "id": str(uuid.uuid4()), "reference": None}
    answer = await app_client.post("/api/v1/notify/callback", json=unknown, headers=NOTIFY)
    assert answer.status_code == 404
    odd = receipt(delivery, "teleported")
    assert (
        await app_client.post("/api/v1/notify/callback", json=odd, headers=NOTIFY)
    ).status_code == 422
    earlier = {**receipt(delivery, "delivered"), "id": str(uuid.uuid4())}
    stale = await app_client.post("/api/v1/notify/callback", json=earlier, headers=NOTIFY)
    assert stale.status_code == 200
    assert (await rows(sessions, Delivery, id=delivery.id))[0].status == "created"


async def test_failure_receipts_retry_or_hand_to_a_person(
    app_client: httpx.AsyncClient, sessions: Sessions
) -> None:
    temporary = await _sent_delivery(sessions)
    body = receipt(temporary, "temporary-failure")
    assert (
        await app_client.post("/api/v1/notify/callback", json=body, headers=NOTIFY)
    ).status_code == 200
    [row] = await rows(sessions, Delivery, id=temporary.id)
    assert row.status == "temporary-failure"
    assert row.next_attempt_at is not None
    permanent = await _sent_delivery(sessions)
    body = receipt(permanent, "permanent-failure")
    assert (
        await app_client.post("/api/v1/notify/callback", json=body, headers=NOTIFY)
    ).status_code == 200
    [notice] = await rows(sessions, Notice, id=permanent.notice_id)
    [task] = await rows(sessions, Task, woman_id=notice.woman_id)
    assert task.title.startswith("Message to her could not be delivered by text message")


def text_from(number: str, content: str = "Can my worker call me please") -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "source_number": number,
        "destination_number": "07700900000",
        "content": content,
        "date_received": "2027-02-02T10:00:00.000000Z",
    }


async def test_a_text_from_her_is_a_contact_request_and_a_task_when_no_pathway_runs(
    app_client: httpx.AsyncClient, sessions: Sessions, caplog: pytest.LogCaptureFixture
) -> None:
    woman = await add_woman(sessions, contact=her_contact(mobile="07700 900555"))
    body = text_from("447700900555", "Private words only she wrote")
    with caplog.at_level(logging.INFO):
        answer = await app_client.post("/api/v1/notify/inbound", json=body, headers=NOTIFY)
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "matched"
    [request] = await rows(sessions, ContactRequest)
    assert (request.woman_id, request.via, request.status) == (woman, "sms", "open")
    assert request.note == "Private words only she wrote"
    assert "Private words" not in caplog.text
    [task] = await rows(sessions, Task, woman_id=woman)
    assert task.kind == "contact_request"
    assert len(await rows(sessions, TimelineEvent, woman_id=woman)) == 1
    again = await app_client.post("/api/v1/notify/inbound", json=body, headers=NOTIFY)
    assert again.json()["id"] == answer.json()["id"]
    assert len(await rows(sessions, ContactRequest)) == 1


async def test_a_text_from_her_signals_her_running_pathway(
    app_client: httpx.AsyncClient,
    sessions: Sessions,
    settings: Settings,
    temporal_env: WorkflowEnvironment,
) -> None:
    inp = pathway_input(await actor_for(sessions, "mia.midwife"))
    handle = await start_pathway(temporal_env.client, settings.temporal_task_queue, inp)
    answer = await app_client.post(
        "/api/v1/notify/inbound", json=text_from("+44 7700 900123"), headers=NOTIFY
    )
    assert answer.json()["status"] == "matched"
    history = await handle.fetch_history()
    signals = [
        e.workflow_execution_signaled_event_attributes.signal_name
        for e in history.events
        if e.HasField("workflow_execution_signaled_event_attributes")
    ]
    assert "contact_requested" in signals
    assert await rows(sessions, Task, kind="contact_request") == []


async def test_an_unknown_number_is_left_for_staff_to_match(
    app_client: httpx.AsyncClient, sessions: Sessions
) -> None:
    answer = await app_client.post(
        "/api/v1/notify/inbound", json=text_from("07700900999"), headers=NOTIFY
    )
    assert answer.json()["status"] == "unmatched"
    [request] = await rows(sessions, ContactRequest)
    assert request.woman_id is None
    refused = await app_client.post("/api/v1/notify/inbound", json=text_from("07700900999"))
    assert refused.status_code == 401


async def test_only_the_advocate_it_was_sent_to_can_acknowledge(
    sign_in: SignIn, sessions: Sessions
) -> None:
    woman = await add_woman(sessions)
    ava = await user(sessions, "ava.advocate")
    notice = await add_notice(sessions, woman, recipient="advocate", recipient_user_id=ava)
    sam = await sign_in("sam.social")
    assert (await sam.post(f"/api/v1/notices/{notice}/acknowledge")).status_code == 404
    advocate = await sign_in("ava.advocate")
    first = await advocate.post(f"/api/v1/notices/{notice}/acknowledge")
    assert first.status_code == 200, first.text
    again = await advocate.post(f"/api/v1/notices/{notice}/acknowledge")
    assert again.json()["acknowledged_at"] == first.json()["acknowledged_at"]
    [row] = await rows(sessions, Notice, id=notice)
    assert row.acknowledged_by == ava
    assert (await advocate.post(f"/api/v1/notices/{uuid.uuid4()}/acknowledge")).status_code == 404


async def test_the_calendar_feed_lists_only_her_allocated_womens_upcoming_meetings(
    sign_in: SignIn, app_client: httpx.AsyncClient, sessions: Sessions
) -> None:
    ava = await user(sessions, "ava.advocate")
    hers, other = await add_woman(sessions), await add_woman(sessions)
    await allocate(sessions, hers, ava)
    upcoming = await add_meeting(sessions, hers, sequence=3)
    await add_meeting(sessions, hers, days=12, status="cancelled")
    past = datetime.now(UTC) - timedelta(days=2)
    await add_meeting(sessions, hers, starts_at=past, ends_at=past + timedelta(hours=1))
    await add_meeting(sessions, other)
    advocate = await sign_in("ava.advocate")
    link = (await advocate.get("/api/v1/advocates/me/calendar-link")).json()["url"]
    path = link.split("://", 1)[1].split("/", 1)[1]
    feed = await app_client.get(f"/{path}")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).events
    assert [e.uid for e in events] == [f"meeting-{upcoming}@waymark"]
    assert events[0].sequence == 3
    assert "Jane" not in feed.text
    token = path.removeprefix("calendar/").removesuffix(".ics")
    assert (await app_client.get(f"/calendar/{token[:-2]}xx.ics")).status_code == 404
    newer = (await advocate.get("/api/v1/advocates/me/calendar-link")).json()["url"]
    assert newer != link
    assert (await app_client.get(f"/{path}")).status_code == 404  # the old link stopped
    sam = await sign_in("sam.social")
    assert (await sam.get("/api/v1/advocates/me/calendar-link")).status_code == 403
