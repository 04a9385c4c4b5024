"""The dated events of a scenario, one model per `do` kind, each with the defaults a case review
would assume (the area's social worker acts unless `by` names someone else)."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, ClassVar, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from forms.birth import BabyLocation, Exposure, LegalBasis, Placement
from forms.conference import Category
from forms.meeting import MeetingKind
from forms.pathway import ScreeningDecision
from forms.prebirth import StrategyOutcome
from forms.support import ContactKind, PlanItem
from waymark.demo import USERS
from waymark.demo_advocacy import ADVOCATES

KNOWN_USERS = sorted({u.username for u in USERS} | {a.username for a in ADVOCATES})
Text = Annotated[str, Field(min_length=1, max_length=2000)]


def known_user(value: str) -> str:
    """A demo account's username, or an error listing them."""
    if value not in KNOWN_USERS:
        raise ValueError(f"unknown user '{value}'; known users: {', '.join(KNOWN_USERS)}")
    return value


Username = Annotated[str, AfterValidator(known_user)]


class Step(BaseModel):
    """What every event has: its date, its UK time of day, and who acts (a demo username)."""

    model_config = ConfigDict(extra="forbid")
    role: ClassVar[str] = "social_worker"

    on: date
    at: time = time(10, 0)
    by: Username | None = None


class When(Step):
    """An event that sets a meeting's date: `meeting_on` or `days_later`, at `meeting_at`."""

    meeting_on: date | None = None
    days_later: int | None = Field(default=None, ge=0)
    meeting_at: time = time(10, 0)
    late_reason: str | None = None

    @model_validator(mode="after")
    def _one_date(self) -> When:
        if (self.meeting_on is None) == (self.days_later is None):
            raise ValueError("give the meeting's date as meeting_on or days_later (one of them)")
        return self


class Screening(Step):
    do: Literal["screening"]
    decision: ScreeningDecision
    reason: Text = "Concerns in the referral"


class StrategyDiscussion(Step):
    do: Literal["strategy_discussion"]
    outcome: StrategyOutcome = StrategyOutcome.CONFERENCE
    concern_on: date | None = None


class Assessment(Step):
    do: Literal["assessment"]


class Coordinator(Step):
    do: Literal["coordinator"]
    user: Username


class ScheduleMeeting(When):
    do: Literal["schedule_meeting"]
    kind: MeetingKind = MeetingKind.CONFERENCE
    name: str | None = None
    travel_support: bool = False


class Reschedule(When):
    do: Literal["reschedule"]
    meeting: str | None = None


class Cancel(Step):
    do: Literal["cancel"]
    meeting: str | None = None
    reason: Text = "The meeting cannot go ahead"


class MeetingHeld(Step):
    do: Literal["meeting_held"]
    meeting: str | None = None


class Report(Step):
    role: ClassVar[str] = "agency"
    do: Literal["report"]
    agency: str | None = None
    summary: Text = "Our agency's report for the conference"


class Outcome(Step):
    do: Literal["outcome"]
    plan: bool
    category: Category | None = None
    areas_of_concern: list[str] = Field(default_factory=list)
    attended: list[str] | None = None
    woman_attended: bool = True
    advocate_attended: bool = False


class Minutes(Step):
    do: Literal["minutes"]
    text: Text = "Minutes of the conference."


class CoreGroup(Step):
    do: Literal["core_group"]
    held_on: date | None = None


class EddChange(Step):
    do: Literal["edd_change"]
    edd: date
    reason: Text = "Dating scan"


class Birth(Step):
    role: ClassVar[str] = "midwife"
    do: Literal["birth"]
    gestation_weeks: int = Field(default=38, ge=22, le=44)
    babies: int = Field(default=1, ge=1, le=4)
    exposure: Exposure = Exposure.OPIOIDS_OR_POLYDRUG
    location: BabyLocation = BabyLocation.WITH_MOTHER


class Removal(Step):
    do: Literal["removal"]
    baby: int = Field(default=1, ge=1)
    legal_basis: LegalBasis | None = None
    reason: Text = "Order made by the family court"


class PlacementChange(Step):
    do: Literal["placement"]
    baby: int = Field(default=1, ge=1)
    placement: Placement
    legal_basis: LegalBasis | None = None
    reason: Text = "Placement decided with the family"


class Return(Step):
    do: Literal["return"]
    baby: int = Field(default=1, ge=1)
    placement: Placement = Placement.WITH_MOTHER
    reason: Text = "Returned home under a supervision plan"


class Discharge(Step):
    role: ClassVar[str] = "midwife"
    do: Literal["discharge"]
    baby: int = Field(default=1, ge=1)


class Contact(Step):
    do: Literal["contact"]
    kind: ContactKind = ContactKind.IN_PERSON
    contact_on: date | None = None


class PlanItemAnswered(Step):
    do: Literal["plan_item"]
    item: PlanItem
    outcome: Text = "Referral accepted"


class CloseEpisode(Step):
    role: ClassVar[str] = "lead"
    do: Literal["close_episode"]
    reason: Text = "Her support is handed over"
    handover_to: Text = "Her GP and the perinatal mental health team"
    second_reason: str | None = None


class CloseCase(Step):
    do: Literal["close_case"]
    reason: Text = "The baby's case is closed"


class ReopenCase(Step):
    do: Literal["reopen"]
    reason: Text = "New concerns for her and her baby"


class OfferAdvocate(Step):
    do: Literal["offer_advocate"]


class AdvocateAnswer(Step):
    role: ClassVar[str] = "advocate"
    do: Literal["advocate"]
    reply: Literal["accept", "decline"] = "accept"


class Wait(Step):
    do: Literal["wait"]


Event = Annotated[
    Screening
    | StrategyDiscussion
    | Assessment
    | Coordinator
    | ScheduleMeeting
    | Reschedule
    | Cancel
    | MeetingHeld
    | Report
    | Outcome
    | Minutes
    | CoreGroup
    | EddChange
    | Birth
    | Removal
    | PlacementChange
    | Return
    | Discharge
    | Contact
    | PlanItemAnswered
    | CloseEpisode
    | CloseCase
    | ReopenCase
    | OfferAdvocate
    | AdvocateAnswer
    | Wait,
    Field(discriminator="do"),
]
KINDS = sorted(
    get_args(cls.model_fields["do"].annotation)[0] for cls in get_args(get_args(Event)[0])
)
