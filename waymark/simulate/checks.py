"""The promise to every woman whose baby was placed in care, checked from the read model on
every simulated day, two ways that must agree:

- the system's verdict: her invariant from the duty register (`services.invariant.
  register_findings`, which asks `services.dropped` whether a duty is dropped);
- `own_check`, the simulator's independent derivation (`waymark.simulate.own_duties`): the same
  duties recomputed from the timeline and the facts alone, never from the register.

Parts: "support" (her episode on record and active, a named worker), "advocate", "contact".
A woman whose episode a safeguarding lead has signed off is not counted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.invariant import register_findings, signed_off
from services.ledger import ledger_women
from services.ledger_rows import load_facts
from waymark.db.models import Baby, SupportEpisode, Woman
from waymark.simulate.own_duties import derive

OWN = "waymark.simulate.checks.own_check"
SOURCE = "services.invariant.register_findings"


@dataclass(frozen=True)
class Breach:
    """A woman missing one or more parts of the promise on a day."""

    woman_id: uuid.UUID
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """One day's check: the women it covered and who was missing what."""

    covered: list[uuid.UUID]
    breaches: list[Breach]

    @property
    def checked(self) -> int:
        """How many women the check covered."""
        return len(self.covered)

    def by_woman(self) -> dict[uuid.UUID, tuple[str, ...]]:
        return {breach.woman_id: tuple(sorted(breach.missing)) for breach in self.breaches}


async def check_removed_women(session: AsyncSession, *, now: datetime, today: date) -> Verdict:
    """The system's invariant for every woman in the ledger, from the duty register."""
    women = await ledger_women(session)
    facts = await load_facts(session, women, today)
    breaches = []
    for woman_id, fact in facts.items():
        if fact.episode is not None and signed_off(fact.episode):
            continue
        found = register_findings(fact, now)
        if found:
            breaches.append(Breach(woman_id, tuple(f.kind.value for f in found)))
    covered = [w for w, f in facts.items() if f.episode is None or not signed_off(f.episode)]
    return Verdict(covered=covered, breaches=breaches)


async def own_check(session: AsyncSession, *, now: datetime, today: date) -> Verdict:
    """The same promise derived independently, from the timeline and the facts."""
    women = list(await session.execute(select(Woman.id, Woman.area_code).order_by(Woman.id)))
    episodes = {
        row.woman_id: row
        for row in await session.scalars(select(SupportEpisode).order_by(SupportEpisode.opened_at))
    }
    in_scope = {w for w, _ in women if w in episodes} | await _in_care(session)
    hers = await derive(session, [(w, a) for w, a in women if w in in_scope], now)
    breaches, covered = [], []
    for woman_id in sorted(in_scope):
        episode = episodes.get(woman_id)
        if episode is not None and _closed_by_a_lead(episode):
            continue
        covered.append(woman_id)
        her = hers.get(woman_id)
        missing = her.missing(now) if her is not None else ["support"]
        if her is None and episode is not None and episode.status == "active":
            missing = []
        if missing:
            breaches.append(Breach(woman_id, tuple(missing)))
    return Verdict(covered=covered, breaches=breaches)


def _closed_by_a_lead(episode: SupportEpisode) -> bool:
    return episode.status == "closed" and bool(
        episode.closed_by and episode.close_reason and episode.handover_to
    )


async def _in_care(session: AsyncSession) -> set[uuid.UUID]:
    return set(await session.scalars(select(Baby.woman_id).where(Baby.placement == "care")))
