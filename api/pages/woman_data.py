"""What the woman's page reads besides her summary: messages and their delivery, babies, her
support episode and meeting details. Callers have passed the record-level policy first."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.pages.support_data import user_names
from waymark.db.models import (
    Baby,
    Deadline,
    Delivery,
    Meeting,
    Notice,
    Organisation,
    SupportEpisode,
    Task,
    User,
)

MAX_NOTICES = 200
# The work re-planning asks for, shown on her record until it is done.
ATTENTION_TASKS = ("move_meeting", "book_pre_discharge_meeting", "early_discharge")


@dataclass
class DeliveryRow:
    channel: str
    status: str
    sent_at: datetime | None
    delivered_at: datetime | None
    # A message not yet sent: when it will go, and (for a person reading) why it waits.
    waits_until: datetime | None = None
    attempts: int = 0

    def why_waiting(self, now: datetime) -> str | None:
        """Why a pending message has not gone yet, in words; None if it is not waiting."""
        if self.status != "pending" or self.waits_until is None or self.waits_until <= now:
            return None
        if self.attempts:
            return "the service that sends it did not answer, so it is tried again"
        if self.channel == "sms":
            return "no texts in her quiet hours (at night), so it goes in the morning"
        return "it is held until then"


@dataclass
class NoticeRow:
    """One message: who it was for, what it said, when, and how each channel went."""

    id: uuid.UUID
    recipient: str
    kind: str
    summary: str
    send_at: datetime
    status: str
    urgent: bool
    acknowledged_at: datetime | None
    deliveries: list[DeliveryRow] = field(default_factory=list)
    meeting_id: uuid.UUID | None = None


def told_and_due(
    rows: list[NoticeRow], now: datetime
) -> tuple[list[NoticeRow], list[tuple[NoticeRow, list[NoticeRow]]]]:
    """What was sent (newest first), and what is due next: for each meeting its next message,
    with the later reminders folded under it."""
    sent = [r for r in rows if not (r.status == "pending" and r.send_at > now)]
    coming = sorted((r for r in rows if r not in sent), key=lambda r: r.send_at)
    groups: dict[object, list[NoticeRow]] = {}
    for row in coming:
        groups.setdefault(row.meeting_id or row.id, []).append(row)
    return sent, [(first, later) for first, *later in groups.values()]


async def notices(session: AsyncSession, woman_id: uuid.UUID) -> list[NoticeRow]:
    """Messages about her, newest first, with their deliveries (sent is not delivered)."""
    rows = list(
        await session.scalars(
            select(Notice)
            .where(Notice.woman_id == woman_id)
            .order_by(Notice.send_at.desc(), Notice.key)
            .limit(MAX_NOTICES)
        )
    )
    by_notice: dict[uuid.UUID, list[DeliveryRow]] = defaultdict(list)
    found = await session.scalars(
        select(Delivery)
        .where(Delivery.notice_id.in_([n.id for n in rows]))
        .order_by(Delivery.channel)
    )
    for d in found:
        by_notice[d.notice_id].append(
            DeliveryRow(
                d.channel, d.status, d.sent_at, d.delivered_at, d.next_attempt_at, d.attempts
            )
        )
    names = await _names(session, rows)
    return [
        NoticeRow(
            id=n.id,
            recipient=_recipient(n, names),
            kind=n.kind,
            summary=n.summary,
            send_at=n.send_at,
            status=n.status,
            urgent=n.urgent,
            acknowledged_at=n.acknowledged_at,
            deliveries=by_notice.get(n.id, []),
            meeting_id=n.meeting_id,
        )
        for n in rows
    ]


async def _names(session: AsyncSession, rows: list[Notice]) -> dict[uuid.UUID, str]:
    user_ids = {n.recipient_user_id for n in rows if n.recipient_user_id}
    org_ids = {n.recipient_organisation_id for n in rows if n.recipient_organisation_id}
    names: dict[uuid.UUID, str] = {}
    if user_ids:
        users = await session.execute(
            select(User.id, User.display_name).where(User.id.in_(user_ids))
        )
        names.update({row[0]: row[1] for row in users})
    if org_ids:
        orgs = await session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids))
        )
        names.update({row[0]: row[1] for row in orgs})
    return names


def _recipient(notice: Notice, names: dict[uuid.UUID, str]) -> str:
    if notice.recipient_kind == "woman":
        return "Her"
    who = notice.recipient_user_id or notice.recipient_organisation_id
    name = names.get(who, "Someone no longer listed") if who else "Her team"
    return f"{name} (her advocate)" if notice.recipient_kind == "advocate" else name


async def babies(session: AsyncSession, woman_id: uuid.UUID) -> list[Baby]:
    """Her babies, first-born first."""
    return list(
        await session.scalars(select(Baby).where(Baby.woman_id == woman_id).order_by(Baby.number))
    )


async def support(
    session: AsyncSession, woman_id: uuid.UUID
) -> tuple[SupportEpisode | None, str | None]:
    """Her latest support episode and her named worker's name."""
    episode = await session.scalar(
        select(SupportEpisode)
        .where(SupportEpisode.woman_id == woman_id)
        .order_by(SupportEpisode.opened_at.desc())
        .limit(1)
    )
    if episode is None or episode.named_worker_id is None:
        return episode, None
    worker = await session.get(User, episode.named_worker_id)
    return episode, worker.display_name if worker else None


async def meetings(session: AsyncSession, woman_id: uuid.UUID) -> dict[uuid.UUID, Meeting]:
    rows = await session.scalars(select(Meeting).where(Meeting.woman_id == woman_id))
    return {m.id: m for m in rows}


async def next_deadlines(
    session: AsyncSession, woman_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Deadline]:
    """Each woman's earliest deadline that is still to be met."""
    rows = await session.scalars(
        select(Deadline)
        .where(Deadline.woman_id.in_(woman_ids), Deadline.status.in_(("pending", "missed")))
        .order_by(Deadline.due, Deadline.key)
    )
    first: dict[uuid.UUID, Deadline] = {}
    for row in rows:
        first.setdefault(row.woman_id, row)
    return first


@dataclass
class AttentionRow:
    """A warning on her record with the task it asks for, and whom the task is with."""

    kind: str
    title: str
    due: date | None
    assignee: str
    meeting_id: str | None


async def needs_attention(session: AsyncSession, woman_id: uuid.UUID) -> list[AttentionRow]:
    """Open re-planning tasks about her: a booked meeting after its latest date, a
    pre-discharge meeting to book, a baby who left hospital early."""
    tasks = list(
        await session.scalars(
            select(Task)
            .where(
                Task.woman_id == woman_id,
                Task.status == "open",
                Task.kind.in_(ATTENTION_TASKS),
            )
            .order_by(Task.due, Task.key)
        )
    )
    names = await user_names(session, [t.assignee_user_id for t in tasks])
    return [
        AttentionRow(
            kind=t.kind,
            title=t.title,
            due=t.due,
            assignee=names.get(t.assignee_user_id, "Her team"),
            # A move_meeting task's key is "meeting:<id>:after-latest:<date>".
            meeting_id=t.key.split(":")[1] if t.kind == "move_meeting" else None,
        )
        for t in tasks
    ]
