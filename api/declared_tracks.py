"""The commands people send to the workflows beside her pathway, each declared once as
`api/declared.py` says: a conference, her support episode, her advocate's allocation, and her
deadlines' clocks (on whichever workflow owns the clock)."""

from __future__ import annotations

from dataclasses import replace

from api.declared import Declared
from forms.advocacy import (
    WORKFLOW_NAME,
    AdvocateUnable,
    AllocationInput,
    AllocationOutcome,
    AllocationStatus,
    RemovalHappened,
    RespondCommand,
    Withdraw,
)
from forms.clock import Clock, ExtendClock, PauseClock
from forms.conference import (
    ConferenceOutcome,
    ConferencePhase,
    RecordCoreGroup,
    RecordMinutes,
    SubmitReport,
)
from forms.support import CloseEpisode, NameWorker, RecordContact, RecordPlanItem, SupportState

# A conference (its own workflow).

RECORD_OUTCOME = Declared(
    name="record_outcome",
    contract=ConferenceOutcome,
    action="record_outcome",
    answers=ConferencePhase,
    fields={
        "attended_agencies": "the agencies that attended",
        "woman_attended": "whether she attended",
        "advocate_attended": "whether her advocate attended",
        "plan": "whether a plan was made",
        "category": "the category of the plan",
        "areas_of_concern": "the areas of concern",
    },
    focus="attended_agencies",
    done_as="outcome",
)
SUBMIT_REPORT = Declared(
    name="submit_report",
    contract=SubmitReport,
    action="submit_report",
    fields={"summary": "your report"},
    focus="summary",
    done_as="report",
)
# Their fields' names are forms/labels.py keys, worded for her nation (Scotland keeps a
# record, not minutes).
RECORD_MINUTES = Declared(
    name="record_minutes",
    contract=RecordMinutes,
    action="record_minutes",
    fields={"text": "minutes_named"},
    focus="text",
    done_as="minutes",
)
RECORD_CORE_GROUP = Declared(
    name="record_core_group",
    contract=RecordCoreGroup,
    action="record_core_group",
    fields={"held_on": "core_group_named"},
    focus="held_on",
    done_as="core_group",
)

# Her support episode (its own workflow).

RECORD_CONTACT = Declared(
    name="record_contact",
    contract=RecordContact,
    action="record_contact",
    answers=SupportState,
    fields={
        "on": "the date of the contact",
        "kind": "how you were in contact with her",
        "note": "the note",
    },
    focus="on",
    done_as="contact",
)
RECORD_PLAN_ITEM = Declared(
    name="record_plan_item",
    contract=RecordPlanItem,
    action="record_plan_item",
    fields={"item": "what referral was answered", "outcome": "what the answer was"},
    focus="item",
    done_as="plan",
)
NAME_WORKER = Declared(
    name="name_worker",
    contract=NameWorker,
    action="name_worker",
    answers=SupportState,
    fields={"worker_id": "who is to be her named worker"},
    focus="worker_id",
    done_as="named",
)
CLOSE_EPISODE = Declared(
    name="close_episode",
    contract=CloseEpisode,
    action="close_support",
    answers=SupportState,
)

# Her advocate's allocation (its own workflow).

ALLOCATE_ADVOCATE = Declared(
    name=WORKFLOW_NAME,
    contract=AllocationInput,
    action="record_advocacy_response",
    via="start",
)
# A conflict of interest with her allocated advocate: her allocation starts again.
REALLOCATE_ADVOCATE = replace(ALLOCATE_ADVOCATE, action="record_conflicts")
# Her answer came after her baby's removal: the running allocation is made urgent.
REMOVAL_HAPPENED = Declared(
    name="removal",
    contract=RemovalHappened,
    action="record_advocacy_response",
    via="signal",
)
# A conflict of interest: the running allocation stops considering (or waiting for) him.
ADVOCATE_UNABLE = Declared(
    name="advocate_unable",
    contract=AdvocateUnable,
    action="record_conflicts",
    via="signal",
)

RESPOND_TO_OFFER = Declared(
    name="respond",
    contract=RespondCommand,
    action="answer_offer",
    answers=AllocationStatus,
)
WITHDRAW_ALLOCATION = Declared(
    name="withdraw",
    contract=Withdraw,
    action="record_advocacy_response",
    answers=AllocationOutcome,
)

# Her deadlines' clocks (on whichever workflow owns the clock).

CLOCK_FIELDS = {
    "action": "what you want to do with this deadline",
    "new_due": "the new due date",
    "reason": "the reason",
}
PAUSE_CLOCK = Declared(
    name="pause_clock",
    contract=PauseClock,
    action="change_deadlines",
    answers=Clock,
    fields=CLOCK_FIELDS,
    focus="action",
    done_as="deadline",
)
RESUME_CLOCK = Declared(
    name="resume_clock",
    contract=PauseClock,
    action="change_deadlines",
    answers=Clock,
    fields=CLOCK_FIELDS,
    focus="action",
    done_as="deadline",
)
EXTEND_CLOCK = Declared(
    name="extend_clock",
    contract=ExtendClock,
    action="change_deadlines",
    answers=Clock,
    fields=CLOCK_FIELDS,
    focus="new_due",
    done_as="deadline",
)
# A clock's commands by the word for them in the form and the API.
CLOCK_COMMANDS = {"pause": PAUSE_CLOCK, "resume": RESUME_CLOCK, "extend": EXTEND_CLOCK}
