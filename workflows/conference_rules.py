"""What a conference decision must say in each nation (pure; used by the workflow's validator)."""

from __future__ import annotations

from temporalio.exceptions import ApplicationError

from forms.common import Nation
from forms.conference import ConferenceKind, ConferenceOutcome
from forms.language import SUGGESTIONS, stigmatising_terms


def check_outcome(nation: Nation, outcome: ConferenceOutcome) -> None:
    """England: a plan or not, with a category if so. Scotland: registered or not, with the
    areas of concern if so, and never a category."""
    if outcome.plan is None:
        word = "a child protection plan" if nation is Nation.ENGLAND else "registration"
        _refuse(f"record whether the conference decided on {word}")
    if nation is Nation.ENGLAND:
        if outcome.plan and outcome.category is None:
            _refuse("a child protection plan needs its category")
        if not outcome.plan and outcome.category is not None:
            _refuse("a category is recorded only with a child protection plan")
        if outcome.areas_of_concern:
            _refuse("areas of concern are recorded in Scotland; in England record the category")
        return
    if outcome.category is not None:
        _refuse("Scotland records areas of concern, not a category")
    found = stigmatising_terms(" ".join(outcome.areas_of_concern))
    if found:
        better = "; ".join(f"'{t}' (try '{SUGGESTIONS[t]}')" for t in found if t in SUGGESTIONS)
        _refuse(
            "the areas of concern go into her letter: please reword " + (better or ", ".join(found))
        )
    if outcome.plan and not outcome.areas_of_concern:
        _refuse("registration needs the areas of concern")


def review_key(kind: ConferenceKind) -> str:
    """The deadline that sets the next review after this kind of conference."""
    return "first_review" if kind is ConferenceKind.INITIAL else "next_review"


def _refuse(message: str) -> None:
    raise ApplicationError(message, type="Refused")
