"""Conference quorum: whether enough of the right agencies attended for decisions to stand.

Pure function of the area's rules and who attended: safe inside a workflow.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from forms.area import CHILDREN_SOCIAL_CARE, HEALTH_AGENCIES, AreaRules
from forms.common import Contract, Nation

# Agency kinds in plain words; any other kind is spelt out from its code.
_AGENCY_WORDS = {
    "maternity": "midwifery",
    "gp": "GP",
    "drug_treatment": "drug treatment",
}


class QuorumCheck(Contract):
    """Whether a conference was quorate and, if not, each reason in plain English."""

    quorate: bool
    missing: list[str] = Field(default_factory=list)


def check_quorum(area: AreaRules, attended: Iterable[str], *, unborn: bool) -> QuorumCheck:
    """Check attendance (agency kinds) against the area's quorum rule."""
    present = {kind for kind in attended if kind}
    rule = area.quorum
    missing = [
        _group_missing(area.nation, group)
        for group in rule.required_agencies
        if group and present.isdisjoint(group)
    ]
    if unborn:
        missing += [
            f"{_agency(area.nation, kind)} must attend for an unborn baby"
            for kind in rule.required_for_unborn
            if kind not in present
        ]
    others = len(present - {CHILDREN_SOCIAL_CARE})
    if others < rule.minimum_other_agencies:
        missing.append(_too_few_others(area.nation, rule.minimum_other_agencies, others))
    return QuorumCheck(quorate=not missing, missing=missing)


def _agency(nation: Nation, kind: str) -> str:
    """An agency kind in plain words (Scotland calls children's social care "social work")."""
    if kind == CHILDREN_SOCIAL_CARE:
        return "social work" if nation is Nation.SCOTLAND else "children's social care"
    return _AGENCY_WORDS.get(kind, kind.replace("_", " "))


def _or_list(words: list[str]) -> str:
    """ "a", "a or b", "a, b or c"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _group_missing(nation: Nation, group: list[str]) -> str:
    """The reason a required group had no one there."""
    names = [_agency(nation, kind) for kind in group]
    if len(group) == 1:
        return f"{names[0]} did not attend"
    if set(group) <= set(HEALTH_AGENCIES):
        return f"health did not attend (any of {_or_list(names)})"
    return f"none of {_or_list(names)} attended"


def _too_few_others(nation: Nation, minimum: int, attended: int) -> str:
    """The reason too few agencies came besides children's social care."""
    noun = "agency" if minimum == 1 else "agencies"
    did = "none" if attended == 0 else str(attended)
    return (
        f"at least {minimum} {noun} besides {_agency(nation, CHILDREN_SOCIAL_CARE)} "
        f"must attend ({did} did)"
    )
