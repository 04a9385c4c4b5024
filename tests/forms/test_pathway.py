"""The pathway's screening rules (which decision is allowed at which stage) and its state."""

from __future__ import annotations

import itertools
import json
from datetime import date
from uuid import UUID

import pytest
from pydantic import ValidationError
from temporalio.contrib.pydantic import pydantic_data_converter

from forms.common import Actor, Nation, Role
from forms.pathway import (
    ALLOWED_DECISIONS,
    DECISION_STAGE,
    PathwayInput,
    PathwayState,
    ScreeningDecision,
    Stage,
)
from forms.referral import ReferralForm
from tests.helpers.referrals import referral_body

NFA = ScreeningDecision.NO_FURTHER_ACTION
EARLY_HELP = ScreeningDecision.EARLY_HELP
ASSESSMENT = ScreeningDecision.PRE_BIRTH_ASSESSMENT
STRATEGY = ScreeningDecision.STRATEGY_DISCUSSION

# Written out by hand rather than derived from the code under test: screening may be revisited
# only to escalate, and nothing is decided by screening once a strategy discussion is due.
EXPECTED_ALLOWED: dict[Stage, set[ScreeningDecision]] = {
    Stage.SCREENING: {NFA, EARLY_HELP, ASSESSMENT, STRATEGY},
    Stage.EARLY_HELP: {ASSESSMENT, STRATEGY},
    Stage.PRE_BIRTH_ASSESSMENT: {STRATEGY},
    Stage.STRATEGY_DISCUSSION: set(),
    Stage.CONFERENCE: set(),
    Stage.CHILD_PROTECTION_PLAN: set(),
    Stage.SUPPORT_WITHOUT_PLAN: set(),
    Stage.POSTNATAL: set(),
    Stage.BABY_IN_CARE: set(),
    Stage.CLOSED: set(),
}


def allowed(stage: Stage) -> frozenset[ScreeningDecision]:
    """The look-up exactly as the pathway workflow makes it (a missing stage allows nothing)."""
    return ALLOWED_DECISIONS.get(stage, frozenset())


def test_the_expected_table_covers_every_stage() -> None:
    assert set(EXPECTED_ALLOWED) == set(Stage)


@pytest.mark.parametrize(
    ("stage", "decision"),
    list(itertools.product(Stage, ScreeningDecision)),
    ids=lambda value: str(value),
)
def test_each_decision_is_allowed_only_where_the_table_says(
    stage: Stage, decision: ScreeningDecision
) -> None:
    assert (decision in allowed(stage)) == (decision in EXPECTED_ALLOWED[stage])


def test_from_screening_every_decision_is_allowed() -> None:
    assert allowed(Stage.SCREENING) == frozenset(ScreeningDecision)


def test_from_early_help_only_escalations_are_allowed() -> None:
    assert allowed(Stage.EARLY_HELP) == {ASSESSMENT, STRATEGY}


def test_from_an_assessment_only_a_strategy_discussion_is_allowed() -> None:
    assert allowed(Stage.PRE_BIRTH_ASSESSMENT) == {STRATEGY}


@pytest.mark.parametrize("stage", [Stage.STRATEGY_DISCUSSION, Stage.CLOSED])
def test_nothing_is_allowed_from_a_strategy_discussion_or_once_closed(stage: Stage) -> None:
    assert allowed(stage) == frozenset()


@pytest.mark.parametrize(
    ("decision", "stage"),
    [
        (NFA, Stage.CLOSED),
        (EARLY_HELP, Stage.EARLY_HELP),
        (ASSESSMENT, Stage.PRE_BIRTH_ASSESSMENT),
        (STRATEGY, Stage.STRATEGY_DISCUSSION),
    ],
)
def test_each_decision_moves_her_to_its_stage(decision: ScreeningDecision, stage: Stage) -> None:
    assert DECISION_STAGE[decision] is stage


def test_every_decision_has_a_stage_and_none_returns_her_to_screening() -> None:
    assert set(DECISION_STAGE) == set(ScreeningDecision)
    assert Stage.SCREENING not in DECISION_STAGE.values()


# Escalation order of the stages she can be in once screening has decided something.
ESCALATION = [Stage.EARLY_HELP, Stage.PRE_BIRTH_ASSESSMENT, Stage.STRATEGY_DISCUSSION]
REVISITS = [
    (stage, decision)
    for stage, decisions in ALLOWED_DECISIONS.items()
    if stage is not Stage.SCREENING
    for decision in sorted(decisions)  # a set's order differs between processes (xdist)
]


def test_screening_can_be_revisited_from_a_decided_stage() -> None:
    assert REVISITS, "no stage after screening allows a decision: the revisit test is vacuous"


@pytest.mark.parametrize(("stage", "decision"), REVISITS)
def test_revisiting_screening_only_ever_escalates(
    stage: Stage, decision: ScreeningDecision
) -> None:
    new_stage = DECISION_STAGE[decision]
    assert new_stage in ESCALATION
    assert ESCALATION.index(new_stage) > ESCALATION.index(stage)


# --- The state carried across continue-as-new -----------------------------------------------

WOMAN_ID = UUID("7c0f2a52-3b8e-4f0e-9d51-0a9b3b1f6a10")
REFERRAL_ID = UUID("d2a6c9e4-5f1b-4c77-8e1a-2b3c4d5e6f70")


def make_state(**overrides: object) -> PathwayState:
    fields: dict[str, object] = {
        "woman_id": WOMAN_ID,
        "referral_id": REFERRAL_ID,
        "area": "glenbrae",
        "nation": Nation.SCOTLAND,
        "edd": date(2027, 3, 1),
        "stage": Stage.PRE_BIRTH_ASSESSMENT,
        "recorded": True,
        "intake_fingerprint": "3f7a9c",
        "screening_count": 2,
    }
    fields.update(overrides)
    return PathwayState.model_validate(fields)


@pytest.mark.parametrize("stage", list(Stage))
def test_the_state_round_trips_through_json_unchanged(stage: Stage) -> None:
    state = make_state(stage=stage)
    again = PathwayState.model_validate_json(state.model_dump_json())
    assert again == state
    assert again.model_dump() == state.model_dump()
    assert isinstance(again.stage, Stage)
    assert isinstance(again.woman_id, UUID)


def test_the_state_round_trips_through_the_temporal_pydantic_converter() -> None:
    state = make_state()
    converter = pydantic_data_converter.payload_converter
    [decoded] = converter.from_payloads(converter.to_payloads([state]), [PathwayState])
    assert decoded == state


def test_the_state_stores_stage_and_nation_as_their_plain_values() -> None:
    stored = json.loads(make_state().model_dump_json())
    assert stored["stage"] == "pre_birth_assessment"
    assert stored["nation"] == "scotland"
    assert stored["edd"] == "2027-03-01"


def test_a_state_saved_before_the_defaulted_fields_existed_still_decodes() -> None:
    old = json.dumps(
        {
            "woman_id": str(WOMAN_ID),
            "referral_id": str(REFERRAL_ID),
            "area": "northmoor",
            "nation": "england",
            "edd": "2027-03-01",
        }
    )
    state = PathwayState.model_validate_json(old)
    assert state.stage is Stage.SCREENING
    assert state.recorded is False
    assert state.intake_fingerprint == ""
    assert state.screening_count == 0


def test_a_state_with_an_unknown_field_is_refused() -> None:
    payload = json.loads(make_state().model_dump_json()) | {"given_name": "Jane"}
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        PathwayState.model_validate_json(json.dumps(payload))


def test_a_pathway_input_with_its_referral_round_trips_through_json_unchanged() -> None:
    actor = Actor(
        user_id=UUID("0b6f4c1e-0000-4000-8000-000000000001"),
        role=Role.PRACTITIONER,
        organisation_id=UUID("0b6f4c1e-0000-4000-8000-000000000002"),
        request_id="req-1",
    )
    start = PathwayInput(
        state=make_state(stage=Stage.SCREENING, recorded=False, screening_count=0),
        referral=ReferralForm.model_validate(referral_body(pregnancy={"edd": "2027-03-01"})),
        referral_actor=actor,
    )
    again = PathwayInput.model_validate_json(start.model_dump_json())
    assert again == start
    assert again.referral is not None
    assert again.referral.pregnancy.due_date == date(2027, 3, 1)
