"""The "no woman dropped" ledger for an area (and team), a page at a time: first the women
with an overdue duty, longest overdue first, read from the duty register through its
(status, area, due) index; then every other woman in scope, by id. A page costs the overdue
duties it passes over and the page size, never the number of women. Each view is one audit
row naming the women it listed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from forms.common import Actor
from forms.ledger import BreachKind, BreachView, EpisodeView, Ledger, LedgerRow
from services.dropped import overdue
from services.duty_views import later_than, view
from services.invariant import advocate_view
from services.ledger_rows import Facts, ever_removed, load_facts
from waymark import audit
from waymark.db.base import utcnow
from waymark.db.models import Duty, Woman
from waymark.errors import Invalid

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


async def ledger_women(
    session: AsyncSession, *, area: str | None = None, team: uuid.UUID | None = None
) -> list[Woman]:
    """Every woman in the ledger of an area (every area when none is given), and of a team:
    for the sweep and the simulator, which check each of them; the ledger itself pages."""
    query = select(Woman).where(ever_removed())
    if area is not None:
        query = query.where(Woman.area_code == area)
    if team is not None:
        query = query.where(Woman.team_id == team)
    return list(await session.scalars(query.order_by(Woman.id)))


@dataclass(frozen=True)
class Position:
    """Where a page ends: at a woman's longest overdue duty (due time, duty id), or, among the
    women with nothing overdue, at her id."""

    due_at: datetime | None = None
    duty_id: uuid.UUID | None = None
    woman_id: uuid.UUID | None = None

    def cursor(self) -> str:
        if self.due_at is not None and self.duty_id is not None:
            return f"o{(self.due_at - EPOCH) // MICROSECOND}.{self.duty_id.hex}"
        assert self.woman_id is not None
        return f"w{self.woman_id.hex}"


def parse_position(text: str) -> Position:
    """The position a page starts after (a ledger's `next`); a malformed one is a 422."""
    try:
        if text.startswith("w"):
            return Position(woman_id=uuid.UUID(hex=text[1:]))
        micros, _, duty = text.removeprefix("o").partition(".")
        due = EPOCH + int(micros) * MICROSECOND
        return Position(due_at=due, duty_id=uuid.UUID(hex=duty))
    except (ValueError, OverflowError) as error:
        raise Invalid("the page cursor is not valid", [("after", str(error))]) from error


async def build_ledger(
    session: AsyncSession,
    *,
    area: str | None,
    team: uuid.UUID | None = None,
    today: date,
    actor: Actor | None,
    detail: str | None = None,
    now: datetime | None = None,
    limit: int = 50,
    after: str | None = None,
) -> Ledger:
    """One page of the ledger, most urgent first; the view is one audit row naming whom it
    listed."""
    at = now or utcnow()
    start = parse_position(after) if after is not None else None
    listed = await _page(session, Scope(area, team, at), start, limit + 1)
    women = [woman for woman, _ in listed[:limit]]
    facts = await load_facts(session, women, today)
    rows = [to_row(facts[woman.id], today, at) for woman in women]
    audit.record(
        session,
        actor,
        action="view_ledger",
        record_type="ledger",
        record_id=area,
        detail=(detail or f"{len(rows)} women listed after {after or 'the start'}")[:200],
        listed=[row.woman_id for row in rows],
    )
    more = len(listed) > limit
    return Ledger(
        area=area,
        team=team,
        today=today,
        rows=rows,
        next=listed[limit - 1][1].cursor() if more and rows else None,
    )


@dataclass(frozen=True)
class Scope:
    area: str | None
    team: uuid.UUID | None
    now: datetime

    def women(self) -> list[ColumnElement[bool]]:
        """Only her area's (and team's) women, and only those in the ledger."""
        found = [ever_removed()]
        if self.area is not None:
            found.append(Woman.area_code == self.area)
        if self.team is not None:
            found.append(Woman.team_id == self.team)
        return found


async def _page(
    session: AsyncSession, scope: Scope, start: Position | None, wanted: int
) -> list[tuple[Woman, Position]]:
    """Up to `wanted` women after `start`: the overdue ones first, then the others."""
    found: list[tuple[Woman, Position]] = []
    if start is None or start.due_at is not None:
        found = await _overdue_women(session, scope, start, wanted)
    if len(found) < wanted:
        after = start.woman_id if start is not None else None
        found += await _other_women(session, scope, after, wanted - len(found))
    return found


async def _overdue_women(
    session: AsyncSession, scope: Scope, start: Position | None, wanted: int
) -> list[tuple[Woman, Position]]:
    """Women at their longest overdue duty, in (due, duty id) order through the register's
    index; a later overdue duty of the same woman is passed over (she is listed once)."""
    query = (
        select(Woman, Duty.due_at, Duty.id)
        .join(Woman, Woman.id == Duty.woman_id)
        .where(overdue(scope.now), ~_earlier_overdue(scope.now), *scope.women())
    )
    if scope.area is not None:
        query = query.where(Duty.area_code == scope.area)
    if start is not None and start.due_at is not None and start.duty_id is not None:
        query = query.where(later_than(start.due_at, start.duty_id))
    rows = await session.execute(query.order_by(Duty.due_at, Duty.id).limit(wanted))
    return [(woman, Position(due_at=due, duty_id=ident)) for woman, due, ident in rows]


# Made once: a new alias works out its columns again on first use (a millisecond a page).
_EARLIER = aliased(Duty, name="earlier")


def _earlier_overdue(now: datetime) -> ColumnElement[bool]:
    """She has an overdue duty before this one (through the register's woman index)."""
    earlier = _EARLIER
    return exists().where(
        earlier.woman_id == Duty.woman_id,
        earlier.status == "open",
        earlier.due_at <= now,
        or_(
            earlier.due_at < Duty.due_at,
            and_(earlier.due_at == Duty.due_at, earlier.id < Duty.id),
        ),
    )


async def _other_women(
    session: AsyncSession, scope: Scope, after: uuid.UUID | None, wanted: int
) -> list[tuple[Woman, Position]]:
    """The women in scope with nothing overdue, by id (the (area, id) index)."""
    owing = exists().where(Duty.woman_id == Woman.id, overdue(scope.now))
    query = select(Woman).where(~owing, *scope.women())
    if after is not None:
        query = query.where(Woman.id > after)
    women = await session.scalars(query.order_by(Woman.id).limit(wanted))
    return [(woman, Position(woman_id=woman.id)) for woman in women]


def to_row(facts: Facts, today: date, now: datetime | None = None) -> LedgerRow:
    """Her row: advocate, episode, contact, plan referrals, overdue clocks, open breaches, and
    what is owed to her (by whom, since when, what has been done)."""
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
