"""Escalations never go silent: every duty still owed whose escalation chain has ended (nobody
is being chased about it) is repeated to her area's safeguarding leads (and, for an advocate,
the advocacy managers) at the area's interval, until it is met or a lead waives it. Run by the
daily oversight sweep; one indexed query on the register finds them. Each repeat's next step is
the sweep that will make the next one (`rules.escalation.first_repeat`)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.escalation import first_repeat
from rules.wording import long_date
from services.advocates import area_managers
from services.dropped import dropped
from services.escalation import area_leads
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import Duty, Notice, TimelineEvent, Woman

REPEAT = "duty_repeated"
# A sweep may start a little before the time a repeat is due (its schedule, a retry): a repeat
# due this close is made now rather than left silent until the next day's sweep.
EARLY = timedelta(hours=1)
# Duties the advocacy managers are told about too.
ADVOCACY = ("advocate", "removal_acknowledgement")
# Repeat keys looked up in one query (well under any database's limit on parameters).
KEY_CHUNK = 500


def repeat_key(duty: Duty) -> str:
    """One repeat per step of the duty's escalation: a retried sweep writes nothing twice."""
    return f"duty:{duty.id}:repeat:{duty.escalation_level + 1}"


async def silent_duties(session: AsyncSession, at: datetime) -> list[Duty]:
    """Every duty dropped at `at` (or whose repeat falls due within `EARLY` of it)."""
    return list(await session.scalars(select(Duty).where(dropped(at + EARLY), Duty.due_at <= at)))


async def repeat_silent(session: AsyncSession, at: datetime) -> int:
    """Tell again about each silent duty; its next repeat is due one area interval on. Each
    area's people and interval are read once, and the repeats already on record in one query
    per chunk (not one query, and a flush, per duty)."""
    duties = await silent_duties(session, at)
    keys = [repeat_key(duty) for duty in duties]
    logged: set[str] = set()
    for first in range(0, len(keys), KEY_CHUNK):
        chunk = keys[first : first + KEY_CHUNK]
        found = select(TimelineEvent.event_key).where(TimelineEvent.event_key.in_(chunk))
        logged.update(key for key in await session.scalars(found) if key)
    areas = _Areas(session)
    for duty in duties:
        await repeat(session, duty, at, areas=areas, logged=logged, by_sweep=True)
    return len(duties)


class _Areas:
    """An area's people to tell and repeat interval, read once per sweep."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._told: dict[tuple[str, bool], list[uuid.UUID]] = {}
        self._hours: dict[str, int] = {}

    async def told(self, area_code: str, advocacy: bool) -> list[uuid.UUID]:
        if (area_code, advocacy) not in self._told:
            told = await area_leads(self._session, area_code)
            if advocacy:
                told += await area_managers(self._session, area_code)
            self._told[area_code, advocacy] = told
        return list(self._told[area_code, advocacy])

    def hours(self, area_code: str) -> int:
        if area_code not in self._hours:
            self._hours[area_code] = get_area(area_code).escalation_repeat_hours
        return self._hours[area_code]


async def repeat(
    session: AsyncSession,
    duty: Duty,
    at: datetime,
    *,
    areas: _Areas | None = None,
    logged: set[str] | None = None,
    by_sweep: bool = False,
) -> None:
    """Tell again about one duty. `areas` and `logged` (the repeats already on her timeline)
    come from a sweep (`by_sweep`); alone, they are read here."""
    woman = await session.get(Woman, duty.woman_id)
    if woman is None:
        return
    areas = areas or _Areas(session)
    key = repeat_key(duty)
    summary = (
        f"Still owed, and nobody has acted: {duty.label} (due {long_date(duty.due_at)}). "
        "Please act, or waive it with a reason"
    )[:300]
    told = await areas.told(duty.area_code, duty.kind in ADVOCACY)
    people: list[uuid.UUID | None] = list(dict.fromkeys(told)) or [None]
    for user_id in people:
        _notice(session, f"{key}:{user_id or woman.team_id}", woman, user_id, summary, at)
    if logged is None:
        found = select(TimelineEvent.event_key).where(TimelineEvent.event_key == key)
        logged = set(await session.scalars(found))
    if key not in logged:
        session.add(
            TimelineEvent(
                event_key=key,
                woman_id=woman.id,
                kind=REPEAT,
                occurred_at=at,
                summary=summary,
                data={"duty": duty.kind},
            )
        )
    duty.escalation_level += 1
    hours = areas.hours(duty.area_code)
    # Told again by the daily sweep: its next step is the sweep that will tell again, not `at`
    # plus the interval (on the day the clocks go forward the next sweep is 23 hours on, and a
    # repeat due a second after it would wait a day). Told by a chain of its own (a removal
    # message unacknowledged, day or night): the area's interval on.
    duty.next_escalation_at = first_repeat(at, hours) if by_sweep else at + timedelta(hours=hours)
    audit.record(
        session,
        None,
        action="repeat_duty",
        record_type="woman",
        record_id=woman.id,
        detail=duty.kind,
    )


def _notice(
    session: AsyncSession,
    key: str,
    woman: Woman,
    user_id: uuid.UUID | None,
    summary: str,
    at: datetime,
) -> None:
    """An urgent notice to a person (or, with no lead in her area, to her team)."""
    session.add(
        Notice(
            key=key,
            woman_id=woman.id,
            recipient_kind="staff",
            recipient_user_id=user_id,
            recipient_organisation_id=None if user_id else woman.team_id,
            kind=REPEAT,
            send_at=at,
            urgent=True,
            summary=summary,
        )
    )
