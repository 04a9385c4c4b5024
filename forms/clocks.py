"""Deadlines computed from an area's rules: the statutory clocks of a pre-birth pathway."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from forms.common import Contract


class DeadlineKey(StrEnum):
    """The clocks `compute_deadlines` can return, in the order it returns them."""

    PREBIRTH_CONFERENCE_LATEST = "prebirth_conference_latest"
    INITIAL_CONFERENCE = "initial_conference"
    CONFERENCE_DUE = "conference_due"
    NOTICE_TO_PARTICIPANTS = "notice_to_participants"
    REPORTS_TO_WOMAN = "reports_to_woman"
    DECISION_LETTER = "decision_letter"
    MINUTES = "minutes"
    FIRST_CORE_GROUP = "first_core_group"
    FIRST_REVIEW = "first_review"
    NEXT_REVIEW = "next_review"


class Deadline(Contract):
    """One deadline: what is due, by when, and the rule that set the date, in plain words."""

    key: str
    due: date
    basis: str
