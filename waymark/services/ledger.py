"""The "no woman dropped" ledger for an area (and team): one row per woman whose baby was
placed in care, most urgent first. Every view is audited, one row per woman listed."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.common import Actor
from forms.ledger import BreachKind, BreachView, EpisodeView, Ledger, LedgerRow
from waymark import audit
from waymark.db.base import utcnow
from waymark.db.models import Woman
from waymark.services.duty_views import view
from waymark.services.invariant import advocate_view
from waymark.services.ledger_rows import Facts, ever_removed, load_facts


async def ledger_women(
    session: AsyncSession, *, area: str | None = None, team: uuid.UUID | None = None
) -> list[Woman]:
    """The women in the ledger of an area (every area when none is given), and of a team."""
    query = select(Woman).where(ever_removed())
    if area is not None:
        query = query.where(Woman.area_code == area)
    if team is not None:
        query = query.where(Woman.team_id == team)
    return list(await session.scalars(query.order_by(Woman.id)))


async def build_ledger(
    session: AsyncSession,
    *,
    area: str | None,
    team: uuid.UUID | None = None,
    today: date,
    actor: Actor | None,
    detail: str | None = None,
    now: datetime | None = None,
) -> Ledger:
    """The ledger, most urgent first; each woman listed is an audited view."""
    women = await ledger_women(session, area=area, team=team)
    facts = await load_facts(session, women, today)
    at = now or utcnow()
    rows = sorted((to_row(fact, today, at) for fact in facts.values()), key=urgency)
    for row in rows:
        audit.record(
            session,
            actor,
            action="view_ledger",
            record_type="woman",
            record_id=row.woman_id,
            detail=detail,
        )
    return Ledger(area=area, team=team, today=today, rows=rows)


def urgency(row: LedgerRow) -> tuple[bool, bool, bool, bool, str, str]:
    """Open breaches first, then dropped duties, overdue contact, heightened risk, by name."""
    return (
        not row.breaches,
        not any(duty.dropped for duty in row.duties),
        not row.contact_overdue,
        not row.heightened_risk,
        row.name.casefold(),
        str(row.woman_id),
    )


def to_row(facts: Facts, today: date, now: datetime | None = None) -> LedgerRow:
    """Her row: advocate, episode, contact, plan referrals, overdue clocks and open breaches."""
    woman, episode = facts.woman, facts.episode
    row = LedgerRow(
        woman_id=woman.id,
        name=f"{woman.preferred_name or woman.given_name} {woman.family_name}",
        area_code=woman.area_code,
        team_id=woman.team_id,
        advocate=advocate_view(facts, today, now),
        open_referrals=facts.referrals,
        overdue_clocks=facts.overdue,
        breaches=[
            BreachView(kind=BreachKind(b.kind), detail=b.detail, raised_at=b.raised_at)
            for b in facts.breaches
        ],
        duties=[view(duty, now or utcnow(), facts.names) for duty in facts.duties],
    )
    if episode is None:
        return row
    active = episode.status == "active"
    row.episode = EpisodeView(
        status=episode.status,
        opened_at=episode.opened_at,
        closed_at=episode.closed_at,
        closed_by=facts.name_of(episode.closed_by),
        close_reason=episode.close_reason,
        handover_to=episode.handover_to,
    )
    row.named_worker = facts.name_of(episode.named_worker_id)
    row.last_contact_on = episode.last_contact_on
    row.next_contact_due = episode.next_contact_due if active else None
    row.missed_contacts = episode.missed_contacts
    row.contact_overdue = active and (
        episode.missed_contacts > 0 or episode.next_contact_due < today
    )
    row.heightened_risk_until = episode.heightened_risk_until
    row.heightened_risk = active and episode.heightened_risk_until >= today
    return row
