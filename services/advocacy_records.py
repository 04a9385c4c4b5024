"""Writing advocacy's records: notices, tasks and timeline entries (each once, by its key),
offers to her and her answers, and ending an allocation. The caller owns the transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forms.advocacy import AdvocacyOfferResult, AllocationStatus, OfferResponse, Trigger
from forms.common import Actor
from services import advocates, duty_support
from waymark.db.models import AdvocacyOffer, AdvocateAllocation, Notice, Task, TimelineEvent, Woman
from waymark.errors import Conflict

OFFER_TASK = "offer_advocate"
# Who a task is for: a person, or (no person known) a team.
Assignee = tuple[uuid.UUID | None, uuid.UUID | None]
TRIGGER_WORDS = {
    Trigger.REFERRAL: "at referral",
    Trigger.CONFERENCE: "as a child protection meeting is being arranged",
    Trigger.BIRTH: "after the birth",
    Trigger.REMOVAL: "after her baby was removed",
    Trigger.REALLOCATION: "as her advocate can no longer act",
}


@dataclass(frozen=True)
class Note:
    """A notice to write: its key (with the recipient appended), kind and words."""

    key: str
    kind: str
    summary: str
    urgent: bool = False


async def tell(
    session: AsyncSession,
    note: Note,
    woman_id: uuid.UUID,
    people: Iterable[uuid.UUID],
    at: datetime,
) -> None:
    """One notice per person; one already written (same key) is not written again."""
    for user_id in dict.fromkeys(people):
        key = f"{note.key}:{user_id}"
        if await session.scalar(select(Notice.id).where(Notice.key == key)):
            continue
        session.add(
            Notice(
                key=key,
                woman_id=woman_id,
                recipient_kind="staff",
                recipient_user_id=user_id,
                kind=note.kind,
                send_at=at,
                urgent=note.urgent,
                summary=note.summary[:300],
            )
        )


async def timeline(
    session: AsyncSession, key: str, woman_id: uuid.UUID, kind: str, at: datetime, summary: str
) -> None:
    """An entry on her timeline, once per key."""
    if await session.scalar(select(TimelineEvent.id).where(TimelineEvent.event_key == key)):
        return
    session.add(
        TimelineEvent(event_key=key, woman_id=woman_id, kind=kind, occurred_at=at, summary=summary)
    )


async def task(
    session: AsyncSession,
    key: str,
    woman: Woman,
    assignee: Assignee,
    kind: str,
    title: str,
    at: datetime,
) -> None:
    """An open task for a person (or, with no person, a team), once per key."""
    if await session.scalar(select(Task.id).where(Task.key == key)):
        return
    user_id, org_id = assignee
    session.add(
        Task(
            key=key,
            woman_id=woman.id,
            assignee_user_id=user_id,
            assignee_organisation_id=org_id,
            kind=kind,
            title=title[:300],
            due=at.date(),
        )
    )


async def end(
    session: AsyncSession,
    row: AdvocateAllocation,
    status: AllocationStatus,
    reason: str,
    at: datetime,
) -> None:
    """Close an allocation (the row stays as history); notices about her meetings not yet sent
    to the advocate are void, since the advocate no longer acts for her."""
    row.status, row.end_reason, row.ended_at = status.value, reason[:200], at
    await session.execute(
        update(Notice)
        .where(
            Notice.woman_id == row.woman_id,
            Notice.recipient_user_id == row.advocate_user_id,
            Notice.meeting_id.is_not(None),
            Notice.status == "pending",
        )
        .values(status="superseded")
    )


async def pending_offer(session: AsyncSession, woman_id: uuid.UUID) -> AdvocacyOffer | None:
    """The offer awaiting her answer, if any (there is at most one)."""
    found: AdvocacyOffer | None = await session.scalar(
        select(AdvocacyOffer).where(
            AdvocacyOffer.woman_id == woman_id,
            AdvocacyOffer.response == OfferResponse.PENDING.value,
        )
    )
    return found


async def record_offer(
    session: AsyncSession,
    woman: Woman,
    *,
    trigger: Trigger,
    key: str,
    at: datetime,
    recorded_by: uuid.UUID | None,
) -> AdvocacyOffer:
    """Record that an advocate was offered to her; a second open offer is a conflict."""
    existing = await session.scalar(select(AdvocacyOffer).where(AdvocacyOffer.key == key))
    if existing is not None:
        return existing
    if await pending_offer(session, woman.id) is not None:
        raise Conflict("an offer of an advocate is already waiting for her answer")
    row = AdvocacyOffer(
        key=key, woman_id=woman.id, trigger=trigger.value, offered_at=at, recorded_by=recorded_by
    )
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError as exc:
        raise Conflict("an offer of an advocate is already waiting for her answer") from exc
    summary = f"She was offered an independent advocate {TRIGGER_WORDS[trigger]}"
    await timeline(session, f"advocacy-offer:{key}", woman.id, "advocacy_offered", at, summary)
    return row


async def offer_again(
    session: AsyncSession,
    woman: Woman,
    *,
    trigger: Trigger,
    key: str,
    at: datetime,
    actor: Actor | None,
) -> AdvocacyOfferResult:
    """At a new trigger, offer her an advocate again unless she has one or an offer waits."""
    if await session.scalar(select(AdvocacyOffer.id).where(AdvocacyOffer.key == key)):
        return AdvocacyOfferResult(offered=True, reason="already offered")
    current = await advocates.open_allocation(session, woman.id)
    if current is not None:
        # Accepted, or offered to an advocate who has yet to answer: she has said yes already.
        return AdvocacyOfferResult(offered=False, reason="she has or is being found an advocate")
    if await pending_offer(session, woman.id) is not None:
        return AdvocacyOfferResult(offered=False, reason="an offer is waiting for her answer")
    await record_offer(
        session,
        woman,
        trigger=trigger,
        key=key,
        at=at,
        recorded_by=actor.user_id if actor else None,
    )
    assignee = (
        (woman.coordinator_user_id, None) if woman.coordinator_user_id else (None, woman.team_id)
    )
    title = (
        f"Offer her an independent advocate again {TRIGGER_WORDS[trigger]}, and record her answer"
    )
    await task(session, f"advocacy-offer:{key}:task", woman, assignee, OFFER_TASK, title, at)
    return AdvocacyOfferResult(offered=True, reason="offered again")


async def record_response(
    session: AsyncSession, woman: Woman, *, response: OfferResponse, at: datetime, by: uuid.UUID
) -> AdvocacyOffer:
    """Her answer to the offer waiting for it; the prompt to offer is then done."""
    offer = await pending_offer(session, woman.id)
    if offer is None:
        raise Conflict("no offer of an advocate is waiting for her answer: record the offer first")
    offer.response, offer.responded_at, offer.responded_by = response.value, at, by
    await session.execute(
        update(Task)
        .where(Task.woman_id == woman.id, Task.kind == OFFER_TASK, Task.status == "open")
        .values(status="done", closed_at=at)
    )
    words = "accepted" if response is OfferResponse.ACCEPTED else "declined"
    if response is OfferResponse.DECLINED:
        await duty_support.advocate_found(session, woman.id, at, f"advocacy-offer:{offer.key}")
    await timeline(
        session,
        f"advocacy-offer:{offer.key}:{words}",
        woman.id,
        f"advocacy_{words}",
        at,
        f"She {words} the offer of an independent advocate",
    )
    return offer
