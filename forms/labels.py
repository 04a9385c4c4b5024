"""What each deadline and step is called where she lives: England's words, or Scotland's
(Inter-agency Referral Discussion, child protection planning meeting, the meeting's record)."""

from __future__ import annotations

from forms.common import Nation

_ENGLAND: dict[str, str] = {
    "strategy_discussion": "Strategy discussion held",
    "strategy_discussion_event": "Strategy discussion held",
    "conference_due": "Pre-birth conference held",
    "conference_due_after_birth": "Initial conference held (after the birth)",
    "conference_to_be_held": "A pre-birth conference will be held",
    "notice_to_participants": "Notice of the conference sent",
    "reports_to_woman": "Agency reports shared with her",
    "decision_letter": "Decision letter sent to her",
    "minutes": "Conference minutes sent",
    "first_core_group": "First core group held",
    "redate": "Conference re-dated and held",
    "meeting": "conference",
    "discussion": "strategy discussion",
}

_SCOTLAND: dict[str, str] = {
    **_ENGLAND,
    "strategy_discussion": "Inter-agency referral discussion (IRD) held",
    "strategy_discussion_event": "Inter-agency referral discussion (IRD) held",
    "conference_due": "Pre-birth child protection planning meeting held",
    "conference_due_after_birth": "Child protection planning meeting held (after the birth)",
    "conference_to_be_held": "A pre-birth child protection planning meeting will be held",
    "notice_to_participants": "Notice of the child protection planning meeting sent",
    "minutes": "Record of the child protection planning meeting sent",
    "redate": "Child protection planning meeting re-dated and held",
    "meeting": "child protection planning meeting",
    "discussion": "Inter-agency Referral Discussion (IRD)",
}


def label(key: str, nation: Nation) -> str:
    """The words for `key` in her nation."""
    return (_SCOTLAND if nation is Nation.SCOTLAND else _ENGLAND)[key]
