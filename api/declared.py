"""Each command people send to a workflow, declared once: how it reaches the workflow (its Update,
its signal, or the workflow it starts), its contract in `forms/`, the record-policy action it is
checked and audited under, what it answers, and, for its page, how people name its fields, the
field a refusal is shown next to and what her page says when it is done. The JSON route and the
page both send through this one declaration (`api/commands.py` is the only module that reaches
Temporal, and only with a declaration)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import BaseModel

from forms.birth import (
    BabyState,
    CloseCase,
    MoveBaby,
    RecordBirth,
    RecordDischarge,
    RecordPlacement,
)
from forms.delivery import ContactRequested
from forms.intake import ReceiveReferral
from forms.meeting import CancelMeeting, MeetingHeld, MeetingReceipt, ScheduleMeeting
from forms.merging import AbsorbRecord, MergeInto
from forms.pathway import ReopenCase, ScreeningCommand, ScreeningOutcome, Stage
from forms.prebirth import AssignCoordinator, ChangeEdd, RecordAssessment, RecordStrategyDiscussion
from forms.referral import ReferralReceipt
from forms.transfer import MoveArea

# How a command reaches its workflow: as an Update (answered once the workflow has carried it
# out), a signal (answered by nothing), a start of the workflow type `name` with the contract
# as its input (joining the run already going), or, for her closed case, a new run of her
# pathway that starts from the contract and is confirmed by the Update `name`.
Via = Literal["update", "signal", "start", "reopen"]


@dataclass(frozen=True)
class Declared:
    """One command. `name` is the workflow Update (or signal, or workflow type) it becomes,
    `via` says which, `contract` its model in `forms/`, `action` the record-policy action,
    `answers` the Update's result type; `fields` names each field as the messages say it,
    `focus` is the field a refusal is shown next to, `done_as` what her page says was done."""

    name: str
    contract: type[BaseModel]
    action: str
    answers: Any = type(None)
    via: Via = "update"
    fields: Mapping[str, str] = field(default_factory=dict)
    focus: str = ""
    done_as: str = ""


# Her pathway: a referral for her (sent with the start of her pathway, joining it if it runs).

RECEIVE_REFERRAL = Declared(
    name="receive_referral",
    contract=ReceiveReferral,
    action="make_referral",
    answers=ReferralReceipt,
)

# Her pathway: screening and pre-birth planning.

SCREENING = Declared(
    name="record_screening",
    contract=ScreeningCommand,
    action="record_screening",
    answers=ScreeningOutcome,
    fields={"decision": "what you decided", "reason": "the reason for your decision"},
    focus="decision",
    done_as="screening",
)
STRATEGY = Declared(
    name="record_strategy_discussion",
    contract=RecordStrategyDiscussion,
    action="record_strategy",
    answers=Stage,
    fields={
        "held_on": "the date it was held",
        "concern_on": "the date the concern was raised",
        "outcome": "what was decided",
    },
    focus="held_on",
    done_as="strategy",
)
CHANGE_EDD = Declared(
    name="change_edd",
    contract=ChangeEdd,
    action="change_edd",
    fields={"edd": "the new expected date of delivery", "reason": "the reason for the change"},
    focus="edd",
    done_as="edd",
)
ASSIGN_COORDINATOR = Declared(
    name="assign_coordinator",
    contract=AssignCoordinator,
    action="assign_coordinator",
    fields={"user_id": "who will be her care co-ordinator"},
    focus="user_id",
    done_as="coordinator",
)
RECORD_ASSESSMENT = Declared(
    name="record_assessment",
    contract=RecordAssessment,
    action="record_assessment",
    fields={"completed_on": "the date the assessment was completed"},
    focus="completed_on",
    done_as="assessment",
)

# Her pathway: birth, her baby in hospital, closing the case.

RECORD_BIRTH = Declared(
    name="record_birth",
    contract=RecordBirth,
    action="record_birth",
    answers=list[BabyState],
    fields={
        "born_at": "the date and time of birth",
        "gestation_weeks": "the weeks of gestation (22 to 44)",
        "gestation_days": "the extra days of gestation (0 to 6)",
        "babies": "the number of babies (1 to 4)",
        "exposure": "what the baby was exposed to",
    },
    focus="born_at",
    done_as="birth",
)
RECORD_PLACEMENT = Declared(
    name="record_placement",
    contract=RecordPlacement,
    action="record_placement",
    answers=Stage,
    fields={
        "placement": "where the baby lives",
        "legal_basis": "the legal basis",
        "reason": "the reason",
    },
    focus="placement",
    done_as="placement",
)
MOVE_BABY = Declared(
    name="move_baby",
    contract=MoveBaby,
    action="move_baby",
    fields={"location": "where in hospital the baby is now"},
    focus="location",
    done_as="move",
)
RECORD_DISCHARGE = Declared(
    name="record_discharge",
    contract=RecordDischarge,
    action="record_discharge",
    fields={
        "baby": "the baby leaving hospital",
        "discharged_on": "the day the baby left hospital",
    },
    focus="baby",
    done_as="discharge",
)
CLOSE_CASE = Declared(
    name="close_case",
    contract=CloseCase,
    action="close_case",
    fields={"reason": "the reason for closing her baby's case"},
    focus="reason",
    done_as="closed",
)

# Her pathway: reopening her closed case (a new run of it, from the state it ended with).

REOPEN_CASE = Declared(
    name="confirm_reopen",
    contract=ReopenCase,
    action="reopen_case",
    answers=Stage,
    via="reopen",
    fields={"reason": "the reason for reopening her case"},
    focus="reason",
    done_as="reopened",
)

# Her pathway: a text from her asking for contact (it starts her response clock).

CONTACT_REQUESTED = Declared(
    name="contact_requested",
    contract=ContactRequested,
    action="receive_text",
    via="signal",
)

# Her pathway: two records that are one woman merged (the surviving pathway takes the merged
# one's clocks and meetings first, then the merged one ends).

ABSORB_RECORD = Declared(name="absorb_record", contract=AbsorbRecord, action="merge_records")
MERGE_INTO = Declared(name="merge_into", contract=MergeInto, action="merge_records")

# Her pathway: moved to another area's rules once the receiving team accepts her transfer.

MOVE_AREA = Declared(name="move_area", contract=MoveArea, action="answer_transfers")

# Her pathway: meetings.

MEETING_FIELDS = {
    "kind": "the kind of meeting",
    "details.starts_at": "the date and time it starts",
    "details.duration_minutes": "how long it lasts, in minutes (15 to 480)",
    "details.format": "how people will meet",
    "details.venue.name": "the venue",
    "details.venue.address": "the venue's address",
    "details.interpreter": "the language of the interpreter",
    "late_reason": "why it is later than the rules allow",
}
SCHEDULE_MEETING = Declared(
    name="schedule_meeting",
    contract=ScheduleMeeting,
    action="arrange_meetings",
    answers=MeetingReceipt,
    fields=MEETING_FIELDS,
    focus="details.starts_at",
    done_as="meeting",
)
RESCHEDULE_MEETING = replace(SCHEDULE_MEETING, done_as="rescheduled")
CANCEL_MEETING = Declared(
    name="cancel_meeting",
    contract=CancelMeeting,
    action="arrange_meetings",
    answers=MeetingReceipt,
    fields={"reason": "the reason for cancelling"},
    focus="reason",
    done_as="cancelled",
)
MEETING_HELD = Declared(
    name="record_meeting_held",
    contract=MeetingHeld,
    action="record_meeting_held",
    answers=MeetingReceipt,
    fields={"meeting_id": "the meeting"},
    focus="meeting_id",
    done_as="held",
)
