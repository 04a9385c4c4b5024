"""Side effects of her support episode: opening it (named worker, plan, flag), recording what
happens in it, outreach and escalation when contact lapses, and supervision for staff (R4.4)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError

from activities.business_time import business_time
from activities.wake import waking_transaction
from forms import activity_contracts as acts
from forms.activity_contracts import implements
from forms.support import MissedContact, OpenEpisode, PlanItem, SupportEvent
from rules.wording import long_date
from services import duty_support
from services.escalation import area_leads
from waymark import audit
from waymark.db.models import (
    Notice,
    SupportContact,
    SupportEpisode,
    SupportPlanItem,
    Task,
    TimelineEvent,
    User,
    Woman,
)


class SupportActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @implements(acts.open_support_episode)
    async def open_support_episode(self, inp: OpenEpisode) -> uuid.UUID | None:
        """Open her episode with a named worker who is not the baby's social worker."""
        state = inp.state
        async with waking_transaction(self._sessions) as session:
            existing = await session.get(SupportEpisode, state.episode_id)
            if existing is not None:
                return existing.named_worker_id
            woman = await session.get(Woman, state.woman_id)
            if woman is None:
                raise ApplicationError("her record is not found", type="InvalidRecord")
            worker = await _choose_named_worker(session, woman, state.baby_worker_id)
            session.add(
                SupportEpisode(
                    id=state.episode_id,
                    woman_id=woman.id,
                    workflow_id=inp.workflow_id,
                    status="active",
                    opened_at=state.opened_at,
                    removal_on=state.removal_on,
                    named_worker_id=worker,
                    heightened_risk_until=inp.heightened_risk_until,
                    next_contact_due=state.next_contact_due,
                )
            )
            await session.flush()
            episode = await session.get(SupportEpisode, state.episode_id)
            assert episode is not None
            await duty_support.on_opening(
                session, woman, episode, f"support:{state.episode_id}:opened"
            )
            for item in PlanItem:
                session.add(SupportPlanItem(episode_id=state.episode_id, item=item.value))
            _tasks_on_opening(session, woman, state.episode_id, worker)
            _timeline(
                session,
                woman.id,
                f"support:{state.episode_id}:opened",
                "support_opened",
                "Her own support episode opened: a named worker, a support plan and "
                "regular contact, whatever happens in her baby's case",
                state.opened_at,
            )
            audit.record(
                session,
                None,
                action="open_support_episode",
                record_type="woman",
                record_id=woman.id,
            )
            return worker

    @implements(acts.record_support_event)
    async def record_support_event(self, inp: SupportEvent) -> None:
        """Bring the episode's row up to date and add the event to her timeline."""
        async with waking_transaction(self._sessions) as session:
            if (
                await session.scalar(
                    select(TimelineEvent.id).where(TimelineEvent.event_key == inp.key)
                )
                is not None
            ):
                return
            row = await session.get(SupportEpisode, inp.episode_id)
            if row is None:
                raise ApplicationError("the episode is not on record", type="InvalidRecord")
            state = inp.state
            row.status, row.last_contact_on = state.status.value, state.last_contact_on
            row.next_contact_due, row.missed_contacts = (
                state.next_contact_due,
                state.missed_contacts,
            )
            row.baby_home, row.named_worker_id = state.baby_home, state.named_worker_id
            if inp.kind == "support_closed":
                row.closed_at, row.close_reason, row.handover_to = (
                    inp.at,
                    inp.close_reason,
                    inp.handover_to,
                )
                row.closed_by = inp.actor.user_id if inp.actor else None
            if inp.kind == "support_contact":
                await _close_outreach(session, inp)
                _contact(session, inp)
                woman = await session.get(Woman, inp.woman_id)
                if woman is not None:
                    await duty_support.on_contact(session, woman, row, inp.key, inp.at)
            if inp.kind == "support_closed":
                await duty_support.on_closed(session, row, inp.at)
            if inp.kind == "support_named_worker":
                await _named(session, row, inp)
            await _plan_item(session, inp)
            _timeline(
                session,
                inp.woman_id,
                inp.key,
                inp.kind,
                inp.summary,
                inp.at,
                inp.actor.user_id if inp.actor else None,
            )
            audit.record(
                session, inp.actor, action=inp.kind, record_type="woman", record_id=inp.woman_id
            )

    @implements(acts.record_missed_contact)
    async def record_missed_contact(self, inp: MissedContact) -> None:
        """Assertive outreach for a missed contact; past the area's number, the lead is told."""
        key = f"support:{inp.episode_id}:missed:{inp.due.isoformat()}"
        at = business_time(inp.at)
        async with waking_transaction(self._sessions) as session:
            if await session.scalar(select(Task.id).where(Task.key == key)) is not None:
                return
            row = await session.get(SupportEpisode, inp.episode_id)
            woman = await session.get(Woman, inp.woman_id)
            if row is None or woman is None:
                raise ApplicationError("the episode is not on record", type="InvalidRecord")
            row.missed_contacts = inp.missed
            await duty_support.on_missed(session, woman, row, inp.due)
            session.add(
                Task(
                    key=key,
                    woman_id=woman.id,
                    assignee_user_id=inp.named_worker_id,
                    assignee_organisation_id=None if inp.named_worker_id else woman.team_id,
                    kind="assertive_outreach",
                    title=f"Reach out to her: the contact due {long_date(inp.due)} did not happen",
                    due=inp.due + timedelta(days=1),
                )
            )
            if inp.escalate:
                await _escalate_missed(session, woman, key, inp, at)
            _timeline(
                session,
                woman.id,
                f"{key}:timeline",
                "contact_missed",
                f"Contact due {long_date(inp.due)} did not happen: outreach started",
                at,
            )

    @implements(acts.prompt_supervision)
    async def prompt_supervision(self, woman_id: uuid.UUID) -> None:
        """Ask the supervisors of the staff involved to offer restorative supervision (R4.4)."""
        async with waking_transaction(self._sessions) as session:
            staff = set(
                await session.scalars(
                    select(TimelineEvent.actor_user_id).where(
                        TimelineEvent.woman_id == woman_id, TimelineEvent.actor_user_id.is_not(None)
                    )
                )
            )
            users = await session.scalars(select(User).where(User.id.in_(staff)))
            for user in users:
                key = f"supervision:{woman_id}:{user.id}"
                if user.manager_id is None or await session.scalar(
                    select(Task.id).where(Task.key == key)
                ):
                    continue
                session.add(
                    Task(
                        key=key,
                        woman_id=woman_id,
                        assignee_user_id=user.manager_id,
                        kind="restorative_supervision",
                        title=f"Offer {user.display_name} restorative supervision "
                        "after a baby was placed in care",
                        due=None,
                    )
                )


async def _choose_named_worker(
    session: AsyncSession, woman: Woman, baby_worker: uuid.UUID | None
) -> uuid.UUID | None:
    """A social worker in her team, not one working for her baby (its co-ordinator, or whoever
    placed the baby), with the fewest women; None when there is none (her team is then asked to
    name one)."""
    not_hers = {worker for worker in (woman.coordinator_user_id, baby_worker) if worker}
    load = (
        select(func.count())
        .select_from(SupportEpisode)
        .where(SupportEpisode.named_worker_id == User.id, SupportEpisode.status == "active")
        .scalar_subquery()
    )
    return await session.scalar(
        select(User.id)
        .where(
            User.organisation_id == woman.team_id,
            User.role == "social_worker",
            User.active.is_(True),
            User.id.not_in(not_hers),
        )
        .order_by(load, User.username)
        .limit(1)
    )


def _tasks_on_opening(
    session: AsyncSession, woman: Woman, episode_id: uuid.UUID, worker: uuid.UUID | None
) -> None:
    if worker is not None:
        session.add(
            Task(
                key=f"support:{episode_id}:plan",
                woman_id=woman.id,
                assignee_user_id=worker,
                kind="support_plan",
                title="Her baby was placed in care: make the referrals in her support "
                "plan (mental health, drug treatment, housing first)",
                due=None,
            )
        )
        return
    session.add(
        Task(
            key=f"support:{episode_id}:no_worker",
            woman_id=woman.id,
            assignee_organisation_id=woman.team_id,
            kind="name_support_worker",
            title="Name a worker for her support episode (not her baby's social worker)",
            due=None,
        )
    )


async def _named(session: AsyncSession, row: SupportEpisode, inp: SupportEvent) -> None:
    """Her worker is named: the duty is met and her team's task to name one is done."""
    await duty_support.on_named(session, row, inp.key, inp.at)
    await session.execute(
        update(Task)
        .where(Task.key == f"support:{row.id}:no_worker", Task.status == "open")
        .values(status="done", closed_at=inp.at)
    )


async def _plan_item(session: AsyncSession, inp: SupportEvent) -> None:
    if inp.kind != "support_plan_item":
        return
    item = inp.key.rsplit(":", 1)[-1]
    row = await session.scalar(
        select(SupportPlanItem).where(
            SupportPlanItem.episode_id == inp.episode_id, SupportPlanItem.item == item
        )
    )
    if row is not None:
        row.status, row.outcome, row.responded_at = "answered", inp.state.items.get(item), inp.at


async def _escalate_missed(
    session: AsyncSession, woman: Woman, key: str, inp: MissedContact, at: datetime
) -> None:
    title = (
        f"{inp.missed} contacts with her have been missed since her baby was placed in "
        "care: she is at heightened risk"
    )
    for lead in await area_leads(session, woman.area_code):
        session.add(
            Task(
                key=f"{key}:lead:{lead}",
                woman_id=woman.id,
                assignee_user_id=lead,
                kind="missed_contacts_escalation",
                title=title,
                due=None,
            )
        )
        session.add(
            Notice(
                key=f"{key}:lead:{lead}:notice",
                woman_id=woman.id,
                recipient_kind="staff",
                recipient_user_id=lead,
                kind="missed_contacts_escalation",
                send_at=at,
                urgent=True,
                summary=title,
            )
        )


def _timeline(
    session: AsyncSession,
    woman_id: uuid.UUID,
    key: str,
    kind: str,
    summary: str,
    at: datetime,
    actor_id: uuid.UUID | None = None,
) -> None:
    session.add(
        TimelineEvent(
            event_key=key,
            woman_id=woman_id,
            kind=kind,
            occurred_at=at,
            actor_user_id=actor_id,
            summary=summary,
            data={},
        )
    )


def _contact(session: AsyncSession, inp: SupportEvent) -> None:
    """The contact and its note on her record (once: the event's key names it)."""
    if inp.contact is None:
        return
    session.add(
        SupportContact(
            id=uuid.uuid5(uuid.NAMESPACE_URL, inp.key),
            episode_id=inp.episode_id,
            on=inp.contact.on,
            kind=inp.contact.kind.value,
            note=inp.contact.note,
            recorded_by=inp.actor.user_id if inp.actor else None,
        )
    )


async def _close_outreach(session: AsyncSession, inp: SupportEvent) -> None:
    """A contact happened: the outreach and escalation tasks for missed contacts are done."""
    open_tasks = await session.scalars(
        select(Task).where(
            Task.woman_id == inp.woman_id,
            Task.status == "open",
            Task.kind.in_(("assertive_outreach", "missed_contacts_escalation")),
        )
    )
    for task in open_tasks:
        task.status, task.closed_at = "done", inp.at
