"""Watching the read model of one woman between steps: what is new or changed since the last
look becomes timeline entries, dated by the system's own (virtual) timestamps where they are
credible, else by the step in which they appeared (some rows carry the wall clock)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from forms.area import AreaRules
from rules.calendar import closed_day_note
from waymark.areas import get_area
from waymark.db.models import (
    AdvocateAllocation,
    Conference,
    Deadline,
    Delivery,
    Notice,
    Task,
    TimelineEvent,
    Woman,
)
from waymark.simulate.context import People, SimClock

SLACK = timedelta(minutes=1)
ESCALATIONS = (
    "deadline_late_start",
    "deadline_escalate_manager",
    "deadline_escalate_lead",
    "missed_contacts_escalation",
)


@dataclass
class Entry:
    """One line of her simulated timeline."""

    at: datetime
    kind: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)


def credible(moment: datetime | None, start: datetime, now: datetime) -> datetime:
    """The row's own time if it falls in the step that produced it, else the step's end."""
    if moment is not None and start - SLACK <= moment <= now + SLACK:
        return moment
    return now


@dataclass
class Observer:
    """Remembers what it has shown of one woman and reports the difference at each step."""

    sessions: async_sessionmaker[AsyncSession]
    people: People
    clock: SimClock
    woman_id: uuid.UUID
    pseudonym: str
    since: datetime
    seen: set[uuid.UUID] = field(default_factory=set)
    deadlines: dict[str, tuple[date, str]] = field(default_factory=dict)
    allocations: dict[uuid.UUID, str] = field(default_factory=dict)
    stage: str | None = None
    conferences: dict[uuid.UUID, str] = field(default_factory=dict)
    notices_seen: dict[uuid.UUID, tuple[datetime, datetime]] = field(default_factory=dict)
    area: AreaRules | None = None

    async def collect(self, now: datetime) -> list[Entry]:
        """Everything new about her since the last call, dated within (since, now]."""
        async with self.sessions() as session:
            entries = await self._timeline(session, now)
            entries += await self._stage(session, now)
            entries += await self._deadlines(session, now)
            entries += await self._tasks(session, now)
            entries += await self._allocations(session, now)
            entries += await self._conferences(session, now)
            await self._notice_times(session, now)
        self.since = now
        return entries

    async def _timeline(self, session: AsyncSession, now: datetime) -> list[Entry]:
        rows = await session.scalars(
            select(TimelineEvent).where(TimelineEvent.woman_id == self.woman_id)
        )
        entries = []
        for row in rows:
            if row.id in self.seen:
                continue
            self.seen.add(row.id)
            at = credible(row.occurred_at, self.since, now)
            entries.append(
                Entry(at, "timeline", self.clock.retext(row.summary), {"event": row.kind})
            )
        return entries

    async def _stage(self, session: AsyncSession, now: datetime) -> list[Entry]:
        stage = await session.scalar(select(Woman.stage).where(Woman.id == self.woman_id))
        if stage is None or stage == self.stage:
            return []
        before, self.stage = self.stage, stage
        text = f"Stage: {before} → {stage}" if before else f"Stage: {stage}"
        return [Entry(now, "stage", text, {"from": before, "to": stage})]

    async def _deadlines(self, session: AsyncSession, now: datetime) -> list[Entry]:
        rows = await session.scalars(select(Deadline).where(Deadline.woman_id == self.woman_id))
        if self.area is None:
            code = await session.scalar(select(Woman.area_code).where(Woman.id == self.woman_id))
            self.area = get_area(code) if code else None
        entries = []
        for row in rows:
            due = row.due - self.clock.offset
            data = {"deadline": row.deadline, "due": due.isoformat(), "status": row.status}
            old = self.deadlines.get(row.key)
            self.deadlines[row.key] = (row.due, row.status)
            if old is None:
                basis = self.clock.retext(row.basis)
                now_status = "" if row.status == "pending" else f" [{row.status}]"
                text = f"Deadline set: {row.label}, due {due} ({basis}){now_status}"
            elif old[0] != row.due:
                was = old[0] - self.clock.offset
                text = f"Deadline moved: {row.label}, due {was} → {due}"
            elif old[1] != row.status:
                text = f"Deadline {row.status}: {row.label} (due {due})"
            else:
                continue
            pending = self.area is not None and row.status == "pending"
            note = closed_day_note(self.area, due) if self.area and pending else None
            entries.append(Entry(now, "deadline", f"{text}. {note}" if note else text, data))
        return entries

    async def _tasks(self, session: AsyncSession, now: datetime) -> list[Entry]:
        rows = await session.scalars(select(Task).where(Task.woman_id == self.woman_id))
        entries = []
        for row in rows:
            if row.id in self.seen:
                continue
            self.seen.add(row.id)
            who = self.people.names.get(
                row.assignee_user_id or row.assignee_organisation_id or uuid.UUID(int=0), "her team"
            )
            kind = (
                "escalation"
                if row.kind in ESCALATIONS
                else "outreach"
                if row.kind == "assertive_outreach"
                else "task"
            )
            due = f" (due {row.due - self.clock.offset})" if row.due else ""
            text = f"Task for {who}: {self.clock.retext(row.title)}{due}"
            entries.append(Entry(now, kind, text, {"task": row.kind, "assignee": who}))
        return entries

    async def _allocations(self, session: AsyncSession, now: datetime) -> list[Entry]:
        rows = await session.scalars(
            select(AdvocateAllocation).where(AdvocateAllocation.woman_id == self.woman_id)
        )
        entries = []
        for row in rows:
            old = self.allocations.get(row.id)
            if old == row.status:
                continue
            self.allocations[row.id] = row.status
            name = self.people.names.get(row.advocate_user_id, "an advocate")
            why = f" ({row.end_reason})" if row.end_reason else ""
            text = f"Advocate {name}: {row.status}{why}"
            entries.append(Entry(now, "advocate", text, {"advocate": name, "status": row.status}))
        return entries

    async def _conferences(self, session: AsyncSession, now: datetime) -> list[Entry]:
        rows = await session.scalars(select(Conference).where(Conference.woman_id == self.woman_id))
        entries = []
        for row in rows:
            if self.conferences.get(row.id) == row.phase:
                continue
            self.conferences[row.id] = row.phase
            latest = (
                f", due by {row.statutory_latest - self.clock.offset}"
                if row.statutory_latest
                else ""
            )
            text = f"Conference ({row.kind}): {row.phase.replace('_', ' ')}{latest}"
            entries.append(
                Entry(now, "conference", text, {"conference": row.kind, "phase": row.phase})
            )
        return entries

    async def _notice_times(self, session: AsyncSession, now: datetime) -> None:
        ids = await session.scalars(select(Notice.id).where(Notice.woman_id == self.woman_id))
        for notice_id in ids:
            self.notices_seen.setdefault(notice_id, (self.since, now))

    async def notices(self) -> list[Entry]:
        """Her notices, grouped by what was sent when; channels and states as they ended up."""
        async with self.sessions() as session:
            rows = list(
                await session.scalars(select(Notice).where(Notice.woman_id == self.woman_id))
            )
            channels: dict[uuid.UUID, list[str]] = {}
            for notice_id, channel in await session.execute(
                select(Delivery.notice_id, Delivery.channel)
                .join(Notice, Notice.id == Delivery.notice_id)
                .where(Notice.woman_id == self.woman_id)
            ):
                channels.setdefault(notice_id, []).append(channel)
        groups: dict[tuple[datetime, str, int, str], list[str]] = {}
        for row in rows:
            start, end = self.notices_seen.get(row.id, (self.since, self.since))
            at = row.send_at if row.send_at >= start - SLACK else end
            key = (at, row.kind, row.sequence, row.summary)
            groups.setdefault(key, []).append(self._recipient(row, channels.get(row.id, [])))
        return [self._notice_entry(key, who) for key, who in sorted(groups.items())]

    def _recipient(self, row: Notice, channels: list[str]) -> str:
        if row.recipient_kind == "woman":
            name = self.pseudonym
        else:
            target = row.recipient_user_id or row.recipient_organisation_id
            name = self.people.names.get(target or uuid.UUID(int=0), row.recipient_kind)
        how = ", ".join(sorted(channels)) if channels else row.status
        return f"{name} ({how})"

    def _notice_entry(self, key: tuple[datetime, str, int, str], who: list[str]) -> Entry:
        at, kind, sequence, summary = key
        text = f"Notice {kind} #{sequence} to {'; '.join(who)}: {self.clock.retext(summary)}"
        return Entry(at, "notice", text, {"notice": kind, "sequence": sequence, "recipients": who})
