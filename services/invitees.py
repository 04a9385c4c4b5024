"""Who is invited to a meeting about her: by role from the area's settings for conferences and
planning meetings; the agencies involved for the others; always the woman and her advocate."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.area import AreaRules
from forms.meeting import Invitee, InviteeKind, MeetingKind
from waymark.db.models import AdvocateAllocation, Involvement, Organisation, Referral, User, Woman
from waymark.errors import Invalid
from waymark.security.policy import serving_advocate

BY_ROLE = (MeetingKind.CONFERENCE, MeetingKind.REVIEW_CONFERENCE, MeetingKind.PLANNING)
REPORTS_OWED = (MeetingKind.CONFERENCE, MeetingKind.REVIEW_CONFERENCE)
# Invited only when already involved in her care.
ONLY_WHEN_INVOLVED = frozenset({"drug_treatment"})


async def resolve_invitees(
    session: AsyncSession,
    woman: Woman,
    kind: MeetingKind,
    area: AreaRules,
    *,
    unborn: bool,
    also: Sequence[uuid.UUID] = (),
) -> list[Invitee]:
    """Everyone invited: the agencies the area's rules invite, those chosen as well, her
    and her advocate."""
    involved = await _involved(session, woman)
    if kind in BY_ROLE:
        agencies = await _by_role(session, woman, area, involved)
    else:
        agencies = list(involved.values())
    chosen = [o for o in await invitable(session, woman) if o.id in set(also)]
    agencies += [o for o in chosen if o.id not in {a.id for a in agencies}]
    required = set(area.quorum.required_for_unborn) if unborn else set()
    invitees = [
        Invitee(
            kind=InviteeKind.AGENCY,
            name=org.name,
            organisation_id=org.id,
            agency_kind=org.agency_kind,
            required=org.agency_kind in required,
            owes_report=kind in REPORTS_OWED and org.id != woman.team_id,
        )
        for org in agencies
    ]
    invitees.append(Invitee(kind=InviteeKind.WOMAN, name="her"))
    advocate = await current_advocate(session, woman)
    if advocate is not None:
        invitees.append(
            Invitee(kind=InviteeKind.ADVOCATE, name=advocate.display_name, user_id=advocate.id)
        )
    return invitees


async def invitable(session: AsyncSession, woman: Woman) -> list[Organisation]:
    """The agencies in her area a meeting about her may invite as well (not advocacy: her
    advocate is invited as a person)."""
    rows = await session.scalars(
        select(Organisation)
        .where(Organisation.area_code == woman.area_code, Organisation.agency_kind != "advocacy")
        .order_by(Organisation.name)
    )
    return list(rows)


async def check_invitable(session: AsyncSession, woman: Woman, ids: Sequence[uuid.UUID]) -> None:
    """Refuse (before anything is written) an invitee who is not an agency in her area."""
    allowed = {o.id for o in await invitable(session, woman)}
    if any(i not in allowed for i in ids):
        raise Invalid(
            "invite only agencies in her area", [("also_invite", "not an agency in her area")]
        )


async def _involved(session: AsyncSession, woman: Woman) -> dict[str, Organisation]:
    rows = await session.scalars(
        select(Organisation)
        .join(Involvement, Involvement.organisation_id == Organisation.id)
        .where(Involvement.woman_id == woman.id, Organisation.agency_kind != "advocacy")
        .order_by(Organisation.code)
    )
    return {org.code: org for org in rows}


async def _by_role(
    session: AsyncSession, woman: Woman, area: AreaRules, involved: dict[str, Organisation]
) -> list[Organisation]:
    team = await session.get(Organisation, woman.team_id)
    chosen: dict[str, Organisation] = {team.code: team} if team else {}
    for agency_kind in area.conference_invitees:
        if agency_kind == "children_social_care":
            continue  # her own team, above
        mine = [o for o in involved.values() if o.agency_kind == agency_kind]
        wanted = agency_kind not in ONLY_WHEN_INVOLVED or await _in_treatment(session, woman)
        if not mine and wanted:
            first = await session.scalar(
                select(Organisation)
                .where(
                    Organisation.area_code == woman.area_code,
                    Organisation.agency_kind == agency_kind,
                )
                .order_by(Organisation.code)
                .limit(1)
            )
            mine = [first] if first else []
        chosen.update({o.code: o for o in mine})
    return list(chosen.values())


async def _in_treatment(session: AsyncSession, woman: Woman) -> bool:
    """Her referral says she is in drug treatment (so the service is involved in her care)."""
    concerns = await session.scalars(select(Referral.concerns).where(Referral.woman_id == woman.id))
    return any(c.get("in_drug_treatment") for c in concerns)


async def current_advocate(session: AsyncSession, woman: Woman) -> User | None:
    return await session.scalar(
        select(User)
        .join(AdvocateAllocation, AdvocateAllocation.advocate_user_id == User.id)
        .where(AdvocateAllocation.woman_id == woman.id, serving_advocate())
    )
