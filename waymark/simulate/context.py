"""What commands and observers share: the date mapping, the demo people, and each woman's run."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client, WorkflowHandle

from forms.area import AreaRules
from forms.common import Actor, Role
from forms.pathway import PathwayState
from rules.uktime import to_uk, uk_date, uk_wall_to_utc
from waymark.db.models import Organisation, User
from waymark.demo import ORGANISATIONS, USERS
from workflows.pathway import WomanPathway

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
LONG_DATE = re.compile(rf"\b(\d{{1,2}}) ({MONTHS}) (\d{{4}})\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
ROLE_OF = {"social_worker": "social_worker", "lead": "safeguarding_lead"}


@dataclass(frozen=True)
class SimClock:
    """Scenario dates and virtual time: virtual = scenario + offset (whole weeks, or none)."""

    offset: timedelta

    @classmethod
    def for_start(cls, start: date, virtual_today: date) -> SimClock:
        """No offset for a future start; else whole weeks, so weekdays (working days) match."""
        if start > virtual_today:
            return cls(timedelta(0))
        weeks = -(-((virtual_today - start).days + 1) // 7)
        return cls(timedelta(weeks=weeks))

    def virtual(self, day: date, at: time = time(0, 0)) -> datetime:
        """The virtual instant of a scenario day and UK time of day."""
        return uk_wall_to_utc(day + self.offset, at)

    def vdate(self, day: date) -> date:
        """A scenario date as a virtual date."""
        return day + self.offset

    def scenario_date(self, moment: datetime) -> date:
        """A virtual instant's UK date, as a scenario date."""
        return uk_date(moment) - self.offset

    def stamp(self, moment: datetime) -> str:
        """A virtual instant as the scenario's 'YYYY-MM-DD HH:MM' (UK time)."""
        local = to_uk(moment) - self.offset
        return f"{local:%Y-%m-%d %H:%M}"

    def retext(self, text: str) -> str:
        """Dates written by the system (virtual) shown as scenario dates."""
        if not self.offset:
            return text

        def long(match: re.Match[str]) -> str:
            day = datetime.strptime(match.group(0), "%d %B %Y").date() - self.offset
            padded = len(match.group(1)) == 2
            return f"{day:%d} {day:%B %Y}" if padded else f"{day.day} {day:%B %Y}"

        def iso(match: re.Match[str]) -> str:
            try:
                return (date.fromisoformat(match.group(0)) - self.offset).isoformat()
            except ValueError:
                return match.group(0)

        return ISO_DATE.sub(iso, LONG_DATE.sub(long, text))


def demo_user(area: str, role: str) -> str:
    """The demo account acting in a role in an area (social worker, midwife, lead)."""
    orgs = {o.code: o for o in ORGANISATIONS if o.area == area}
    for user in USERS:
        org = orgs.get(user.org)
        if org is None:
            continue
        if role == "midwife" and org.agency_kind == "maternity":
            return user.username
        if ROLE_OF.get(role) == user.role:
            return user.username
    raise ValueError(f"the demo data has no {role.replace('_', ' ')} in {area}")


def referral_areas() -> list[str]:
    """Areas whose demo data has a team that receives referrals."""
    return sorted({o.area for o in ORGANISATIONS if o.receives_referrals})


@dataclass
class People:
    """Demo accounts and organisations, as read from the simulation's database."""

    actors: dict[str, Actor]
    usernames: dict[uuid.UUID, str]
    names: dict[uuid.UUID, str]
    orgs: dict[uuid.UUID, Organisation]

    def by_id(self, user_id: uuid.UUID) -> Actor:
        """A demo account's actor, by user id."""
        return self.actors[self.usernames[user_id]]

    def org_member(self, org_id: uuid.UUID) -> str | None:
        """A demo account in this organisation, to write its report."""
        for username, actor in self.actors.items():
            if actor.organisation_id == org_id:
                return username
        return None


async def load_people(sessions: async_sessionmaker[AsyncSession]) -> People:
    """Everyone seeded into the simulation's database."""
    async with sessions() as session:
        users = list(await session.scalars(select(User).order_by(User.username)))
        orgs = list(await session.scalars(select(Organisation)))
    return People(
        actors={
            u.username: Actor(user_id=u.id, role=Role(u.role), organisation_id=u.organisation_id)
            for u in users
        },
        usernames={u.id: u.username for u in users},
        names={**{u.id: u.display_name for u in users}, **{o.id: o.name for o in orgs}},
        orgs={o.id: o for o in orgs},
    )


@dataclass
class WomanRun:
    """One simulated woman: her pseudonym, ids, area and the meetings named in her scenario."""

    number: int
    pseudonym: str
    woman_id: uuid.UUID
    area: AreaRules
    handle: WorkflowHandle[Any, Any]
    meetings: dict[str, uuid.UUID] = field(default_factory=dict)
    last_meeting: uuid.UUID | None = None


@dataclass
class Context:
    """Everything a command needs; `now` is the virtual time of the event being sent."""

    client: Client
    task_queue: str
    people: People
    clock: SimClock
    now: datetime = field(default_factory=lambda: datetime.min)
    sessions: async_sessionmaker[AsyncSession] | None = None

    def actor(self, by: str | None, woman: WomanRun, role: str) -> Actor:
        """Who acts: the named account, else the area's demo account in the event's role."""
        return self.people.actors[by or demo_user(woman.area.code, role)]


class Refused(Exception):
    """The simulator could not send the command (no such meeting, baby or offer)."""


async def state_of(woman: WomanRun) -> PathwayState:
    """Her pathway's state, as its query answers."""
    return await woman.handle.query(WomanPathway.state)
