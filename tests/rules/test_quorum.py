"""Conference quorum for England and Scotland, with each reason worked out by hand."""

from __future__ import annotations

import pytest

from forms.area import AreaRules, Quorum, england_rules, scotland_rules
from forms.common import Contract
from rules.quorum import QuorumCheck, check_quorum

CSC = "children_social_care"
TOO_FEW_ENGLAND = "at least 2 agencies besides children's social care must attend"
TOO_FEW_SCOTLAND = "at least 2 agencies besides social work must attend"
NO_HEALTH = (
    "health did not attend (any of midwifery, health visiting, GP or perinatal mental health)"
)


@pytest.mark.parametrize(
    ("attended", "unborn", "missing"),
    [
        ([CSC, "maternity", "drug_treatment"], True, []),
        ([CSC, "drug_treatment", "police"], True, ["midwifery must attend for an unborn baby"]),
        ([CSC, "drug_treatment", "police"], False, []),
        ([CSC, "maternity"], True, [f"{TOO_FEW_ENGLAND} (1 did)"]),
        ([CSC, "maternity"], False, [f"{TOO_FEW_ENGLAND} (1 did)"]),
        # An agency listed twice is still one agency.
        ([CSC, "maternity", "maternity"], True, [f"{TOO_FEW_ENGLAND} (1 did)"]),
        ([CSC, "health_visiting", "gp"], False, []),
        (
            ["maternity", "drug_treatment", "police"],
            True,
            ["children's social care did not attend"],
        ),
        (
            [],
            True,
            [
                "children's social care did not attend",
                "midwifery must attend for an unborn baby",
                f"{TOO_FEW_ENGLAND} (none did)",
            ],
        ),
    ],
)
def test_england(attended: list[str], unborn: bool, missing: list[str]) -> None:
    check = check_quorum(england_rules(), attended, unborn=unborn)
    assert check == QuorumCheck(quorate=not missing, missing=missing)


@pytest.mark.parametrize(
    ("attended", "missing"),
    [
        ([CSC, "maternity", "police"], []),
        ([CSC, "gp", "police"], []),
        ([CSC, "perinatal_mental_health", "police", "drug_treatment"], []),
        ([CSC, "police", "drug_treatment"], [NO_HEALTH]),
        (["maternity", "police"], ["social work did not attend"]),
        ([CSC, "maternity"], ["police did not attend", f"{TOO_FEW_SCOTLAND} (1 did)"]),
        (
            [CSC],
            [NO_HEALTH, "police did not attend", f"{TOO_FEW_SCOTLAND} (none did)"],
        ),
    ],
)
@pytest.mark.parametrize("unborn", [True, False])
def test_scotland_needs_social_work_health_and_police(
    attended: list[str], missing: list[str], unborn: bool
) -> None:
    # Scotland sets no extra agency for an unborn baby: the answer is the same either way.
    check = check_quorum(scotland_rules(), attended, unborn=unborn)
    assert check == QuorumCheck(quorate=not missing, missing=missing)


def test_an_area_can_set_its_own_quorum() -> None:
    quorum = Quorum(
        required_agencies=[[CSC], ["police", "housing"]],
        required_for_unborn=["maternity", "drug_treatment"],
        minimum_other_agencies=1,
    )
    area = AreaRules.model_validate({**england_rules().model_dump(), "quorum": quorum})

    check = check_quorum(area, iter([CSC]), unborn=True)

    assert check.missing == [
        "none of police or housing attended",
        "midwifery must attend for an unborn baby",
        "drug treatment must attend for an unborn baby",
        "at least 1 agency besides children's social care must attend (none did)",
    ]
    assert check_quorum(area, [CSC, "housing"], unborn=False).quorate


def test_quorum_check_is_a_contract() -> None:
    assert issubclass(QuorumCheck, Contract)
    check = QuorumCheck.model_validate_json('{"quorate": true}')
    assert check.missing == []
