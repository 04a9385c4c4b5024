"""A decision letter's context, for tests that send or print one."""

from __future__ import annotations

from datetime import date

from forms.common import Nation
from forms.conference import Category, ConferenceKind
from forms.documents import DecisionContext


def decision_context(woman_name: str, nation: Nation = Nation.ENGLAND) -> DecisionContext:
    """Her initial conference's decision: held 1 July 2027, review by 1 October 2027."""
    return DecisionContext(
        nation=nation,
        area_name="Northmoor",
        issued_on=date(2027, 7, 2),
        woman_name=woman_name,
        conference_kind=ConferenceKind.INITIAL,
        held_on=date(2027, 7, 1),
        plan=True,
        category=Category.NEGLECT if nation is Nation.ENGLAND else None,
        areas_of_concern=["Housing", "Support after the birth"],
        core_group_by=date(2027, 7, 15),
        review_by=date(2027, 10, 1),
    )
