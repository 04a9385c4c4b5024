"""Bringing the checked rows in, one woman at a time: her record (written once, by the area's
own case id), then her pathway, started at her stage with clocks from her real dates."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from forms.common import Actor, Role
from forms.onboard import OnboardRow
from forms.pathway import BringIn, PathwayInput, PathwayState, Stage
from forms.referral import Concerns, ContactPreferences
from rules.calendar import with_closed_days
from rules.wording import long_date
from services import organisations
from services.onboard.rows import Problem, Row
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import (
    AdvocateAllocation,
    Involvement,
    OnboardedCase,
    Organisation,
    Referral,
    TimelineEvent,
    User,
    Woman,
    WomanIdentifier,
)
from waymark.db.session import transaction
from waymark.localtime import today_in_uk
from workflows.pathway import WomanPathway, workflow_id

NAMESPACE = uuid.UUID("6f1d3c52-5b1e-4d0e-9a57-3c1f0b7de015")


@dataclass(frozen=True)
class Ids:
    woman: uuid.UUID
    referral: uuid.UUID


def ids_for(case: OnboardRow) -> Ids:
    """Her ids from the area's case id: the same on every run, so a rerun finds her."""
    key = f"{case.area}:{case.case_id}"
    return Ids(uuid.uuid5(NAMESPACE, f"woman:{key}"), uuid.uuid5(NAMESPACE, f"referral:{key}"))


async def problems_on_record(session: AsyncSession, rows: list[Row]) -> list[Problem]:
    """What the records say against the file: a team for each area, each advocate an advocate,
    no number already held by a woman the file does not bring in."""
    found: list[Problem] = []
    for row in rows:
        case = row.case
        if await organisations.receiving_team(session, case.area) is None:
            found.append(Problem(row.line, "area", f"no team receives referrals in {case.area}"))
        if case.advocate and await _advocate(session, case.advocate) is None:
            found.append(Problem(row.line, "advocate", "no advocate has this username"))
        for scheme, number in (("nhs", case.nhs_number), ("chi", case.chi_number)):
            held = number and await session.scalar(
                select(WomanIdentifier.woman_id).where(
                    WomanIdentifier.scheme == scheme, WomanIdentifier.number == number
                )
            )
            if held and held != ids_for(case).woman:
                column = f"{scheme}_number"
                found.append(Problem(row.line, column, "a woman on record already has it"))
    return found


async def _advocate(session: AsyncSession, username: str) -> User | None:
    return await session.scalar(
        select(User).where(User.username == username, User.role == Role.ADVOCATE.value)
    )


async def bring_in(
    sessions: async_sessionmaker[AsyncSession],
    temporal: Client,
    task_queue: str,
    row: Row,
    by: Actor,
) -> bool:
    """Her record and her pathway; False when an earlier run already brought her in."""
    case, ids = row.case, ids_for(row.case)
    async with transaction(sessions) as session:
        done = await session.scalar(
            select(OnboardedCase).where(
                OnboardedCase.area_code == case.area, OnboardedCase.case_id == case.case_id
            )
        )
        if done is not None and done.status == "started":
            return False
        team = await organisations.receiving_team(session, case.area)
        assert team is not None  # checked before anything was written
        if done is None:
            await _record(session, case, ids, team, by)
    await _start(temporal, task_queue, case, ids, team, by)
    async with transaction(sessions) as session:
        row_done = await session.scalar(
            select(OnboardedCase).where(OnboardedCase.woman_id == ids.woman)
        )
        assert row_done is not None
        row_done.status = "started"
    return True


async def _record(
    session: AsyncSession, case: OnboardRow, ids: Ids, team: Organisation, by: Actor
) -> None:
    session.add(_woman(case, ids, team))
    await session.flush()  # her row before the rows that point at it
    received = datetime.combine(case.referral_on, time(9), tzinfo=UTC)
    session.add_all(
        [
            Involvement(woman_id=ids.woman, organisation_id=team.id, reason="social_care"),
            Referral(
                id=ids.referral,
                woman_id=ids.woman,
                referring_organisation_id=team.id,
                referrer_user_id=by.user_id,
                referrer_name="Brought in from the area's records",
                received_at=received,
                pregnancy={"edd": case.edd.isoformat()},
                concerns=Concerns().model_dump(mode="json"),
                sharing={"brought_in": True},
            ),
            TimelineEvent(
                event_key=f"onboard:{ids.woman}",
                woman_id=ids.woman,
                kind="brought_in",
                occurred_at=datetime.now(UTC),
                actor_user_id=by.user_id,
                summary=f"Brought into Waymark from the area's records (referred "
                f"{long_date(case.referral_on)}; stage: {case.stage.value.replace('_', ' ')})",
            ),
            OnboardedCase(area_code=case.area, case_id=case.case_id, woman_id=ids.woman),
        ]
    )
    for scheme, number in (("nhs", case.nhs_number), ("chi", case.chi_number)):
        if number:
            session.add(
                WomanIdentifier(
                    scheme=scheme,
                    number=number,
                    woman_id=ids.woman,
                    date_of_birth=case.date_of_birth,
                    area_code=case.area,
                )
            )
    if case.advocate:
        advocate = await _advocate(session, case.advocate)
        assert advocate is not None  # checked before anything was written
        session.add(AdvocateAllocation(woman_id=ids.woman, advocate_user_id=advocate.id))
    audit.record(session, by, action="onboard_case", record_type="woman", record_id=ids.woman)


def _woman(case: OnboardRow, ids: Ids, team: Organisation) -> Woman:
    return Woman(
        id=ids.woman,
        area_code=case.area,
        team_id=team.id,
        given_name=case.given_name,
        family_name=case.family_name,
        preferred_name=case.preferred_name,
        date_of_birth=case.date_of_birth,
        nhs_number=case.nhs_number,
        chi_number=case.chi_number,
        address={"line1": case.address_line1, "town": case.town, "postcode": case.postcode},
        contact=ContactPreferences().model_dump(mode="json"),
        edd=case.edd,
        stage=case.stage.value,
    )


async def _start(
    temporal: Client, task_queue: str, case: OnboardRow, ids: Ids, team: Organisation, by: Actor
) -> None:
    """Her pathway at her stage (a start already made is left as it is)."""
    state = PathwayState(
        woman_id=ids.woman,
        referral_id=ids.referral,
        area=case.area,
        nation=get_area(case.area).nation,
        edd=case.edd,
        stage=case.stage,
        recorded=True,
        concern_on=case.concern_on,
        strategy_discussion_on=case.strategy_discussion_on,
        # Her initial conference is behind her: its plan and the date it was held.
        last_conference_on=case.conference_on,
        conferences_held=int(case.conference_on is not None),
        plan_made=case.stage is Stage.CHILD_PROTECTION_PLAN,
        birth_on=case.born_on,
    )
    plan = BringIn(referral_on=case.referral_on, team_id=team.id, by=by, placed_on=case.placed_on)
    # Her area's rules as they are today, sent with her start (so it need not load them).
    rules = with_closed_days(get_area(case.area), today_in_uk().year)
    try:
        await temporal.start_workflow(
            WomanPathway.run,
            PathwayInput(state=state, onboard=plan, area_rules=rules),
            id=workflow_id(ids.woman),
            task_queue=task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
    except WorkflowAlreadyStartedError:
        return  # started by an earlier run, and since closed: nothing to start again
