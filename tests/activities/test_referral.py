"""The referral activities against a migrated database: what they write, and that repeats don't."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.referral import ReferralActivities
from forms.pathway import RecordReferral, RecordScreening, ScreeningDecision, Stage
from tests.helpers.activities import (
    RECEIVED_AT,
    actor_for,
    make_record_referral,
    make_record_screening,
    make_referral_form,
    row_counts,
)
from waymark.db.models import AuditEvent, Involvement, Organisation, Referral, TimelineEvent, Woman

Sessions = async_sessionmaker[AsyncSession]
Run = Callable[[Callable[..., Awaitable[None]], Any], Awaitable[None]]
ONE_REFERRAL = {"women": 1, "referrals": 1, "involvements": 2, "timeline_events": 1}


@pytest.fixture
def activities(demo: None, sessions: Sessions) -> ReferralActivities:
    return ReferralActivities(sessions)


@pytest.fixture
def run() -> Run:
    """Run an activity method with an activity context, as a worker would."""

    async def _run(fn: Callable[..., Awaitable[None]], inp: Any) -> None:
        await ActivityEnvironment().run(fn, inp)

    return _run


async def org_id(sessions: Sessions, code: str) -> uuid.UUID:
    async with sessions() as session:
        found = await session.scalar(select(Organisation.id).where(Organisation.code == code))
    assert found is not None
    return found


async def all_rows(sessions: Sessions, model: type) -> list[Any]:
    async with sessions() as session:
        return list(await session.scalars(select(model)))


async def recorded_referral(
    activities: ReferralActivities, run: Run, sessions: Sessions
) -> RecordReferral:
    inp = make_record_referral(await actor_for(sessions, "mia.midwife"))
    await run(activities.record_referral, inp)
    return inp


# --- record_referral ------------------------------------------------------------------------


async def test_record_referral_writes_her_record_the_referral_and_who_is_involved(
    activities: ReferralActivities, run: Run, sessions: Sessions
) -> None:
    midwife = await actor_for(sessions, "mia.midwife", request_id="req-42")
    inp = make_record_referral(midwife)

    await run(activities.record_referral, inp)

    assert await row_counts(sessions) == ONE_REFERRAL | {"audit_events": 1}
    maternity = await org_id(sessions, "northmoor-maternity")
    csc = await org_id(sessions, "northmoor-csc")
    async with sessions() as session:
        woman = await session.get(Woman, inp.woman_id)
        referral = await session.get(Referral, inp.referral_id)
    assert woman is not None
    assert referral is not None
    assert (woman.stage, woman.area_code, woman.team_id) == ("screening", "northmoor", csc)
    assert (woman.given_name, woman.nhs_number) == ("Jane", inp.referral.woman.nhs_number)
    assert woman.edd.isoformat() == "2027-03-01"
    assert woman.address["postcode"] == "NM1 1AA"
    assert referral.woman_id == inp.woman_id
    assert referral.referring_organisation_id == maternity
    assert referral.referrer_user_id == midwife.user_id
    assert referral.referrer_name == "Mia Hughes"
    assert referral.received_at == RECEIVED_AT
    assert referral.screening_decision is None

    involvements = await all_rows(sessions, Involvement)
    assert {(i.woman_id, i.organisation_id, i.reason) for i in involvements} == {
        (inp.woman_id, maternity, "referrer"),
        (inp.woman_id, csc, "social_care"),
    }
    [event] = await all_rows(sessions, TimelineEvent)
    assert event.event_key == f"referral:{inp.referral_id}:received"
    assert (event.woman_id, event.kind) == (inp.woman_id, "referral_received")
    assert event.summary == "Referral received from Northmoor Maternity Service"
    assert event.actor_user_id == midwife.user_id
    [audit] = await all_rows(sessions, AuditEvent)
    assert (audit.action, audit.record_type, audit.record_id) == (
        "create_referral",
        "woman",
        str(inp.woman_id),
    )
    assert (audit.actor_user_id, audit.actor_role, audit.organisation_id) == (
        midwife.user_id,
        "practitioner",
        midwife.organisation_id,
    )
    assert (audit.request_id, audit.outcome) == ("req-42", "allowed")


async def test_record_referral_twice_with_the_same_ids_records_it_once(
    activities: ReferralActivities, run: Run, sessions: Sessions
) -> None:
    inp = make_record_referral(await actor_for(sessions, "mia.midwife"))

    await run(activities.record_referral, inp)
    await run(activities.record_referral, inp)

    assert await row_counts(sessions) == ONE_REFERRAL | {"audit_events": 1}


async def test_a_repeat_with_changed_details_keeps_what_was_first_recorded(
    activities: ReferralActivities, run: Run, sessions: Sessions
) -> None:
    inp = make_record_referral(await actor_for(sessions, "mia.midwife"))
    await run(activities.record_referral, inp)
    changed = inp.model_copy(update={"referral": make_referral_form(area="glenbrae")})

    await run(activities.record_referral, changed)

    assert await row_counts(sessions) == ONE_REFERRAL | {"audit_events": 1}
    [woman] = await all_rows(sessions, Woman)
    assert woman.area_code == "northmoor"


async def test_a_referral_from_the_receiving_team_itself_involves_the_team_once(
    activities: ReferralActivities, run: Run, sessions: Sessions
) -> None:
    inp = make_record_referral(await actor_for(sessions, "sam.social"))

    await run(activities.record_referral, inp)

    csc = await org_id(sessions, "northmoor-csc")
    involvements = await all_rows(sessions, Involvement)
    assert [(i.organisation_id, i.reason) for i in involvements] == [(csc, "social_care")]
    [referral] = await all_rows(sessions, Referral)
    assert referral.referring_organisation_id == csc


async def test_a_named_referring_agency_is_recorded_instead_of_the_referrers_own(
    activities: ReferralActivities, run: Run, sessions: Sessions
) -> None:
    form = make_referral_form(
        referrer={"practitioner_name": "Dev Patel", "organisation_code": "northmoor-recovery"}
    )
    inp = make_record_referral(await actor_for(sessions, "mia.midwife"), referral=form)

    await run(activities.record_referral, inp)

    recovery = await org_id(sessions, "northmoor-recovery")
    [referral] = await all_rows(sessions, Referral)
    assert referral.referring_organisation_id == recovery
    [event] = await all_rows(sessions, TimelineEvent)
    assert event.summary == "Referral received from Northmoor Drug and Alcohol Service"
    involved = {i.organisation_id for i in await all_rows(sessions, Involvement)}
    assert recovery in involved


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param(
            {"area": "atlantis"}, "no team receives referrals for area atlantis", id="area"
        ),
        pytest.param(
            {"referrer": {"practitioner_name": "A N Other", "organisation_code": "nowhere-gp"}},
            "the referring agency is not known",
            id="referrer",
        ),
    ],
)
async def test_a_referral_that_cannot_be_placed_is_an_invalid_record_and_writes_nothing(
    activities: ReferralActivities,
    run: Run,
    sessions: Sessions,
    overrides: dict[str, Any],
    message: str,
) -> None:
    form = make_referral_form(**overrides)
    inp = make_record_referral(await actor_for(sessions, "mia.midwife"), referral=form)

    with pytest.raises(ApplicationError) as caught:
        await run(activities.record_referral, inp)

    assert caught.value.type == "InvalidRecord"
    assert message in caught.value.message
    assert set((await row_counts(sessions)).values()) == {0}


async def test_the_audit_row_holds_ids_only_and_no_personal_data(
    activities: ReferralActivities, run: Run, sessions: Sessions
) -> None:
    form = make_referral_form(
        woman={
            "given_name": "Philippa",
            "family_name": "Quartermaine",
            "preferred_name": "Pip",
            "date_of_birth": "1991-07-15",
            "nhs_number": "4010232137",
            "address": {"line1": "22 Larkspur Row", "town": "Northmoor", "postcode": "NM4 7QZ"},
            "contact": {
                "mobile": "07700 900456",
                "email": "pip@example.org",
                "channels": [{"channel": "email", "safe": True}],
            },
        }
    )
    inp = make_record_referral(await actor_for(sessions, "mia.midwife"), referral=form)
    await run(activities.record_referral, inp)

    [audit] = await all_rows(sessions, AuditEvent)
    stored = " ".join(
        str(getattr(audit, column.key)) for column in AuditEvent.__table__.columns
    ).lower()
    personal = [
        "philippa",
        "quartermaine",
        "pip",
        "4010232137",
        "larkspur",
        "nm4 7qz",
        "1991-07-15",
        "07700 900456",
        "mia hughes",
    ]
    assert [value for value in personal if value in stored] == []
    assert audit.record_id == str(inp.woman_id)
    assert audit.detail is None


# --- record_screening -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "stage"),
    [
        (ScreeningDecision.NO_FURTHER_ACTION, Stage.CLOSED),
        (ScreeningDecision.EARLY_HELP, Stage.EARLY_HELP),
        (ScreeningDecision.PRE_BIRTH_ASSESSMENT, Stage.PRE_BIRTH_ASSESSMENT),
        (ScreeningDecision.STRATEGY_DISCUSSION, Stage.STRATEGY_DISCUSSION),
    ],
)
async def test_record_screening_writes_the_decision_and_moves_her_stage(
    activities: ReferralActivities,
    run: Run,
    sessions: Sessions,
    decision: ScreeningDecision,
    stage: Stage,
) -> None:
    referral = await recorded_referral(activities, run, sessions)
    social_worker = await actor_for(sessions, "sam.social", request_id="req-screen")
    inp = make_record_screening(referral, social_worker, decision, reason="Needs a closer look")

    await run(activities.record_screening, inp)

    async with sessions() as session:
        woman = await session.get(Woman, referral.woman_id)
        stored = await session.get(Referral, referral.referral_id)
    assert woman is not None
    assert stored is not None
    assert woman.stage == stage.value
    assert stored.screening_decision == decision.value
    assert stored.screening_reason == "Needs a closer look"
    assert stored.screened_at == inp.decided_at
    assert stored.screened_by == social_worker.user_id
    events = await all_rows(sessions, TimelineEvent)
    [screening] = [e for e in events if e.kind == "screening_decision"]
    assert screening.event_key == f"referral:{referral.referral_id}:screening:1"
    assert screening.data == {"decision": decision.value, "stage": stage.value}
    assert screening.actor_user_id == social_worker.user_id
    audits = await all_rows(sessions, AuditEvent)
    assert sorted(a.action for a in audits) == ["create_referral", "record_screening"]
    [audit] = [a for a in audits if a.action == "record_screening"]
    assert (audit.actor_user_id, audit.record_id, audit.request_id) == (
        social_worker.user_id,
        str(referral.woman_id),
        "req-screen",
    )


async def test_repeating_a_screening_sequence_number_changes_nothing(
    activities: ReferralActivities, run: Run, sessions: Sessions
) -> None:
    referral = await recorded_referral(activities, run, sessions)
    social_worker = await actor_for(sessions, "sam.social")
    first = make_record_screening(referral, social_worker, ScreeningDecision.EARLY_HELP)
    # A retry carries the same sequence; even a different decision under it must not land.
    retry_of_first = make_record_screening(
        referral, social_worker, ScreeningDecision.STRATEGY_DISCUSSION
    )

    await run(activities.record_screening, first)
    after_first = await row_counts(sessions)
    await run(activities.record_screening, first)
    await run(activities.record_screening, retry_of_first)

    assert await row_counts(sessions) == after_first
    assert after_first == {**ONE_REFERRAL, "timeline_events": 2, "audit_events": 2}
    [woman] = await all_rows(sessions, Woman)
    [stored] = await all_rows(sessions, Referral)
    assert woman.stage == "early_help"
    assert stored.screening_decision == "early_help"
    assert stored.screened_at == first.decided_at


async def test_a_later_screening_sequence_records_the_escalation(
    activities: ReferralActivities, run: Run, sessions: Sessions
) -> None:
    referral = await recorded_referral(activities, run, sessions)
    social_worker = await actor_for(sessions, "sam.social")
    steps: list[RecordScreening] = [
        make_record_screening(referral, social_worker, ScreeningDecision.EARLY_HELP, sequence=1),
        make_record_screening(
            referral, social_worker, ScreeningDecision.STRATEGY_DISCUSSION, sequence=2
        ),
    ]

    for step in steps:
        await run(activities.record_screening, step)

    [woman] = await all_rows(sessions, Woman)
    assert woman.stage == "strategy_discussion"
    events = await all_rows(sessions, TimelineEvent)
    assert sorted(e.event_key for e in events if e.kind == "screening_decision") == [
        f"referral:{referral.referral_id}:screening:1",
        f"referral:{referral.referral_id}:screening:2",
    ]
    assert (await row_counts(sessions))["audit_events"] == 3


async def test_screening_a_referral_that_is_not_on_record_is_an_invalid_record(
    activities: ReferralActivities, run: Run, sessions: Sessions
) -> None:
    midwife = await actor_for(sessions, "mia.midwife")
    never_recorded = make_record_referral(midwife)
    inp = make_record_screening(never_recorded, await actor_for(sessions, "sam.social"))

    with pytest.raises(ApplicationError) as caught:
        await run(activities.record_screening, inp)

    assert caught.value.type == "InvalidRecord"
    assert set((await row_counts(sessions)).values()) == {0}
