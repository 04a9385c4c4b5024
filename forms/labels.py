"""What each deadline and step is called where she lives: England's words, or Scotland's
(Inter-agency Referral Discussion, child protection planning meeting, the record of the child
protection planning meeting rather than minutes)."""

from __future__ import annotations

from forms.common import Nation
from forms.meeting import MeetingKind

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
    "first_review": "Review conference held",
    "redate": "Conference re-dated and held",
    "assessment_only": "The strategy discussion decided on a pre-birth assessment, "
    "without a conference",
    "meeting": "conference",
    "discussion": "strategy discussion",
    # The conference's written record: England's minutes, Scotland's record of the meeting.
    "minutes_title": "Record the conference minutes",
    "minutes_action": "Record the minutes",
    "minutes_field": "The minutes",
    "minutes_named": "the minutes",
    "minutes_kept": "The minutes are kept on her record and shared. They are recorded once.",
    "minutes_done": "The conference minutes are recorded.",
    "strategy_done": "The strategy discussion is recorded.",
    "outcome_done": "The conference outcome is recorded.",
    "report_done": "Your report is submitted. It will be shared with her before the conference.",
    "minutes_event": "Conference minutes recorded and shared",
    "minutes_text": "Minutes",
    "minutes_document": "Minutes of the {name}",
    "minutes_once": "minutes are recorded once, after the decision",
    "core_group_title": "Record the first core group meeting",
    "core_group_named": "the date the core group met",
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
    "first_review": "Review child protection planning meeting held",
    "redate": "Child protection planning meeting re-dated and held",
    "assessment_only": "The Inter-agency Referral Discussion (IRD) decided on a pre-birth "
    "assessment, without a child protection planning meeting",
    "meeting": "child protection planning meeting",
    "discussion": "Inter-agency Referral Discussion (IRD)",
    "minutes_title": "Write the record of the child protection planning meeting",
    "minutes_action": "Write the record of the child protection planning meeting",
    "minutes_field": "The record of the child protection planning meeting",
    "minutes_named": "the record of the child protection planning meeting",
    "minutes_kept": "The record of the child protection planning meeting is kept on her record "
    "and shared. It is written once.",
    "minutes_done": "The record of the child protection planning meeting is kept.",
    "strategy_done": "The Inter-agency Referral Discussion (IRD) is recorded.",
    "outcome_done": "The child protection planning meeting's outcome is recorded.",
    "report_done": "Your report is submitted. It will be shared with her before the child "
    "protection planning meeting.",
    "minutes_event": "Record of the child protection planning meeting kept and shared",
    "minutes_text": "Record of the child protection planning meeting",
    "minutes_document": "Record of the {name}",
    "minutes_once": "the record of the child protection planning meeting is written once, "
    "after the decision",
}


def label(key: str, nation: Nation) -> str:
    """The words for `key` in her nation."""
    return (_SCOTLAND if nation is Nation.SCOTLAND else _ENGLAND)[key]


MEETINGS = {
    MeetingKind.PLANNING: "Pre-birth planning meeting",
    MeetingKind.CONFERENCE: "Initial child protection conference",
    MeetingKind.REVIEW_CONFERENCE: "Review child protection conference",
    MeetingKind.CORE_GROUP: "Core group meeting",
    MeetingKind.PRE_DISCHARGE: "Pre-discharge meeting",
    MeetingKind.PRE_PROCEEDINGS: "Pre-proceedings meeting",
    MeetingKind.COURT: "Court hearing",
    MeetingKind.APPOINTMENT: "Appointment",
}
SCOTTISH_MEETINGS = {
    MeetingKind.CONFERENCE: "Child protection planning meeting",
    MeetingKind.REVIEW_CONFERENCE: "Review child protection planning meeting",
}


def meeting_label(kind: MeetingKind, nation: Nation) -> str:
    """What the meeting is called where she lives."""
    if nation is Nation.SCOTLAND and kind in SCOTTISH_MEETINGS:
        return SCOTTISH_MEETINGS[kind]
    return MEETINGS[kind]
