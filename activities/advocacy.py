"""Side effects of allocating her an independent advocate: offers, answers, notices, escalations.

Each activity is one transaction, idempotent by a business key under a UNIQUE constraint: the
allocation's request key, the notice and task keys, or the allocation's own state.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError

from activities.meetings import brief_advocate, when
from activities.wake import waking_transaction
from forms import activity_contracts as acts
from forms.activity_contracts import implements
from forms.advocacy import (
    AdvocacyOfferResult,
    AlertRemoval,
    AllocateAdvocate,
    AllocationStatus,
    Offer,
    RecordAdvocacyOffer,
    RecordAdvocateResponse,
    Review,
    ReviewAllocation,
    SettleRequest,
)
from rules.uktime import uk_date
from rules.working_hours import office_hours_after
from services import advocacy_records as records
from services import advocates, duty_support, removal_ack
from services.advocacy_records import Assignee, Note
from services.advocate_causes import why_none
from services.escalation import area_leads
from services.tasks import her_tasks_under
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import AdvocateAllocation, Task, User, Woman
from waymark.db.session import transaction

NO_ADVOCATE = "no_advocate_available"
URGENT = " Urgent: her baby has been removed."


class AdvocacyActivities:
    """Built with a session maker; each method is one transaction keyed by a business id."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @implements(acts.review_allocation)
    async def review_allocation(self, inp: ReviewAllocation) -> Review:
        """Keep her advocate if she can still act (and tell her at once); else end it."""
        async with waking_transaction(self._sessions) as session:
            woman = await _woman(session, inp.woman_id)
            current = await advocates.open_allocation(session, woman.id)
            if current is None:
                return Review(kept=False)
            if current.status == AllocationStatus.OFFERED.value:
                # Left by an earlier run of her allocation, which no longer waits for an answer.
                await records.end(
                    session, current, AllocationStatus.ENDED, "the offer lapsed", inp.at
                )
                return Review(kept=False)
            advocate_id = current.advocate_user_id
            why = await advocates.why_unable(session, woman, advocate_id, today=uk_date(inp.at))
            if why is not None:
                await records.end(session, current, AllocationStatus.ENDED, why, inp.at)
                note = Note(
                    f"advocacy:{current.id}:ended",
                    "advocate_allocation_ended",
                    f"Your allocation to a woman has ended: {why}.",
                )
                await records.tell(session, note, woman.id, [advocate_id], inp.at)
                return Review(kept=False)
            await records.tell(session, _kept_note(inp), woman.id, [advocate_id], inp.at)
            if inp.after_removal:
                await removal_ack.owe_acknowledgement(
                    session, woman, str(inp.request_id), advocate_id, inp.at
                )
            return Review(kept=True, allocation_id=current.id, advocate_user_id=advocate_id)

    @implements(acts.allocate_advocate)
    async def allocate_advocate(self, inp: AllocateAdvocate) -> Offer:
        """Offer her case to the best eligible advocate, atomically; or escalate: none free.
        An urgent notice written (after a removal; none available) is delivered at once."""
        async with waking_transaction(self._sessions) as session:
            woman = await _woman(session, inp.woman_id)
            attempt = await advocates.allocate(
                session,
                woman,
                request_key=f"{inp.request_id}:{inp.attempt}",
                exclude=set(inp.excluded),
                today=uk_date(inp.at),
                at=inp.at,
                accept_by=_answer_by(woman, inp),
                after_removal=inp.after_removal,
            )
            if inp.after_removal and attempt.status != "already_open":
                # She has no advocate yet: the advocacy manager owes the acknowledgement.
                await removal_ack.owe_acknowledgement(
                    session, woman, str(inp.request_id), None, inp.at
                )
            if attempt.status == "none_available":
                # The true cause, counted from the offers and the profiles.
                reason = await why_none(session, woman, uk_date(inp.at))
                await _escalate_none(session, woman, inp, reason)
                return Offer(status="none_available", reason=reason)
            row = attempt.allocation
            if attempt.status == "already_open" or row is None:
                return Offer(status="already_open", reason=attempt.reason)
            await _offered(session, row, inp.at)
            return Offer(
                status="offered",
                allocation_id=row.id,
                advocate_user_id=row.advocate_user_id,
                offered_at=row.offered_at,
                accept_by=row.accept_by,
            )

    @implements(acts.record_advocate_response)
    async def record_advocate_response(self, inp: RecordAdvocateResponse) -> None:
        """Record her answer (or none in time); a no goes to her manager and the leads."""
        async with waking_transaction(self._sessions) as session:
            row = await session.get(AdvocateAllocation, inp.allocation_id)
            if row is None:
                raise ApplicationError("the allocation is not on record", type="InvalidRecord")
            if row.status != AllocationStatus.OFFERED.value:
                return
            if inp.status in (AllocationStatus.ACCEPTED, AllocationStatus.DECLINED):
                row.responded_at = inp.at
            if inp.status is AllocationStatus.ACCEPTED:
                row.status = inp.status.value
                await _accepted(session, row, inp.at)
            else:
                await records.end(
                    session, row, inp.status, inp.end_reason or inp.status.value, inp.at
                )
                await _not_taken(session, row, inp.status, inp.at)
            audit.record(
                session,
                inp.actor,
                action=f"advocate_offer_{inp.status.value}",
                record_type="woman",
                record_id=row.woman_id,
            )

    @implements(acts.alert_removal)
    async def alert_removal(self, inp: AlertRemoval) -> None:
        """Her baby was removed while an offer waits: the advocate is told, with less time."""
        async with waking_transaction(self._sessions) as session:
            row = await session.get(AdvocateAllocation, inp.allocation_id)
            if row is None or row.status != AllocationStatus.OFFERED.value:
                return
            row.after_removal = True
            if row.accept_by is None or inp.accept_by < row.accept_by:
                row.accept_by = inp.accept_by
            await duty_support.advocate_offered(session, row.woman_id, row.accept_by)
            note = Note(
                f"advocacy:{row.id}:removal_alert",
                "removal_alert",
                f"Please accept or decline by {when(row.accept_by)}.{URGENT}",
                urgent=True,
            )
            await records.tell(session, note, row.woman_id, [row.advocate_user_id], inp.at)
            request_id = (row.request_key or str(row.id)).rsplit(":", 1)[0]
            woman = await _woman(session, row.woman_id)
            await removal_ack.owe_acknowledgement(session, woman, request_id, None, inp.at)

    @implements(acts.settle_allocation_request)
    async def settle_allocation_request(self, inp: SettleRequest) -> None:
        """Close the request's open escalation tasks: she has an advocate, or said no."""
        async with transaction(self._sessions) as session:
            await session.execute(
                update(Task)
                .where(
                    her_tasks_under(inp.woman_id, f"advocacy:{inp.request_id}:"),
                    Task.status == "open",
                )
                .values(status="done", closed_at=inp.at)
            )

    @implements(acts.record_advocacy_offer)
    async def record_advocacy_offer(self, inp: RecordAdvocacyOffer) -> AdvocacyOfferResult:
        """For her pathway: offer her an advocate again (conference, birth), unless she has one."""
        async with transaction(self._sessions) as session:
            woman = await _woman(session, inp.woman_id)
            return await records.offer_again(
                session, woman, trigger=inp.trigger, key=inp.key, at=inp.at, actor=inp.actor
            )


async def _woman(session: AsyncSession, woman_id: uuid.UUID) -> Woman:
    woman = await session.get(Woman, woman_id)
    if woman is None:
        raise ApplicationError("her record is not found", type="InvalidRecord")
    return woman


def _answer_by(woman: Woman, inp: AllocateAdvocate) -> datetime:
    """When the advocate must answer: within office hours on working days; after a removal,
    within clock hours, day or night, because she needs someone today."""
    if inp.after_removal:
        return inp.at + timedelta(hours=inp.window_hours)
    return office_hours_after(inp.at, inp.window_hours, get_area(woman.area_code))


def _kept_note(inp: ReviewAllocation) -> Note:
    if inp.after_removal:
        summary = "Her baby has been removed: please contact her today."  # urgent already
        return Note(f"advocacy:{inp.request_id}:removal_alert", "removal_alert", summary, True)
    summary = "A new stage of her care has begun: you remain her independent advocate."
    return Note(f"advocacy:{inp.request_id}:kept", "advocate_kept_informed", summary)


async def _offered(session: AsyncSession, row: AdvocateAllocation, at: datetime) -> None:
    assert row.accept_by is not None
    await duty_support.advocate_offered(session, row.woman_id, row.accept_by)
    summary = (
        "You are asked to be a woman's independent advocate: please accept or decline by "
        f"{when(row.accept_by)}." + (URGENT if row.after_removal else "")
    )
    note = Note(f"advocacy:{row.id}:offer", "advocate_offer", summary, row.after_removal)
    await records.tell(session, note, row.woman_id, [row.advocate_user_id], at)
    await records.timeline(
        session,
        f"advocacy:{row.id}:offered",
        row.woman_id,
        "advocate_offered",
        at,
        "An independent advocate has been asked to take on her case",
    )
    audit.record(
        session, None, action="offer_advocate", record_type="woman", record_id=row.woman_id
    )


async def _accepted(session: AsyncSession, row: AdvocateAllocation, at: datetime) -> None:
    summary = "An independent advocate has taken on her case"
    key = f"advocacy:{row.id}:accepted"
    await duty_support.advocate_found(session, row.woman_id, at, key)
    await records.timeline(session, key, row.woman_id, "advocate_allocated", at, summary)
    woman = await _woman(session, row.woman_id)
    await brief_advocate(session, woman, row.advocate_user_id, at)
    if woman.coordinator_user_id is not None:
        note = Note(key, "advocate_allocated", summary + ".")
        await records.tell(session, note, woman.id, [woman.coordinator_user_id], at)


async def _not_taken(
    session: AsyncSession, row: AdvocateAllocation, status: AllocationStatus, at: datetime
) -> None:
    """A declined or lapsed offer goes to her manager and the leads; a withdrawn one to her."""
    key = f"advocacy:{row.id}:{status.value}"
    if status is AllocationStatus.ENDED:
        summary = "The offer of a woman's case to you has been withdrawn."
        note = Note(key, "advocate_offer_withdrawn", summary)
        await records.tell(session, note, row.woman_id, [row.advocate_user_id], at)
        return
    woman = await _woman(session, row.woman_id)
    advocate = await session.get(User, row.advocate_user_id)
    orgs = [advocate.organisation_id] if advocate is not None else []
    people = await advocates.managers(session, orgs) + await area_leads(session, woman.area_code)
    words = "declined" if status is AllocationStatus.DECLINED else "did not answer in time to"
    summary = f"An advocate {words} the offer of a woman's case; the next advocate is being asked."
    urgent = row.after_removal
    note = Note(key, f"advocate_offer_{status.value}", summary + (URGENT if urgent else ""), urgent)
    await records.tell(session, note, woman.id, people, at)


async def _escalate_none(
    session: AsyncSession, woman: Woman, inp: AllocateAdvocate, reason: str
) -> None:
    """An open task for the area's safeguarding leads (her team if none); managers are told."""
    base = f"advocacy:{inp.request_id}:{NO_ADVOCATE}" + (":removal" if inp.after_removal else "")
    title = f"No independent advocate is available for her: {reason}. Please find one."
    title += URGENT if inp.after_removal else ""
    leads = await area_leads(session, woman.area_code)
    assignees: list[Assignee] = [(lead, None) for lead in leads] or [(None, woman.team_id)]
    for user_id, org_id in assignees:
        key = f"{base}:{user_id or org_id}"
        await records.task(session, key, woman, (user_id, org_id), NO_ADVOCATE, title, inp.at)
    told = leads + await advocates.area_managers(session, woman.area_code)
    await records.tell(session, Note(base, NO_ADVOCATE, title, True), woman.id, told, inp.at)
    summary = "No independent advocate is available yet: the safeguarding lead is finding one"
    await duty_support.advocate_escalated(session, woman.id, inp.at)
    await records.timeline(session, base, woman.id, NO_ADVOCATE, inp.at, summary)
