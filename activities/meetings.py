"""Recording meetings and, in the same transaction, every notice they cause (the outbox)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError

from activities.wake import waking_transaction
from forms import activity_contracts as acts
from forms.activity_contracts import implements
from forms.labels import meeting_label
from forms.languages import language_name
from forms.meeting import Invitee, InviteeKind, MeetingKind, RecordMeeting
from forms.situation import Situation
from rules.meetings import is_short_notice, reminder_times
from rules.uktime import to_uk, uk_date
from rules.wording import clock_time, day_and_date
from services.feedback import ask_after_meeting
from services.invitations import issue_invitations
from services.invitees import resolve_invitees
from services.situation import baby_situation
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import Involvement, Meeting, Notice, Task, TimelineEvent, Woman


def when(moment: datetime) -> str:
    return f"{day_and_date(uk_date(moment))} at {clock_time(moment)}"


class MeetingActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @implements(acts.record_meeting)
    async def record_meeting(self, inp: RecordMeeting) -> list[Invitee]:
        """Write the meeting and its notices to everyone invited; a repeat changes nothing."""
        area = get_area(inp.area)
        async with waking_transaction(self._sessions) as session:
            woman = await session.get(Woman, inp.woman_id)
            if woman is None:
                raise ApplicationError("her record is not found", type="InvalidRecord")
            situation = await baby_situation(session, woman_id=woman.id)
            unborn = situation is Situation.BEFORE_BIRTH
            invitees = await resolve_invitees(
                session, woman, inp.meeting.kind, area, unborn=unborn, also=inp.also_invite
            )
            if await _already_recorded(session, inp):
                return invitees
            await _write_meeting(session, inp)
            label = meeting_label(inp.meeting.kind, area.nation)
            if inp.change == "held":
                _timeline(session, inp, label)
                if any(invitee.kind is InviteeKind.WOMAN for invitee in invitees):
                    await ask_after_meeting(
                        session, woman, inp.meeting.meeting_id, label, at=inp.at, area=area
                    )
                return invitees
            await _write_notices(session, inp, invitees, label, area.meeting_reminder_days)
            await _involve(session, woman, invitees)
            await issue_invitations(session, woman, inp, invitees, area)
            _travel_support(session, woman, inp, label)
            _interpreter(session, woman, inp, label)
            _timeline(session, inp, label)
            audit.record(
                session,
                inp.actor,
                action=f"meeting_{inp.change}",
                record_type="woman",
                record_id=inp.woman_id,
            )
            return invitees


async def _already_recorded(session: AsyncSession, inp: RecordMeeting) -> bool:
    row = await session.get(Meeting, inp.meeting.meeting_id)
    return row is not None and (
        row.sequence > inp.meeting.sequence
        or (row.sequence == inp.meeting.sequence and row.status == inp.meeting.status.value)
    )


async def _write_meeting(session: AsyncSession, inp: RecordMeeting) -> None:
    ref, details = inp.meeting, inp.meeting.details
    row = await session.get(Meeting, ref.meeting_id)
    if row is None:
        row = Meeting(id=ref.meeting_id, woman_id=inp.woman_id)
        session.add(row)
    row.conference_id = ref.conference_id
    row.kind, row.status, row.sequence = ref.kind.value, ref.status.value, ref.sequence
    row.starts_at, row.ends_at, row.format = ref.starts_at, ref.ends_at, details.format.value
    row.venue = details.venue.model_dump(mode="json") if details.venue else None
    row.travel_support, row.short_notice = details.travel_support, inp.short_notice
    row.interpreter = details.interpreter
    row.change_reason = inp.reason
    await session.flush()
    if inp.change in ("rescheduled", "cancelled"):
        # Earlier reminders about this meeting are void once it moves or is cancelled.
        await session.execute(
            update(Notice)
            .where(
                Notice.meeting_id == ref.meeting_id,
                Notice.sequence < ref.sequence,
                Notice.status == "pending",
            )
            .values(status="superseded")
        )


async def _write_notices(
    session: AsyncSession,
    inp: RecordMeeting,
    invitees: list[Invitee],
    label: str,
    reminder_days: list[int],
) -> None:
    ref = inp.meeting
    sends = _sends(inp.change, inp.at, ref.starts_at, label, reminder_days)
    if ref.details.interpreter and inp.change != "cancelled":
        there = (
            f". An interpreter who speaks {language_name(ref.details.interpreter)} will be there"
        )
        sends = [(kind, send_at, summary + there) for kind, send_at, summary in sends]
    for invitee in invitees:
        recipient = _recipient_key(invitee)
        for kind, send_at, summary in sends:
            session.add(
                Notice(
                    key=f"meeting:{ref.meeting_id}:{recipient}:{kind}:{ref.sequence}",
                    woman_id=inp.woman_id,
                    meeting_id=ref.meeting_id,
                    recipient_kind=invitee.kind.value,
                    recipient_user_id=invitee.user_id,
                    recipient_organisation_id=invitee.organisation_id,
                    kind=kind if kind.startswith("reminder") else f"meeting_{kind}",
                    sequence=ref.sequence,
                    send_at=send_at,
                    urgent=inp.short_notice and invitee.kind is InviteeKind.ADVOCATE,
                    summary=summary,
                )
            )


def _sends(
    change: str, at: datetime, starts_at: datetime, label: str, reminder_days: list[int]
) -> list[tuple[str, datetime, str]]:
    """The notice of a change now, then (unless cancelled) the reminders still to come."""
    sends = [(change, at, f"{label} {change}: {when(starts_at)}")]
    if change != "cancelled":
        for number, moment in enumerate(reminder_times(starts_at, reminder_days, now=at)):
            sends.append(
                (f"reminder-{number + 1}", moment, f"Reminder: {label} on {when(starts_at)}")
            )
    return sends


async def brief_advocate(
    session: AsyncSession, woman: Woman, advocate_user_id: uuid.UUID, at: datetime
) -> None:
    """An advocate who has just taken her case hears of every meeting already arranged: a
    notice now and the reminders still to come, as if she had been invited from the start."""
    area = get_area(woman.area_code)
    meetings = await session.scalars(
        select(Meeting)
        .where(Meeting.woman_id == woman.id, Meeting.status == "scheduled", Meeting.starts_at > at)
        .order_by(Meeting.starts_at)
    )
    recipient = f"user:{advocate_user_id}"
    for meeting in meetings:
        label = meeting_label(MeetingKind(meeting.kind), area.nation)
        short = is_short_notice(
            meeting.starts_at, now=at, minimum_notice_days=area.minimum_notice_days
        )
        sends = _sends("scheduled", at, meeting.starts_at, label, area.meeting_reminder_days)
        for kind, send_at, summary in sends:
            key = f"meeting:{meeting.id}:{recipient}:{kind}:{meeting.sequence}"
            if await session.scalar(select(Notice.id).where(Notice.key == key)) is not None:
                continue  # invited already (or briefed by an earlier try of this activity)
            session.add(
                Notice(
                    key=key,
                    woman_id=woman.id,
                    meeting_id=meeting.id,
                    recipient_kind=InviteeKind.ADVOCATE.value,
                    recipient_user_id=advocate_user_id,
                    kind=kind if kind.startswith("reminder") else f"meeting_{kind}",
                    sequence=meeting.sequence,
                    send_at=send_at,
                    urgent=short,
                    summary=summary,
                )
            )


def _travel_support(session: AsyncSession, woman: Woman, inp: RecordMeeting, label: str) -> None:
    """Practical help to get there (R6.3): a task for her worker, or her team."""
    if inp.change == "cancelled" or not inp.meeting.details.travel_support:
        return
    session.add(
        Task(
            key=f"meeting:{inp.meeting.meeting_id}:{inp.meeting.sequence}:travel",
            woman_id=woman.id,
            assignee_user_id=woman.coordinator_user_id,
            assignee_organisation_id=None if woman.coordinator_user_id else woman.team_id,
            kind="travel_support",
            title=f"Arrange travel support for her to get to the {label.lower()} "
            f"on {when(inp.meeting.starts_at)}",
            due=to_uk(inp.meeting.starts_at).date(),
        )
    )


def _interpreter(session: AsyncSession, woman: Woman, inp: RecordMeeting, label: str) -> None:
    """An interpreter to book for her (R6.3): a task for her worker, or her team, at each change."""
    language = inp.meeting.details.interpreter
    if inp.change == "cancelled" or language is None:
        return
    session.add(
        Task(
            key=f"meeting:{inp.meeting.meeting_id}:{inp.meeting.sequence}:interpreter",
            woman_id=woman.id,
            assignee_user_id=woman.coordinator_user_id,
            assignee_organisation_id=None if woman.coordinator_user_id else woman.team_id,
            kind="book_interpreter",
            title=f"Book an interpreter who speaks {language_name(language)} for the "
            f"{label.lower()} on {when(inp.meeting.starts_at)}",
            due=to_uk(inp.meeting.starts_at).date(),
        )
    )


def _recipient_key(invitee: Invitee) -> str:
    if invitee.kind is InviteeKind.WOMAN:
        return "woman"
    if invitee.user_id is not None:
        return f"user:{invitee.user_id}"
    return f"org:{invitee.organisation_id}"


async def _involve(session: AsyncSession, woman: Woman, invitees: list[Invitee]) -> None:
    """Invited agencies need to see her record to prepare (their practitioners may read it)."""
    known = set(
        await session.scalars(
            select(Involvement.organisation_id).where(Involvement.woman_id == woman.id)
        )
    )
    for invitee in invitees:
        org_id = invitee.organisation_id
        if org_id is not None and org_id not in known:
            session.add(
                Involvement(
                    id=uuid.uuid4(), woman_id=woman.id, organisation_id=org_id, reason="invited"
                )
            )
            known.add(org_id)


def _timeline(session: AsyncSession, inp: RecordMeeting, label: str) -> None:
    ref = inp.meeting
    words = {
        "scheduled": "scheduled for",
        "rescheduled": "moved to",
        "cancelled": "cancelled:",
        "held": "held on",
    }
    summary = f"{label} {words[inp.change]} {when(ref.starts_at)}"
    if inp.short_notice and inp.change != "cancelled":
        summary += " (short notice)"
    session.add(
        TimelineEvent(
            event_key=f"meeting:{ref.meeting_id}:{inp.change}:{ref.sequence}",
            woman_id=inp.woman_id,
            kind=f"meeting_{inp.change}",
            occurred_at=inp.at,
            actor_user_id=inp.actor.user_id if inp.actor else None,
            summary=summary,
            data={"meeting_id": str(ref.meeting_id), "reason": inp.reason or ""},
        )
    )
