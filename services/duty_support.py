"""The duties that make the promise after a removal: a named worker who is not her baby's social
worker, an independent advocate, a contact within her area's interval. Written by the support and
advocacy activities in the transactions that record the facts behind them."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.calendar import WorkingCalendar
from rules.escalation import STEP_AT, next_sweep
from rules.uktime import uk_date, uk_wall_to_utc
from rules.wording import long_date
from services import duties
from services.advocates import area_managers
from services.duties import LIVE, Owed
from waymark.areas import get_area
from waymark.db.models import AdvocateAllocation, Duty, Organisation, SupportEpisode, User, Woman

NAMED_WORKER, ADVOCATE, CONTACT = "named_worker", "advocate", "contact"
# How long her allocation may take to act: to make its first offer after her episode opens,
# and to record a lapsed offer and ask the next advocate (or escalate). Measured against the
# workflow's time, never the worker's clock: on the time-skipping server the two differ by months.
ALLOCATION_GRACE = timedelta(hours=1)


async def named_worker_here(
    session: AsyncSession, woman: Woman, episode: SupportEpisode
) -> uuid.UUID | None:
    """Her named worker, who owes what her episode owes her, while they work in her area. Once
    she has moved, a worker of the area she left owes nothing new: her new team does, until it
    names a worker of its own (as the move gave it every duty already open)."""
    if episode.named_worker_id is None:
        return None
    area = await session.scalar(
        select(Organisation.area_code)
        .join(User, User.organisation_id == Organisation.id)
        .where(User.id == episode.named_worker_id)
    )
    return episode.named_worker_id if area == woman.area_code else None


def named_worker_key(episode_id: uuid.UUID) -> str:
    return f"support:{episode_id}:named_worker"


def contact_key(episode_id: uuid.UUID, since: date) -> str:
    """The contact owed from her removal on `since`."""
    return f"support:{episode_id}:contact:{since.isoformat()}"


def next_contact_key(episode_id: uuid.UUID, contacted_on: date) -> str:
    """The contact owed after her contact on `contacted_on`: a key of its own, so that a contact
    on the day of her removal meets the first duty and still opens this one."""
    return f"support:{episode_id}:contact:after:{contacted_on.isoformat()}"


def contact_check_at(due: date) -> datetime:
    """Her episode checks a contact due on `due` at 09:00 the next day (and then reaches out)."""
    return uk_wall_to_utc(due + timedelta(days=1), STEP_AT)


async def on_opening(
    session: AsyncSession, woman: Woman, episode: SupportEpisode, fact: str
) -> None:
    """Her episode opened: a named worker (met now when one was chosen), an advocate, contact."""
    area = get_area(woman.area_code)
    team = Owed(organisation_id=woman.team_id)
    within = WorkingCalendar(area).shift(uk_date(episode.opened_at), area.named_worker_within)
    due = duties.end_of_day(within)
    await duties.open_duty(
        session,
        key=named_worker_key(episode.id),
        woman=woman,
        kind=NAMED_WORKER,
        label="A named worker for her own support (not her baby's social worker)",
        owed=team,
        due_at=due,
        at=episode.opened_at,
        next_escalation_at=next_sweep(due),  # the first step: that sweep tells the lead
    )
    if episode.named_worker_id is not None:
        await duties.meet_duty(session, named_worker_key(episode.id), at=episode.opened_at, by=fact)
    await open_contact(session, woman, episode)
    await _open_advocate(session, woman, episode)


async def open_contact(
    session: AsyncSession, woman: Woman, episode: SupportEpisode, *, after: date | None = None
) -> None:
    """A contact with her by `next_contact_due`, owed by her named worker (else her team): from
    her removal, or `after` her contact on that day."""
    due = episode.next_contact_due
    await duties.open_duty(
        session,
        key=(
            contact_key(episode.id, episode.removal_on)
            if after is None
            else next_contact_key(episode.id, after)
        ),
        woman=woman,
        kind=CONTACT,
        label=f"A contact with her by {long_date(due)}",
        owed=Owed(
            user_id=await named_worker_here(session, woman, episode), organisation_id=woman.team_id
        ),
        due_at=duties.end_of_day(due),
        at=episode.opened_at if after is None else duties.end_of_day(after),
        next_escalation_at=contact_check_at(due),
    )


async def on_contact(
    session: AsyncSession, woman: Woman, episode: SupportEpisode, fact: str, at: datetime
) -> None:
    """A contact with her meets every contact duty of her episode and opens the next, owed
    after her last contact; a second contact that day leaves that one open (its due date
    does not move)."""
    last = episode.last_contact_on
    owed_next = None if last is None else next_contact_key(episode.id, last)
    for duty in await _live(session, woman.id, CONTACT, f"support:{episode.id}:"):
        if duty.key != owed_next:
            await duties.meet_duty(session, duty.key, at=at, by=fact)
    if last is not None:
        await open_contact(session, woman, episode, after=last)


async def on_missed(
    session: AsyncSession, woman: Woman, episode: SupportEpisode, due: date
) -> None:
    """A contact due on `due` was missed: outreach (and, past the area's number, the lead);
    her episode checks again after the next due date, one interval on (as its workflow does)."""
    rhythm = get_area(woman.area_code).contact_rhythm
    early = due < episode.removal_on + timedelta(weeks=rhythm.early_period_weeks)
    interval = rhythm.early_interval_days if early else rhythm.later_interval_days
    next_at = contact_check_at(due + timedelta(days=interval))
    for duty in await _live(session, woman.id, CONTACT, f"support:{episode.id}:"):
        await duties.escalate_duty(session, duty.key, next_at=next_at)


async def on_named(session: AsyncSession, episode: SupportEpisode, fact: str, at: datetime) -> None:
    """A worker was named: every duty to name one (at her episode's opening, after a move) is
    met by that fact, and what her episode owes her (contacts, her plan's clocks) is owed by
    the worker now."""
    for duty in await _live(session, episode.woman_id, NAMED_WORKER, f"support:{episode.id}:"):
        await duties.meet_duty(session, duty.key, at=at, by=fact)
    clocks = f"clock:{episode.woman_id}:support:{episode.id}:"
    owed = await _live(session, episode.woman_id, CONTACT, f"support:{episode.id}:")
    for duty in owed + await _live(session, episode.woman_id, None, clocks):
        duty.owed_by_user_id, duty.owed_by_organisation_id = episode.named_worker_id, None


async def on_moved(session: AsyncSession, woman: Woman, move: str, at: datetime) -> None:
    """She moved (`woman` already in her new area, under the `move` that took her there): her
    open episode whose named worker works in the area she left needs a worker here, named by
    her new team within the new area's time, as at an opening."""
    episodes = select(SupportEpisode).where(
        SupportEpisode.woman_id == woman.id, SupportEpisode.status == "active"
    )
    for episode in await session.scalars(episodes):
        if episode.named_worker_id is None or await named_worker_here(session, woman, episode):
            continue  # her opening's duty to name one is still live; or her worker works here
        area = get_area(woman.area_code)
        due = duties.end_of_day(WorkingCalendar(area).shift(uk_date(at), area.named_worker_within))
        await duties.open_duty(
            session,
            key=f"{named_worker_key(episode.id)}:{move}",
            woman=woman,
            kind=NAMED_WORKER,
            label="A named worker in her new area for her own support (not her baby's social "
            "worker)",
            owed=Owed(organisation_id=woman.team_id),
            due_at=due,
            at=at,
            next_escalation_at=next_sweep(due),
        )


async def on_closed(session: AsyncSession, episode: SupportEpisode, at: datetime) -> None:
    """A lead signed her episode off: what it owed her ends with the sign-off and its reason."""
    clocks = f"clock:{episode.woman_id}:support:{episode.id}:"
    owed = await _live(session, episode.woman_id, None, f"support:{episode.id}:")
    for duty in owed + await _live(session, episode.woman_id, None, clocks):
        duty.status, duty.ended_at, duty.next_escalation_at = duties.WAIVED, at, None
        duty.met_by = f"support:{episode.id}:closed"
        duty.waived_by, duty.waive_reason = episode.closed_by, episode.close_reason


async def _open_advocate(session: AsyncSession, woman: Woman, episode: SupportEpisode) -> None:
    area = get_area(woman.area_code)
    managers = await area_managers(session, woman.area_code)
    await duties.open_duty(
        session,
        key=f"support:{episode.id}:advocate",
        woman=woman,
        kind=ADVOCATE,
        label="An independent advocate for her after her baby was placed in care",
        owed=Owed(user_id=managers[0] if managers else None, organisation_id=woman.team_id),
        due_at=episode.opened_at + timedelta(hours=area.advocate_acceptance_after_removal_hours),
        at=episode.opened_at,
        next_escalation_at=episode.opened_at + ALLOCATION_GRACE,
    )
    mine = (AdvocateAllocation.woman_id == woman.id, AdvocateAllocation.ended_at.is_(None))
    for ident, status, accept_by in await session.execute(
        select(AdvocateAllocation.id, AdvocateAllocation.status, AdvocateAllocation.accept_by)
        .where(*mine, AdvocateAllocation.status.in_(("accepted", "offered")))
        .order_by(AdvocateAllocation.status)  # an accepted one first
    ):
        if status == "accepted":
            fact = f"advocacy:{ident}:accepted"
            await advocate_found(session, woman.id, episode.opened_at, fact)
        elif accept_by is not None:
            await advocate_offered(session, woman.id, accept_by)


async def advocate_offered(session: AsyncSession, woman_id: uuid.UUID, accept_by: datetime) -> None:
    """An advocate was asked: the duty is being acted on until her time to answer runs out."""
    for duty in await _live(session, woman_id, ADVOCATE):
        await duties.escalate_duty(
            session, duty.key, next_at=accept_by + ALLOCATION_GRACE, step=False
        )


async def advocate_found(
    session: AsyncSession, woman_id: uuid.UUID, at: datetime, fact: str
) -> None:
    """An advocate accepted, or she declined one: the duty is met by that fact."""
    for duty in await _live(session, woman_id, ADVOCATE):
        await duties.meet_duty(session, duty.key, at=at, by=fact)


async def advocate_escalated(session: AsyncSession, woman_id: uuid.UUID, at: datetime) -> None:
    """Nobody is available: the lead is told at `at`, the last step of the chain; the sweep
    tells her again at the area's interval until an advocate is found or the duty is waived."""
    for duty in await _live(session, woman_id, ADVOCATE):
        await duties.end_chain(session, duty.key, at=at)


async def _live(
    session: AsyncSession, woman_id: uuid.UUID, kind: str | None, prefix: str = ""
) -> list[Duty]:
    query = select(Duty).where(Duty.woman_id == woman_id, Duty.status.in_(LIVE))
    if kind is not None:
        query = query.where(Duty.kind == kind)
    if prefix:
        query = query.where(Duty.key.startswith(prefix, autoescape=True))
    return list(await session.scalars(query))
