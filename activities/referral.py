"""Side effects of referral intake and screening: writing the read model, idempotently."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError

from forms import activity_contracts as acts
from forms.activity_contracts import implements
from forms.common import Actor, Nation
from forms.intake import RecordFurtherReferral
from forms.pathway import RecordReferral, RecordScreening, ScreeningDecision
from forms.referral import ReferralForm
from services import organisations
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import Involvement, Notice, Organisation, Referral, TimelineEvent, Woman
from waymark.db.session import transaction

DECISION_WORDS = {
    ScreeningDecision.NO_FURTHER_ACTION: "no further action",
    ScreeningDecision.EARLY_HELP: "universal or early help support",
    ScreeningDecision.PRE_BIRTH_ASSESSMENT: "a pre-birth assessment",
    ScreeningDecision.STRATEGY_DISCUSSION: "a strategy discussion",
}
# Scotland's words where they differ (an IRD, not a strategy discussion).
SCOTTISH_DECISION_WORDS = {
    **DECISION_WORDS,
    ScreeningDecision.STRATEGY_DISCUSSION: "an Inter-agency Referral Discussion (IRD)",
}


def decision_words(woman: Woman) -> dict[ScreeningDecision, str]:
    """The screening decisions in the words of where she lives."""
    scotland = get_area(woman.area_code).nation is Nation.SCOTLAND
    return SCOTTISH_DECISION_WORDS if scotland else DECISION_WORDS


class ReferralActivities:
    """Built with a session maker; each method is one transaction keyed by a business id."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @implements(acts.record_referral)
    async def record_referral(self, inp: RecordReferral) -> None:
        """Record the woman, her referral and who is involved; a repeat changes nothing."""
        async with transaction(self._sessions) as session:
            if await session.get(Referral, inp.referral_id) is not None:
                return
            referrer_org = await referring_organisation(session, inp.referral, inp.actor)
            woman = await session.get(Woman, inp.woman_id)
            if woman is None:
                team = await _receiving_team(session, inp.referral.area)
                _add_woman(session, inp, team)
                # No ORM relationships here, so write her row before the rows that point at it.
                await session.flush()
                await involve(session, inp.woman_id, team.id, "social_care")
            else:
                # Her earlier pathway has closed: this referral begins a new one on her record.
                woman.stage, woman.edd = "screening", inp.referral.pregnancy.due_date
            await involve(session, inp.woman_id, referrer_org.id, "referrer")
            add_referral(session, inp, referrer_org)
            session.add(
                TimelineEvent(
                    event_key=f"referral:{inp.referral_id}:received",
                    woman_id=inp.woman_id,
                    kind="referral_received",
                    occurred_at=inp.received_at,
                    actor_user_id=inp.actor.user_id,
                    summary=f"Referral received from {referrer_org.name}",
                    data={"referral_id": str(inp.referral_id)},
                )
            )
            audit.record(
                session,
                inp.actor,
                action="create_referral",
                record_type="woman",
                record_id=inp.woman_id,
            )

    @implements(acts.record_screening)
    async def record_screening(self, inp: RecordScreening) -> None:
        """Record a screening decision and move her stage (inviting the agencies the area's
        guidance names to a strategy discussion); a repeat changes nothing."""
        key = f"referral:{inp.referral_id}:screening:{inp.sequence}"
        async with transaction(self._sessions) as session:
            exists = await session.scalar(
                select(TimelineEvent.id).where(TimelineEvent.event_key == key)
            )
            if exists is not None:
                return
            referral = await session.get(Referral, inp.referral_id)
            woman = await session.get(Woman, inp.woman_id)
            if referral is None or woman is None:
                raise ApplicationError("the referral is not on record", type="InvalidRecord")
            command = inp.command
            referral.screening_decision = command.decision.value
            referral.screening_reason = command.reason
            referral.screened_at = inp.decided_at
            referral.screened_by = command.actor.user_id
            woman.stage = inp.new_stage.value
            session.add(
                TimelineEvent(
                    event_key=key,
                    woman_id=inp.woman_id,
                    kind="screening_decision",
                    occurred_at=inp.decided_at,
                    actor_user_id=command.actor.user_id,
                    summary=f"Screening decision: {decision_words(woman)[command.decision]}",
                    data={"decision": command.decision.value, "stage": inp.new_stage.value},
                )
            )
            if command.decision is ScreeningDecision.STRATEGY_DISCUSSION:
                await invite_to_strategy_discussion(session, woman, key, inp.decided_at)
            audit.record(
                session,
                command.actor,
                action="record_screening",
                record_type="woman",
                record_id=inp.woman_id,
            )


async def referring_organisation(
    session: AsyncSession, form: ReferralForm, actor: Actor
) -> Organisation:
    """The agency named on the referral, else the referrer's own."""
    code = form.referrer.organisation_code
    if code is None:
        org = await session.get(Organisation, actor.organisation_id)
    else:
        org = await organisations.by_code(session, code)
    if org is None:
        raise ApplicationError("the referring agency is not known", type="InvalidRecord")
    return org


async def involve(
    session: AsyncSession, woman_id: uuid.UUID, org_id: uuid.UUID, reason: str
) -> None:
    """The agency is involved in her care (once)."""
    found = await session.scalar(
        select(Involvement.id).where(
            Involvement.woman_id == woman_id, Involvement.organisation_id == org_id
        )
    )
    if found is None:
        session.add(Involvement(woman_id=woman_id, organisation_id=org_id, reason=reason))


async def _receiving_team(session: AsyncSession, area: str) -> Organisation:
    team = await organisations.receiving_team(session, area)
    if team is None:
        raise ApplicationError(f"no team receives referrals for area {area}", type="InvalidRecord")
    return team


def _add_woman(session: AsyncSession, inp: RecordReferral, team: Organisation) -> None:
    details, pregnancy = inp.referral.woman, inp.referral.pregnancy
    session.add(
        Woman(
            id=inp.woman_id,
            area_code=inp.referral.area,
            team_id=team.id,
            given_name=details.given_name,
            family_name=details.family_name,
            preferred_name=details.preferred_name,
            date_of_birth=details.date_of_birth,
            nhs_number=details.nhs_number,
            chi_number=details.chi_number,
            address=details.address.model_dump(mode="json"),
            contact=details.contact.model_dump(mode="json"),
            edd=pregnancy.due_date,
            stage="screening",
        )
    )


def add_referral(
    session: AsyncSession, inp: RecordReferral | RecordFurtherReferral, org: Organisation
) -> None:
    """Her referral as received (first or further), keyed by its id."""
    form = inp.referral
    session.add(
        Referral(
            id=inp.referral_id,
            woman_id=inp.woman_id,
            referring_organisation_id=org.id,
            referrer_user_id=inp.actor.user_id,
            referrer_name=form.referrer.practitioner_name,
            received_at=inp.received_at,
            pregnancy=form.pregnancy.model_dump(mode="json"),
            concerns=form.concerns.model_dump(mode="json"),
            sharing=form.sharing.model_dump(mode="json"),
        )
    )


async def invite_to_strategy_discussion(
    session: AsyncSession, woman: Woman, key: str, at: datetime
) -> None:
    """A notice to each agency of her area the guidance invites, involved in her care so its
    practitioners can prepare, and a line on her timeline naming them (once, by `key`)."""
    area = get_area(woman.area_code)
    if not area.strategy_discussion_invitees:
        return
    agencies = list(
        await session.scalars(
            select(Organisation)
            .where(
                Organisation.area_code == woman.area_code,
                Organisation.agency_kind.in_(area.strategy_discussion_invitees),
                Organisation.parent_id.is_(None),
            )
            .order_by(Organisation.name)
        )
    )
    name = (
        "Inter-agency Referral Discussion (IRD)"
        if area.nation is Nation.SCOTLAND
        else "strategy discussion"
    )
    for org in agencies:
        await involve(session, woman.id, org.id, "invited")
        session.add(
            Notice(
                key=f"{key}:invite:{org.id}",
                woman_id=woman.id,
                recipient_kind="agency",
                recipient_organisation_id=org.id,
                kind="strategy_discussion_invitation",
                send_at=at,
                summary=f"Please take part in the {name} about a woman in your area, as soon "
                "as it can be held",
            )
        )
    if agencies:
        session.add(
            TimelineEvent(
                event_key=f"{key}:invited",
                woman_id=woman.id,
                kind="strategy_discussion_invited",
                occurred_at=at,
                summary=f"Invited to the {name}: " + "; ".join(o.name for o in agencies),
            )
        )
