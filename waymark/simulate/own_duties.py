"""The simulator's independent derivation of "dropped": the duties after a removal recomputed
from the timeline and the facts alone (episodes, allocations, her answers, escalation tasks,
missed-contact entries), never from the duty register nor `services.dropped`.

A duty is dropped when it is owed, late, and nothing is due to act on it: a named worker not
named a working day (the area's setting) after her episode opened, once the first daily sweep
after that (which tells the lead) has passed; an advocate not found after
the area's hours, with no offer awaiting an answer (plus an hour's grace) and no offer yet made
within an hour of the opening, or with "none available" the last word and the sweep that should
first tell the lead again (`rules.escalation.first_repeat`) passed; a contact not had by its
due date whose next check (09:00 the day after each due date, one interval on per miss) has
passed without the miss on her timeline. Whatever is late is not dropped while the lead was
told again about it (a repeat on her timeline) within the area's repeat interval.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.area import AreaRules
from rules.calendar import WorkingCalendar
from rules.escalation import first_repeat, next_sweep
from rules.uktime import uk_date, uk_wall_to_utc
from waymark.areas import get_area
from waymark.db.models import (
    AdvocacyOffer,
    AdvocateAllocation,
    SupportEpisode,
    TimelineEvent,
)

GRACE = timedelta(hours=1)
NINE, MIDNIGHT = time(9, 0), time(0, 0)


def _end_of(day: date) -> datetime:
    return uk_wall_to_utc(day + timedelta(days=1), MIDNIGHT)


def _check_of(day: date) -> datetime:
    return uk_wall_to_utc(day + timedelta(days=1), NINE)


class Her:
    """What the facts say about one woman's episode, and what she is owed from them."""

    def __init__(self, episode: SupportEpisode, area: AreaRules) -> None:
        self.episode, self.area = episode, area
        self.offers: list[tuple[datetime, datetime | None]] = []  # (when, answer by)
        self.escalated: list[datetime] = []
        self.accepted = False
        self.declined_at: datetime | None = None
        self.missed: set[date] = set()
        self.told: defaultdict[str, list[datetime]] = defaultdict(list)  # part: when told again

    def chased(self, part: str, now: datetime) -> bool:
        """The lead was told again about this part of her promise within the area's interval."""
        every = timedelta(hours=self.area.escalation_repeat_hours)
        return any(at <= now < at + every for at in self.told[part])

    def missing(self, now: datetime) -> list[str]:
        parts = []
        if self._no_named_worker(now):
            parts.append("support")
        if self._no_advocate(now):
            parts.append("advocate")
        if self._no_contact(now):
            parts.append("contact")
        return [part for part in parts if not self.chased(part, now)]

    def _no_named_worker(self, now: datetime) -> bool:
        episode = self.episode
        if episode.named_worker_id is not None:
            return False
        due = WorkingCalendar(self.area).shift(
            uk_date(episode.opened_at), self.area.named_worker_within
        )
        return now >= next_sweep(_end_of(due))  # the sweep after it tells the lead

    def _no_advocate(self, now: datetime) -> bool:
        opened = self.episode.opened_at
        if self.accepted or (self.declined_at is not None and self.declined_at >= opened):
            return False
        due = opened + timedelta(hours=self.area.advocate_acceptance_after_removal_hours)
        if now < due:
            return False
        events: list[tuple[datetime, int, datetime | None]] = [(opened, 0, opened + GRACE)]
        events += [(max(at, opened), 1, by + GRACE if by else None) for at, by in self.offers]
        # "None available" is the chain's last step: the lead is told again by the first
        # sweep within the repeat interval after it (or after the duty falls due, if later).
        every = self.area.escalation_repeat_hours
        events += [
            (at, 2, first_repeat(max(at, due), every)) for at in self.escalated if at >= opened
        ]
        last = max(event for event in events if event[0] <= now)
        return last[2] is None or last[2] <= now

    def _no_contact(self, now: datetime) -> bool:
        episode = self.episode
        last = episode.last_contact_on
        due = (
            self._after(last)
            if last
            else episode.removal_on + timedelta(days=self.area.contact_rhythm.early_interval_days)
        )
        if now < _end_of(due):
            return False
        while due in self.missed:  # each miss on her timeline moves the next check on
            due = self._after(due)
        return _check_of(due) <= now

    def _after(self, day: date) -> date:
        rhythm = self.area.contact_rhythm
        early = day < self.episode.removal_on + timedelta(weeks=rhythm.early_period_weeks)
        return day + timedelta(
            days=rhythm.early_interval_days if early else rhythm.later_interval_days
        )


async def derive(session: AsyncSession, women: list[Any], now: datetime) -> dict[uuid.UUID, Her]:
    """Her facts at `now`, for each woman with an active episode among `women` (id, area
    code)."""
    areas = dict(women)
    hers: dict[uuid.UUID, Her] = {}
    for episode in await session.scalars(
        select(SupportEpisode)
        .where(SupportEpisode.woman_id.in_(list(areas)), SupportEpisode.status == "active")
        .order_by(SupportEpisode.opened_at)
    ):
        hers[episode.woman_id] = Her(episode, get_area(areas[episode.woman_id]))
    await _advocacy(session, hers)
    await _misses(session, hers)
    await _told_again(session, hers, now)
    return hers


async def _advocacy(session: AsyncSession, hers: dict[uuid.UUID, Her]) -> None:
    ids = list(hers)
    for row in await session.scalars(
        select(AdvocateAllocation).where(AdvocateAllocation.woman_id.in_(ids))
    ):
        her = hers[row.woman_id]
        her.accepted |= row.status == "accepted"
        if row.offered_at is not None and (
            row.ended_at is None or row.ended_at >= her.episode.opened_at
        ):
            her.offers.append((row.offered_at, row.accept_by))
    # "None available" as her timeline has it, at the workflow's time (a task's creation time
    # is the worker's clock, which is not virtual time).
    for woman_id, created in await session.execute(
        select(TimelineEvent.woman_id, TimelineEvent.occurred_at).where(
            TimelineEvent.woman_id.in_(ids), TimelineEvent.kind == "no_advocate_available"
        )
    ):
        hers[woman_id].escalated.append(created)
    for woman_id, at in await session.execute(
        select(AdvocacyOffer.woman_id, AdvocacyOffer.responded_at).where(
            AdvocacyOffer.woman_id.in_(ids), AdvocacyOffer.response == "declined"
        )
    ):
        her = hers[woman_id]
        her.declined_at = max(at, her.declined_at) if her.declined_at and at else at


async def _misses(session: AsyncSession, hers: dict[uuid.UUID, Her]) -> None:
    """Missed contacts from her timeline: `support:<episode>:missed:<due date>:timeline`."""
    by_episode: dict[str, Her] = {str(her.episode.id): her for her in hers.values()}
    found: defaultdict[str, set[date]] = defaultdict(set)
    for key in await session.scalars(
        select(TimelineEvent.event_key).where(
            TimelineEvent.woman_id.in_(list(hers)), TimelineEvent.kind == "contact_missed"
        )
    ):
        _, episode, _, due, *_ = key.split(":")
        found[episode].add(date.fromisoformat(due))
    for episode, days in found.items():
        if episode in by_episode:
            by_episode[episode].missed = days


# Which part of her promise a repeat on her timeline was about (the duty it names).
PARTS = {"named_worker": "support", "advocate": "advocate", "contact": "contact"}


async def _told_again(session: AsyncSession, hers: dict[uuid.UUID, Her], now: datetime) -> None:
    """The lead told again, as her timeline has it, since her episode opened: only within the
    longest repeat interval before `now`, as only those count (`Her.chased`)."""
    if not hers:
        return
    every = max(her.area.escalation_repeat_hours for her in hers.values())
    for woman_id, at, data in await session.execute(
        select(TimelineEvent.woman_id, TimelineEvent.occurred_at, TimelineEvent.data).where(
            TimelineEvent.woman_id.in_(list(hers)),
            TimelineEvent.kind == "duty_repeated",
            TimelineEvent.occurred_at > now - timedelta(hours=every),
        )
    ):
        her, part = hers[woman_id], PARTS.get((data or {}).get("duty", ""))
        if part is not None and at >= her.episode.opened_at:
            her.told[part].append(at)
