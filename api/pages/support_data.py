"""What her support page reads: her latest episode, each referral in her plan with its response
clock, contacts made and missed, and the outreach and escalations still open. Callers have
passed the record-level policy first; nothing here changes anything."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.support import PlanItem
from rules.months import support_runs_until
from waymark.areas import get_area
from waymark.db.models import (
    Deadline,
    SupportContact,
    SupportEpisode,
    SupportPlanItem,
    Task,
    TimelineEvent,
    User,
)

# Each referral in her plan in plain words (the clocks' own labels say what "met" means).
REFERRALS = {
    PlanItem.PERINATAL_MENTAL_HEALTH: "Perinatal mental health",
    PlanItem.DRUG_TREATMENT: "Drug treatment (keeping her treatment going)",
    PlanItem.HOUSING: "Housing (urgent)",
    PlanItem.PEER_SUPPORT: "Peer support",
    PlanItem.PAUSE_PROGRAMME: "Offer of a Pause-type programme",
    PlanItem.CONTACT_WITH_BABY: "Contact arrangements with her baby",
    PlanItem.PRACTICAL_HELP: "Practical help (transport, benefits)",
}
CONTACT_KINDS = ("support_contact", "contact_missed")
OPEN_WORK = ("assertive_outreach", "missed_contacts_escalation", "name_support_worker")
MAX_CONTACTS = 50


@dataclass
class Referral:
    """One referral in her plan: whether it was answered, and its response clock."""

    item: str
    name: str
    answered: bool
    outcome: str | None
    due: date | None
    clock: str | None
    escalation: str | None


@dataclass
class Support:
    episode: SupportEpisode
    named_worker: str | None
    earliest_close: date
    plan: list[Referral] = field(default_factory=list)
    contacts: list[TimelineEvent] = field(default_factory=list)
    open_work: list[tuple[Task, str]] = field(default_factory=list)
    closed_by: str | None = None
    # Each contact's note and the day it happened, by its timeline event's key.
    notes: dict[str, SupportContact] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.episode.status == "active"

    def waiting(self) -> list[Referral]:
        return [r for r in self.plan if not r.answered]


async def latest_episode(session: AsyncSession, woman_id: uuid.UUID) -> SupportEpisode | None:
    """Her most recent support episode, if her baby has ever been placed in care."""
    found: SupportEpisode | None = await session.scalar(
        select(SupportEpisode)
        .where(SupportEpisode.woman_id == woman_id)
        .order_by(SupportEpisode.opened_at.desc())
        .limit(1)
    )
    return found


def earliest_close(episode: SupportEpisode, area_code: str) -> date:
    """Before this day closing needs a second reason (the area's minimum after removal)."""
    return support_runs_until(episode.removal_on, get_area(area_code))


async def read_support(session: AsyncSession, episode: SupportEpisode, area_code: str) -> Support:
    """Everything her support page shows about this episode."""
    names = await user_names(session, [episode.named_worker_id, episode.closed_by])
    return Support(
        episode=episode,
        named_worker=names.get(episode.named_worker_id) if episode.named_worker_id else None,
        earliest_close=earliest_close(episode, area_code),
        plan=await _plan(session, episode),
        contacts=await _contacts(session, episode),
        notes=await _notes(session, episode),
        open_work=await _open_work(session, episode),
        closed_by=names.get(episode.closed_by) if episode.closed_by else None,
    )


async def _plan(session: AsyncSession, episode: SupportEpisode) -> list[Referral]:
    rows = {
        row.item: row
        for row in await session.scalars(
            select(SupportPlanItem).where(SupportPlanItem.episode_id == episode.id)
        )
    }
    clocks = {
        row.deadline: row
        for row in await session.scalars(
            select(Deadline).where(Deadline.scope == f"support:{episode.id}")
        )
    }
    plan = []
    for item, name in REFERRALS.items():
        row, clock = rows.get(item.value), clocks.get(f"plan_{item.value}")
        plan.append(
            Referral(
                item=item.value,
                name=name,
                answered=row is not None and row.status == "answered",
                outcome=row.outcome if row else None,
                due=clock.due if clock else None,
                clock=clock.status if clock else None,
                escalation=clock.escalation if clock else None,
            )
        )
    return plan


async def _contacts(session: AsyncSession, episode: SupportEpisode) -> list[TimelineEvent]:
    """Contacts with her and contacts missed since this episode opened, newest first."""
    return list(
        await session.scalars(
            select(TimelineEvent)
            .where(
                TimelineEvent.woman_id == episode.woman_id,
                TimelineEvent.kind.in_(CONTACT_KINDS),
                TimelineEvent.occurred_at >= episode.opened_at,
            )
            .order_by(TimelineEvent.occurred_at.desc())
            .limit(MAX_CONTACTS)
        )
    )


async def _notes(session: AsyncSession, episode: SupportEpisode) -> dict[str, SupportContact]:
    """The contacts kept with their notes, by the key of the timeline event that records each
    (the contact's id is made from that key)."""
    rows = await session.scalars(
        select(SupportContact).where(SupportContact.episode_id == episode.id)
    )
    by_id = {row.id: row for row in rows}
    events = await session.scalars(
        select(TimelineEvent.event_key).where(
            TimelineEvent.woman_id == episode.woman_id, TimelineEvent.kind == "support_contact"
        )
    )
    keys = {uuid.uuid5(uuid.NAMESPACE_URL, key): key for key in events}
    return {keys[i]: row for i, row in by_id.items() if i in keys}


async def _open_work(session: AsyncSession, episode: SupportEpisode) -> list[tuple[Task, str]]:
    """Outreach and escalations still open about her contact, with whom each is with."""
    tasks = list(
        await session.scalars(
            select(Task)
            .where(
                Task.woman_id == episode.woman_id,
                Task.status == "open",
                Task.kind.in_(OPEN_WORK),
            )
            .order_by(Task.created_at, Task.key)
        )
    )
    names = await user_names(session, [t.assignee_user_id for t in tasks])
    return [
        (t, names.get(t.assignee_user_id, "Her team") if t.assignee_user_id else "Her team")
        for t in tasks
    ]


async def user_names(
    session: AsyncSession, ids: list[uuid.UUID | None]
) -> dict[uuid.UUID | None, str]:
    """The display names of these users (None and unknown ids left out)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {row[0]: row[1] for row in rows}
