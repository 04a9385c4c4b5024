"""Escalations never go silent: every duty still owed whose escalation chain has ended (nobody
is being chased about it) is repeated to her area's safeguarding leads (and, for an advocate,
the advocacy managers) at the area's interval, until it is met or a lead waives it. Run by the
daily oversight sweep; one indexed query on the register finds them. Each repeat's next step is
the sweep that will make the next one (`rules.escalation.first_repeat`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
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


@dataclass(frozen=True)
class SilentDuty:
    """The columns of a silent duty that telling again about it needs (read as columns, not as
    the ORM object, as a sweep can find thousands)."""

    id: uuid.UUID
    woman_id: uuid.UUID
    area_code: str
    kind: str
    label: str
    due_at: datetime
    escalation_level: int


def repeat_key(duty: SilentDuty | Duty) -> str:
    """One repeat per step of the duty's escalation: a retried sweep writes nothing twice."""
    return f"duty:{duty.id}:repeat:{duty.escalation_level + 1}"


async def silent_duties(session: AsyncSession, at: datetime) -> list[SilentDuty]:
    """Every duty dropped at `at` (or whose repeat falls due within `EARLY` of it): the columns
    a repeat needs, not the rows as objects (a sweep can find thousands)."""
    columns = (Duty.id, Duty.woman_id, Duty.area_code, Duty.kind, Duty.label, Duty.due_at)
    found = select(*columns, Duty.escalation_level).where(dropped(at + EARLY), Duty.due_at <= at)
    return [SilentDuty(*row) for row in await session.execute(found)]


async def repeat_silent(session: AsyncSession, at: datetime) -> int:
    """Tell again about each silent duty; its next repeat is due one area interval on."""
    duties = await silent_duties(session, at)
    await repeat_all(session, duties, at, by_sweep=True)
    return len(duties)


async def repeat(session: AsyncSession, duty: Duty, at: datetime) -> None:
    """Tell again about one duty whose own chain has come round (a removal message still
    unacknowledged): its next repeat is the area's interval on."""
    await repeat_all(session, [duty], at, by_sweep=False)
    session.expire(duty, ["escalation_level", "next_escalation_at"])  # read again when asked


async def repeat_all(
    session: AsyncSession, duties: Sequence[SilentDuty | Duty], at: datetime, *, by_sweep: bool
) -> None:
    """Tell again about each duty: an urgent notice to each of her area's leads (and, for an
    advocate, its managers), a line on her timeline, the next step set. What the duties share
    is read first, once, whatever their number (the women's teams, the repeats already on
    record, each area's people and interval); the new rows are then written in one statement
    per table."""
    keys = [repeat_key(duty) for duty in duties]
    teams = await _teams(session, {duty.woman_id for duty in duties})
    logged = await _logged(session, keys)
    areas = await _Areas.read(session, {(d.area_code, d.kind in ADVOCACY) for d in duties})
    notices: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    for duty, key in zip(duties, keys, strict=True):
        team = teams.get(duty.woman_id)
        if team is None:
            continue
        told = areas.told[duty.area_code, duty.kind in ADVOCACY]
        summary = (
            f"Still owed, and nobody has acted: {duty.label} (due {long_date(duty.due_at)}). "
            "Please act, or waive it with a reason"
        )[:300]
        people: list[uuid.UUID | None] = list(dict.fromkeys(told)) or [None]
        notices += [_notice(key, duty, team, user_id, summary, at) for user_id in people]
        if key not in logged:
            events.append(_timeline(key, duty, summary, at))
        steps.append(_next_step(duty, at, areas.hours[duty.area_code], by_sweep=by_sweep))
        audit.record(
            session,
            None,
            action="repeat_duty",
            record_type="woman",
            record_id=duty.woman_id,
            detail=duty.kind,
        )
    if steps:
        await session.execute(update(Duty), steps)  # by primary key, many rows at once
    if notices:
        await session.execute(insert(Notice), notices)
    if events:
        await session.execute(insert(TimelineEvent), events)


def _next_step(
    duty: SilentDuty | Duty, at: datetime, hours: int, *, by_sweep: bool
) -> dict[str, Any]:
    """Its escalation one step on. Told again by the daily sweep: its next step is the sweep
    that will tell again, not `at` plus the interval (on the day the clocks go forward the next
    sweep is 23 hours on, and a repeat due a second after it would wait a day). Told by a chain
    of its own (a removal message unacknowledged, day or night): the area's interval on."""
    return {
        "id": duty.id,
        "escalation_level": duty.escalation_level + 1,
        "next_escalation_at": first_repeat(at, hours) if by_sweep else at + timedelta(hours=hours),
    }


def _timeline(key: str, duty: SilentDuty | Duty, summary: str, at: datetime) -> dict[str, Any]:
    """The repeat as a line on her timeline (once, whichever sweep makes it)."""
    return {
        "event_key": key,
        "woman_id": duty.woman_id,
        "kind": REPEAT,
        "occurred_at": at,
        "summary": summary,
        "data": {"duty": duty.kind},
    }


async def _teams(session: AsyncSession, women: set[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """Each woman's team, by her id."""
    ids, teams = sorted(women), {}
    for first in range(0, len(ids), KEY_CHUNK):
        found = select(Woman.id, Woman.team_id).where(Woman.id.in_(ids[first : first + KEY_CHUNK]))
        teams.update({row.id: row.team_id for row in await session.execute(found)})
    return teams


async def _logged(session: AsyncSession, keys: list[str]) -> set[str]:
    """The repeats among `keys` already on the women's timelines."""
    logged: set[str] = set()
    for first in range(0, len(keys), KEY_CHUNK):
        found = select(TimelineEvent.event_key).where(
            TimelineEvent.event_key.in_(keys[first : first + KEY_CHUNK])
        )
        logged.update(key for key in await session.scalars(found) if key)
    return logged


@dataclass
class _Areas:
    """The people to tell, by (area, advocacy duty), and each area's repeat interval."""

    told: dict[tuple[str, bool], list[uuid.UUID]]
    hours: dict[str, int]

    @classmethod
    async def read(cls, session: AsyncSession, wanted: set[tuple[str, bool]]) -> _Areas:
        told = {}
        for area_code, advocacy in sorted(wanted):
            people = await area_leads(session, area_code)
            if advocacy:
                people += await area_managers(session, area_code)
            told[area_code, advocacy] = people
        hours = {code: get_area(code).escalation_repeat_hours for code, _ in wanted}
        return cls(told, hours)


def _notice(
    key: str,
    duty: SilentDuty | Duty,
    team_id: uuid.UUID,
    user_id: uuid.UUID | None,
    summary: str,
    at: datetime,
) -> dict[str, Any]:
    """An urgent notice to a person (or, with no lead in her area, to her team)."""
    return {
        "key": f"{key}:{user_id or team_id}",
        "woman_id": duty.woman_id,
        "recipient_kind": "staff",
        "recipient_user_id": user_id,
        "recipient_organisation_id": None if user_id else team_id,
        "kind": REPEAT,
        "send_at": at,
        "urgent": True,
        "summary": summary,
    }
