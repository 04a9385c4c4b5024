"""A text she sends us becomes a contact request: matched to her by her mobile number, or left
unmatched for staff to triage. Her words are kept in the database only, never logged."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from delivery.outcomes import her_worker
from forms.delivery import NotifyInbound
from rules.uktime import uk_date
from services import feedback
from waymark.db.models import ContactRequest, MeetingFeedback, Task, TimelineEvent, Woman
from waymark.errors import Conflict, NotFound

_NOT_DIGITS = re.compile(r"\D")


def uk_number(number: str) -> str:
    """A UK number in one form (07700900123) whether written +44 7700 900123 or 447700900123."""
    digits = _NOT_DIGITS.sub("", number)
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    return digits


async def match_woman(session: AsyncSession, number: str) -> uuid.UUID | None:
    """The one woman with this mobile; None if nobody, or more than one, has it."""
    wanted = uk_number(number)
    if len(wanted) < 10:
        return None
    # Mobiles live in her contact JSON, which neither backend indexes the same way: scan.
    rows = await session.execute(select(Woman.id, Woman.contact))
    found = [
        wid for wid, contact in rows if uk_number((contact or {}).get("mobile") or "") == wanted
    ]
    return found[0] if len(found) == 1 else None


async def answer_by_text(session: AsyncSession, text: NotifyInbound) -> MeetingFeedback | None:
    """Her reply to a feedback request we sent her (once per Notify id); None when the text
    is not one (then it is a contact request)."""
    done = await session.scalar(select(MeetingFeedback).where(MeetingFeedback.reply_ref == text.id))
    if done is not None:
        return done
    woman_id = await match_woman(session, text.source_number)
    received = _aware(text.date_received)
    row = await feedback.open_request(session, woman_id, received) if woman_id else None
    if row is None:
        return None
    went, understood, words = feedback.read_reply(text.content)
    feedback.answer(
        session,
        row,
        went=went,
        understood=understood,
        would_help=words,
        via="sms",
        at=received,
        reply_ref=text.id,
    )
    return row


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


async def record_text(session: AsyncSession, text: NotifyInbound) -> tuple[ContactRequest, bool]:
    """The contact request for a received text (once per Notify id); True when new."""
    existing = await session.scalar(
        select(ContactRequest).where(ContactRequest.external_id == text.id)
    )
    if existing is not None:
        return existing, False
    received = _aware(text.date_received)
    row = ContactRequest(
        woman_id=await match_woman(session, text.source_number),
        external_id=text.id,
        received_at=received,
        via="sms",
        note=text.content,
        status="open",
    )
    session.add(row)
    await session.flush()
    if row.woman_id is not None:
        _on_her_timeline(session, row)
    return row, True


def _on_her_timeline(session: AsyncSession, row: ContactRequest) -> None:
    assert row.woman_id is not None
    session.add(
        TimelineEvent(
            event_key=f"contact_request:{row.id}",
            woman_id=row.woman_id,
            kind="contact_requested",
            occurred_at=row.received_at,
            summary="She sent a text asking to be contacted",
            data={"contact_request_id": str(row.id), "via": "sms"},
        )
    )


async def unmatched_texts(session: AsyncSession) -> list[ContactRequest]:
    """Texts from numbers we could not match to one woman, oldest first: waiting for a person."""
    found = await session.scalars(
        select(ContactRequest)
        .where(ContactRequest.woman_id.is_(None), ContactRequest.status == "open")
        .order_by(ContactRequest.received_at, ContactRequest.id)
    )
    return list(found)


async def match_text(
    session: AsyncSession, request_id: uuid.UUID, woman_id: uuid.UUID, by: uuid.UUID
) -> ContactRequest:
    """A person has recognised whose text this is: it becomes her contact request."""
    row = await session.get(ContactRequest, request_id, with_for_update=True)
    if row is None or row.via != "sms":
        raise NotFound("no such text")
    if row.woman_id is not None or row.status != "open":
        raise Conflict("this text has already been matched to a woman")
    row.woman_id, row.taken_by = woman_id, by
    _on_her_timeline(session, row)
    return row


async def task_for_worker(session: AsyncSession, request: ContactRequest) -> None:
    """When her pathway cannot be told, her worker (or team) is asked to respond directly."""
    key = f"contact_request:{request.id}:task"
    if request.woman_id is None or await session.scalar(select(Task.id).where(Task.key == key)):
        return
    user_id, org_id = await her_worker(session, request.woman_id)
    session.add(
        Task(
            key=key,
            woman_id=request.woman_id,
            assignee_user_id=user_id,
            assignee_organisation_id=org_id,
            kind="contact_request",
            title="She sent a text asking to be contacted: please respond",
            due=uk_date(datetime.now(UTC)),
        )
    )
