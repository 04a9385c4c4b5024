"""Sending through GOV.UK Notify with the real notifications-python-client against a local
server that speaks Notify's endpoints and checks the client's signed token."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import pytest

from forms.delivery import DispatchRequest
from forms.documents import DocumentKind, render
from services import documents
from tests.delivery.conftest import NOW, Sessions, add_notice, add_woman, dispatcher, her_contact
from tests.delivery.fakes import FakeNotify
from tests.helpers.letters import decision_context
from tests.helpers.pdfs import first_page_text_in, pdf_text
from tests.helpers.planning import rows
from waymark.db.models import Delivery, Notice, Task
from waymark.settings import Settings

pytestmark = pytest.mark.usefixtures("demo")
TEMPLATES = {
    "sms": "tpl-sms",
    "email": "tpl-email",
    "letter": "tpl-letter",
    "reminder:sms": "tpl-r",
}


def via_notify(fake: FakeNotify, **more: Any) -> dict[str, Any]:
    return {
        "delivery": "notify",
        "notify_api_key": fake.api_key,
        "notify_base_url": fake.url,
        "notify_templates": TEMPLATES,
        **more,
    }


async def _send(sessions: Sessions, settings: Settings, fake: FakeNotify, **more: Any) -> Any:
    run = dispatcher(sessions, settings, **{**via_notify(fake), **more})
    return await run.deliver_due_notices(DispatchRequest())


async def test_a_text_goes_through_notify_and_is_created_not_delivered(
    sessions: Sessions, settings: Settings, fake_notify: FakeNotify
) -> None:
    woman = await add_woman(sessions)
    notice = await add_notice(sessions, woman, kind="reminder-2")
    result = await _send(sessions, settings, fake_notify)
    assert result.sent == 1
    [sent] = fake_notify.sent
    assert sent["type"] == "sms"
    assert sent["phone_number"] == "07700 900123"
    assert sent["template_id"] == "tpl-r"  # reminder-2 falls back to the reminder template
    [delivery] = await rows(sessions, Delivery, notice_id=notice)
    assert sent["reference"] == f"{delivery.id}.1"
    assert (delivery.provider, delivery.provider_ref, delivery.status) == (
        "notify",
        sent["id"],
        "created",
    )
    assert delivery.delivered_at is None  # sent is not delivered
    assert (await rows(sessions, Notice, id=notice))[0].status == "created"


async def test_status_polling_records_delivery(
    sessions: Sessions, settings: Settings, fake_notify: FakeNotify
) -> None:
    woman = await add_woman(sessions)
    await add_notice(sessions, woman)
    await _send(sessions, settings, fake_notify)
    [sent] = fake_notify.sent
    fake_notify.statuses[sent["id"]] = "sending"
    run = dispatcher(sessions, settings, at=NOW + timedelta(minutes=5), **via_notify(fake_notify))
    assert (await run.poll_delivery_statuses(DispatchRequest())).changed == 1
    assert (await rows(sessions, Delivery))[0].status == "sending"
    fake_notify.statuses[sent["id"]] = "delivered"
    assert (await run.poll_delivery_statuses(DispatchRequest())).changed == 1
    [delivery] = await rows(sessions, Delivery)
    assert delivery.status == "delivered"
    assert delivery.delivered_at is not None
    assert (await run.poll_delivery_statuses(DispatchRequest())).checked == 0


async def test_a_letter_goes_as_a_precompiled_pdf_with_her_address_in_the_window(
    sessions: Sessions, settings: Settings, fake_notify: FakeNotify
) -> None:
    letter_only = her_contact(channels=[{"channel": "letter", "safe": True}])
    woman = await add_woman(sessions, contact=letter_only)
    await add_woman(sessions, given_name="Other", family_name="Person", preferred_name="Olly")
    await add_notice(sessions, woman, kind="meeting_scheduled", summary="Your meeting has moved")
    await _send(sessions, settings, fake_notify)
    [sent] = fake_notify.sent
    assert sent["type"] == "letter"
    assert "template_id" not in sent
    assert sent["postage"] == "second"  # Northmoor posts second class
    pdf = base64.b64decode(sent["content"])
    # Notify's address block: 24.6mm from the left, 39.5mm from the top, 95.5mm by 26.8mm.
    window = first_page_text_in(pdf, 24.6, 39.5, 95.5, 26.8)
    assert window == "Jay Example 1 High Street Northmoor NM1 1AA"
    text = pdf_text(pdf)
    assert "Your meeting has moved" in text
    assert "2 February 2027" in text  # the day it was issued
    assert "Olly" not in text
    assert "Other" not in text


async def test_her_decision_letter_is_the_stored_document_in_the_post(
    sessions: Sessions, settings: Settings, fake_notify: FakeNotify
) -> None:
    letter_only = her_contact(channels=[{"channel": "letter", "safe": True}])
    woman = await add_woman(sessions, contact=letter_only)
    letter = render(DocumentKind.DECISION_LETTER, decision_context("Jay"))
    async with sessions() as session, session.begin():
        await documents.store(session, woman, "decision:test", letter, at=NOW, send_to_woman=True)
    await _send(sessions, settings, fake_notify)
    [sent] = fake_notify.sent
    text = pdf_text(base64.b64decode(sent["content"]))
    assert "What was decided at your initial child protection conference" in text
    assert "1 July 2027" in text
    assert "1 October 2027" in text
    assert "NM1 1AA" in text


async def test_an_outage_is_retried_with_backoff_then_handed_to_a_person(
    sessions: Sessions, settings: Settings, fake_notify: FakeNotify
) -> None:
    woman = await add_woman(sessions)
    notice = await add_notice(sessions, woman)
    fake_notify.refusals = [(500, "Exception"), (503, "Exception"), (500, "Exception")]
    limits = {"delivery_max_attempts": 3, "delivery_retry_seconds": 60}
    first = await _send(sessions, settings, fake_notify, **limits)
    assert first.failed == 1
    [delivery] = await rows(sessions, Delivery)
    assert delivery.status == "technical-failure"
    assert delivery.last_error == "Notify 500: Exception"
    assert delivery.next_attempt_at == NOW + timedelta(seconds=60)
    too_soon = dispatcher(
        sessions, settings, at=NOW + timedelta(seconds=30), **via_notify(fake_notify), **limits
    )
    assert (await too_soon.deliver_due_notices(DispatchRequest())).failed == 0
    second = dispatcher(
        sessions, settings, at=NOW + timedelta(seconds=61), **via_notify(fake_notify), **limits
    )
    assert (await second.deliver_due_notices(DispatchRequest())).failed == 1
    [delivery] = await rows(sessions, Delivery)
    assert delivery.attempts == 2
    assert delivery.next_attempt_at == NOW + timedelta(seconds=181)
    third = dispatcher(
        sessions, settings, at=NOW + timedelta(seconds=200), **via_notify(fake_notify), **limits
    )
    assert (await third.deliver_due_notices(DispatchRequest())).failed == 1
    [delivery] = await rows(sessions, Delivery)
    assert delivery.attempts == 3
    assert delivery.next_attempt_at is None
    [task] = await rows(sessions, Task, woman_id=woman)
    assert task.kind == "delivery_failed"
    assert task.title.startswith(
        "Message to her could not be delivered by text message after 3 tries"
    )
    assert fake_notify.sent == []
    assert (await rows(sessions, Notice, id=notice))[0].status == ("technical-failure")


async def test_a_temporary_failure_then_success_on_the_next_try(
    sessions: Sessions, settings: Settings, fake_notify: FakeNotify
) -> None:
    woman = await add_woman(sessions)
    await add_notice(sessions, woman)
    fake_notify.refusals = [(429, "RateLimitError")]
    await _send(sessions, settings, fake_notify)
    later = dispatcher(sessions, settings, at=NOW + timedelta(minutes=2), **via_notify(fake_notify))
    assert (await later.deliver_due_notices(DispatchRequest())).sent == 1
    [delivery] = await rows(sessions, Delivery)
    assert delivery.status == "created"
    assert delivery.attempts == 2
    assert await rows(sessions, Task, woman_id=woman) == []


async def test_a_permanent_failure_goes_to_a_person_at_once(
    sessions: Sessions, settings: Settings, fake_notify: FakeNotify
) -> None:
    woman = await add_woman(sessions)
    await add_notice(sessions, woman)
    fake_notify.refusals = [(400, "ValidationError")]
    result = await _send(sessions, settings, fake_notify)
    assert result.failed == 1
    [delivery] = await rows(sessions, Delivery)
    assert delivery.status == "permanent-failure"
    assert delivery.next_attempt_at is None
    [task] = await rows(sessions, Task, woman_id=woman)
    assert task.title.startswith("Message to her could not be delivered by text message: ")
    assert "07700" not in (delivery.last_error or "")


async def test_a_wrong_api_key_is_a_technical_failure(
    sessions: Sessions, settings: Settings, fake_notify: FakeNotify
) -> None:
    woman = await add_woman(sessions)
    await add_notice(sessions, woman)
    wrong = f"waymark_test-{fake_notify.service_id}-{'0' * 8}-0000-0000-0000-{'0' * 12}"
    await _send(sessions, settings, fake_notify, notify_api_key=wrong)
    [delivery] = await rows(sessions, Delivery)
    assert delivery.status == "technical-failure"
    assert delivery.last_error == "Notify 403: AuthError"


async def test_after_a_crash_mid_send_the_provider_is_asked_before_sending_again(
    sessions: Sessions, settings: Settings, fake_notify: FakeNotify
) -> None:
    woman = await add_woman(sessions)
    notice = await add_notice(sessions, woman, status="created")
    # A worker claimed attempt 1, sent it, and died before recording what Notify said.
    crashed = NOW - timedelta(minutes=6)
    async with sessions() as session, session.begin():
        delivery = Delivery(
            notice_id=notice,
            channel="sms",
            provider="notify",
            status="pending",
            attempts=1,
            claimed_at=crashed,
            next_attempt_at=crashed,
        )
        session.add(delivery)
    fake_notify.sent.append({"id": "earlier-send", "reference": f"{delivery.id}.1"})
    fake_notify.statuses["earlier-send"] = "sending"
    result = await _send(sessions, settings, fake_notify)
    assert result.sent == 1
    assert len(fake_notify.sent) == 1  # nothing sent a second time
    [row] = await rows(sessions, Delivery)
    assert (row.provider_ref, row.status, row.claimed_at) == ("earlier-send", "sending", None)


async def test_a_claim_still_live_is_left_alone(
    sessions: Sessions, settings: Settings, fake_notify: FakeNotify
) -> None:
    woman = await add_woman(sessions)
    notice = await add_notice(sessions, woman, status="created")
    async with sessions() as session, session.begin():
        session.add(
            Delivery(
                notice_id=notice,
                channel="sms",
                provider="notify",
                status="pending",
                attempts=1,
                claimed_at=NOW - timedelta(minutes=1),
                next_attempt_at=NOW - timedelta(minutes=1),
            )
        )
    assert (await _send(sessions, settings, fake_notify)).sent == 0
    assert fake_notify.sent == []
