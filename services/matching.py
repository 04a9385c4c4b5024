"""Matching a referral to the woman it is for: her NHS or CHI number claims one record (a
unique constraint, so referrals arriving together agree), and a referral without a number that
matches is checked against name and date of birth."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forms.names import name_key
from forms.referral import ReferralForm, WomanDetails
from waymark.db.models import Woman, WomanIdentifier
from waymark.errors import Invalid


class Kind(StrEnum):
    NEW = "new"
    EXISTING = "existing"
    POSSIBLE = "possible"


@dataclass(frozen=True)
class Match:
    """Which record a referral is for: a new one, one held (in `area_code`), or possibly one."""

    kind: Kind
    woman_id: uuid.UUID
    area_code: str
    basis: str = ""


def identifier(details: WomanDetails) -> tuple[str, str] | None:
    """Her number and its scheme: the NHS number in England, the CHI number in Scotland."""
    if details.nhs_number:
        return "nhs", details.nhs_number
    if details.chi_number:
        return "chi", details.chi_number
    return None


async def match(session: AsyncSession, form: ReferralForm, proposed: uuid.UUID) -> Match:
    """The record this referral is for. A number nobody holds is claimed for `proposed`."""
    details = form.woman
    ident = identifier(details)
    if ident is not None:
        held = await _claim(session, ident, details, form.area, proposed)
        if held.date_of_birth == details.date_of_birth:
            kind = Kind.NEW if held.woman_id == proposed else Kind.EXISTING
            return Match(kind, held.woman_id, held.area_code)
        candidate = await session.get(Woman, held.woman_id)
        if candidate is not None and candidate.area_code == form.area:
            return Match(Kind.POSSIBLE, candidate.id, form.area, "number_other_birth_date")
    found = await _same_name_and_birth(session, details, form.area)
    if found is not None:
        return Match(Kind.POSSIBLE, found.id, form.area, "name_and_birth_date")
    return Match(Kind.NEW, proposed, form.area)


async def _claim(
    session: AsyncSession,
    ident: tuple[str, str],
    details: WomanDetails,
    area: str,
    proposed: uuid.UUID,
) -> WomanIdentifier:
    """The claim on her number: an existing one, else ours. Two requests inserting at once
    meet at the unique constraint; the loser reads the winner's claim."""
    held = await _held(session, ident)
    if held is not None:
        return held
    mine = await session.scalar(select(WomanIdentifier).where(WomanIdentifier.woman_id == proposed))
    if mine is not None:
        if (mine.scheme, mine.number) == ident:
            return mine  # the same referral sent twice at once: the other request claimed it
        # Her id comes from the referrer's Idempotency-Key, and that record has another number.
        raise Invalid("this Idempotency-Key was already used for a different referral")
    claim = WomanIdentifier(
        scheme=ident[0],
        number=ident[1],
        woman_id=proposed,
        date_of_birth=details.date_of_birth,
        area_code=area,
    )
    try:
        async with session.begin_nested():
            session.add(claim)
    except IntegrityError:
        held = await _held(session, ident)
        if held is None:
            raise
        return held
    return claim


async def _held(session: AsyncSession, ident: tuple[str, str]) -> WomanIdentifier | None:
    return await session.scalar(
        select(WomanIdentifier).where(
            WomanIdentifier.scheme == ident[0], WomanIdentifier.number == ident[1]
        )
    )


async def _same_name_and_birth(
    session: AsyncSession, details: WomanDetails, area: str
) -> Woman | None:
    """The earliest record in her area with her date of birth and (folded) name."""
    key = name_key(details.given_name, details.family_name)
    found = await session.scalars(
        select(Woman)
        .where(
            Woman.area_code == area,
            Woman.date_of_birth == details.date_of_birth,
            Woman.merged_into_id.is_(None),
        )
        .order_by(Woman.created_at)
    )
    return next((w for w in found if name_key(w.given_name, w.family_name) == key), None)


async def release_claim(session: AsyncSession, woman_id: uuid.UUID) -> None:
    """Give up a claim made for a record that was never written (her pathway never started)."""
    if await session.get(Woman, woman_id) is None:
        await session.execute(delete(WomanIdentifier).where(WomanIdentifier.woman_id == woman_id))
