"""The possible-match queue: referrals held until her team's social workers say whether they are
for a woman already on record. Every reading and decision is on the audit trail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.common import Actor, Role
from forms.referral import ReferralForm
from waymark import audit
from waymark.db.models import PossibleMatch, Woman
from waymark.errors import Conflict, NotFound
from waymark.security.policy import visible_women
from waymark.security.principal import Principal

BASIS_WORDS = {
    "name_and_birth_date": "the same name and date of birth",
    "number_other_birth_date": "the same NHS or CHI number, with another date of birth",
}


@dataclass(frozen=True)
class QueueItem:
    """What her team sees to decide: the referral's details beside the record's."""

    match: PossibleMatch
    form: ReferralForm
    candidate: Woman

    @property
    def basis(self) -> str:
        return BASIS_WORDS.get(self.match.basis, self.match.basis)


def _mine(principal: Principal) -> ColumnElement[bool]:
    """Only her team's social workers hold the queue."""
    if principal.role is not Role.SOCIAL_WORKER:
        return false()
    return PossibleMatch.team_id == principal.organisation_id


async def open_items(session: AsyncSession, principal: Principal) -> list[QueueItem]:
    """The open possible matches for this person's team, oldest first; each read audited."""
    rows = await session.execute(
        select(PossibleMatch, Woman)
        .join(Woman, Woman.id == PossibleMatch.candidate_woman_id)
        .where(_mine(principal), PossibleMatch.status == "open", visible_women(principal))
        .order_by(PossibleMatch.created_at)
    )
    items = [QueueItem(m, ReferralForm.model_validate(m.referral), w) for m, w in rows]
    for item in items:
        _audit(session, principal, "view_possible_match", item.candidate.id)
    return items


async def open_item(
    session: AsyncSession, principal: Principal, match_id: uuid.UUID
) -> PossibleMatch:
    """One open item of this person's team, or a 404 (a 409 once decided)."""
    row = await session.scalar(
        select(PossibleMatch).where(PossibleMatch.id == match_id, _mine(principal))
    )
    if row is None:
        raise NotFound("no such possible match for your team")
    if row.status != "open":
        raise Conflict(f"this possible match was already {row.status}")
    return row


def decide(
    session: AsyncSession, principal: Principal, row: PossibleMatch, *, join: bool, reason: str
) -> None:
    """Put the decision on the record (the caller has already delivered the referral)."""
    row.status = "confirmed" if join else "rejected"
    row.decided_by, row.decided_at, row.reason = principal.user_id, datetime.now(UTC), reason
    action = "confirm_possible_match" if join else "reject_possible_match"
    _audit(session, principal, action, row.candidate_woman_id)


def referrer(row: PossibleMatch) -> Actor:
    return Actor.model_validate(row.actor)


def _audit(session: AsyncSession, principal: Principal, action: str, woman_id: uuid.UUID) -> None:
    audit.record(session, principal.actor(), action=action, record_type="woman", record_id=woman_id)
