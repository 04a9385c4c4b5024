"""An area's rules: every value that drives a clock, with the England and Scotland defaults.

Each value is a per-area setting (see docs/domain.md, "Rules that drive clocks"): areas start from
their nation's defaults and an area file may override any of them.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from forms.common import Contract, Nation

SpanUnit = Literal["working_days", "calendar_days", "weeks", "months"]

# Agency kinds, as recorded on organisations.
CHILDREN_SOCIAL_CARE = "children_social_care"
HEALTH_AGENCIES = ["maternity", "health_visiting", "gp", "perinatal_mental_health"]


class Span(Contract):
    """A length of time counted in one unit, such as 15 working days or 3 months."""

    amount: int = Field(ge=0)
    unit: SpanUnit


class Quorum(Contract):
    """Which agencies must attend a conference for its decisions to stand."""

    # Each entry lists agency kinds of which at least one must attend.
    required_agencies: list[list[str]]
    # Agency kinds that must also attend when the child is not yet born.
    required_for_unborn: list[str]
    # Agencies that must attend besides children's social care (required ones count).
    minimum_other_agencies: int = Field(ge=0)


class NeonatalObservation(Contract):
    """How many days a baby exposed to drugs is usually observed in hospital after birth."""

    opioid_or_polydrug_days: int = Field(ge=0)
    stimulants_only_days: int = Field(ge=0)


class ContactRhythm(Contract):
    """How often the named worker contacts a woman whose baby was removed."""

    early_interval_days: int = Field(ge=1)
    early_period_weeks: int = Field(ge=0)
    later_interval_days: int = Field(ge=1)


class ClosedDays(Contract):
    """An area's bank holidays (with substitute days) and local holidays, by date and name,
    for the years from `first_year` to `last_year`. Computed in an activity, where the
    `holidays` package may be loaded, so that workflow validators, where it may not, can
    refuse a meeting on a day the area's offices are closed."""

    first_year: int
    last_year: int
    days: dict[date, str] = Field(default_factory=dict)


class AreaRules(Contract):
    """The rules of one area (a local authority or council), used to compute its clocks."""

    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1)
    nation: Nation
    local_holidays: list[date] = []

    # Referral and strategy discussion (IRD in Scotland).
    strategy_discussion_after_concern: Span
    # Conferences (ICPC in England, CPPM in Scotland).
    initial_conference_after_strategy_discussion: Span
    prebirth_conference_gestation_weeks: int = Field(ge=0, le=42)
    prebirth_conference_after_concern: Span | None
    notice_before_meeting: Span
    reports_to_woman_before_initial: Span
    reports_to_woman_before_review: Span
    quorum: Quorum
    inquorate_redate_within: Span
    decision_letter_after_conference: Span
    minutes_after_conference: Span
    first_core_group_after_conference: Span
    first_review_after_conference: Span
    first_review_after_birth: Span | None
    next_review_after_review: Span
    # Birth and discharge.
    pre_discharge_meeting_required: bool
    neonatal_observation: NeonatalObservation
    booking_appointment_gestation_weeks: int | None = Field(ge=0, le=42)
    late_booking_within: Span | None
    # Pre-proceedings (PLO) in England; Scotland uses Children's Hearings instead.
    plo_pre_proceedings_within: Span | None
    plo_proceedings_within: Span | None
    # Advocates and notices.
    advocate_acceptance_hours: int = Field(ge=1)
    advocate_acceptance_after_removal_hours: int = Field(ge=1)
    meeting_reminder_days: list[int]
    minimum_notice_days: int = Field(ge=0)
    # No longer read (letters are timed by `letter_class` and the post's real days, in
    # rules/post.py); kept so that areas carried by running workflows still decode.
    letter_post: Span = Span(amount=2, unit="working_days")
    # How the area posts letters to her through Notify: "first" or "second" class.
    letter_class: Literal["first", "second"] = "second"
    # The versions of her letters the area offers when she asks: "easy_read", "large_print".
    letter_formats: list[Literal["easy_read", "large_print"]] = Field(default_factory=list)
    contact_request_response: Span
    # How soon an advocate should acknowledge a meeting notice before it escalates.
    notice_ack_within_hours: int = Field(default=24, ge=1)
    # The woman's own support, which outlives the baby's case.
    support_minimum_after_removal: Span
    contact_rhythm: ContactRhythm
    missed_contacts_before_escalation: int = Field(ge=1)
    heightened_risk_period: Span
    postnatal_support: Span

    # Pre-birth planning and the conference process (local procedure in both nations).
    prebirth_assessment_within: Span
    conference_invitees: list[str]
    # Agencies invited to take part in the strategy discussion (Scotland's Inter-agency
    # Referral Discussion: police and health, with social work).
    strategy_discussion_invitees: list[str] = Field(default_factory=list)
    clock_reminder_before: Span
    escalate_to_lead_after: Span
    busy_week_appointments: int = Field(ge=1)

    # Her own support after removal: how fast plan referrals must be answered.
    # Fields added after areas were first carried in workflow inputs have defaults, so that
    # running workflows keep decoding (see tests/workflows/test_replay.py).
    support_referral_response: Span = Span(amount=5, unit="working_days")
    urgent_referral_response: Span = Span(amount=1, unit="working_days")
    # A named worker for her own support after a removal: its own short clock.
    named_worker_within: Span = Span(amount=1, unit="working_days")
    # A duty still owed after its escalation chain has ended: the lead (and, for an advocate,
    # the advocacy manager) is told again at this interval until someone acts or a lead waives it.
    escalation_repeat_hours: int = Field(default=24, ge=1)
    # Her advocate (or, with none yet, the advocacy manager) acknowledges the urgent message
    # that her baby has been removed within this many clock hours, day or night, or it escalates.
    removal_acknowledgement_hours: int = Field(default=2, ge=1)
    # Areas whose advocacy pool is asked when nobody in this area's pool can take her case.
    neighbouring_advocacy_areas: list[str] = Field(default_factory=list)
    # Her view after a meeting is never asked within this many days of a removal.
    feedback_quiet_days_after_removal: int = Field(default=28, ge=0)
    # Caseload guides for the compliance figures: open cases per worker.
    caseload_guide_social_worker: int = Field(default=20, ge=1)
    caseload_guide_advocate: int = Field(default=15, ge=1)
    # After her record moves to another area, the sending team may still read it this long.
    transfer_read_access_days: int = Field(default=28, ge=0)
    # How long the receiving team has to answer a transfer before it is escalated.
    transfer_answer_within: Span = Span(amount=5, unit="working_days")
    # Meeting kinds (forms.meeting.MeetingKind values) that may be held on a weekend or a bank
    # or local holiday; the multi-agency meetings the area convenes (planning meetings,
    # conferences, core groups, pre-proceedings meetings) are refused on those days. By default
    # out-of-hours courts, a discharge that cannot wait and her own health appointments may.
    closed_day_meetings: list[str] = Field(
        default_factory=lambda: ["court_hearing", "pre_discharge", "appointment"]
    )
    # Filled in by the `load_area_rules` activity, never by an area file (None from older runs:
    # then only weekends are known to a workflow).
    closed_days: ClosedDays | None = None
    # Office hours on working days (UK time): "4 working hours" to accept an offer counts these.
    working_day_starts: time = time(9, 0)
    working_day_ends: time = time(17, 0)

    @model_validator(mode="after")
    def _office_hours_in_order(self) -> AreaRules:
        if self.working_day_starts >= self.working_day_ends:
            raise ValueError("the working day must start before it ends")
        return self

    @field_validator("meeting_reminder_days")
    @classmethod
    def _reminders_not_negative(cls, value: list[int]) -> list[int]:
        if any(days < 0 for days in value):
            raise ValueError("reminder days must be 0 or more")
        return sorted(set(value), reverse=True)


def _wd(amount: int) -> Span:
    return Span(amount=amount, unit="working_days")


def _days(amount: int) -> Span:
    return Span(amount=amount, unit="calendar_days")


def _weeks(amount: int) -> Span:
    return Span(amount=amount, unit="weeks")


def _months(amount: int) -> Span:
    return Span(amount=amount, unit="months")


def _shared_rules() -> dict[str, Any]:
    """Values the two nations share (support for the woman is a local choice in both)."""
    return {
        "decision_letter_after_conference": _wd(1),
        "first_review_after_conference": _months(3),
        "next_review_after_review": _months(6),
        "inquorate_redate_within": _wd(10),
        "neonatal_observation": NeonatalObservation(
            opioid_or_polydrug_days=5, stimulants_only_days=2
        ),
        "advocate_acceptance_hours": 4,
        "advocate_acceptance_after_removal_hours": 2,
        "meeting_reminder_days": [7, 3, 1, 0],
        "minimum_notice_days": 5,
        "contact_request_response": _wd(1),
        "support_minimum_after_removal": _months(12),
        "contact_rhythm": ContactRhythm(
            early_interval_days=7, early_period_weeks=6, later_interval_days=14
        ),
        "missed_contacts_before_escalation": 2,
        "heightened_risk_period": _months(12),
        "postnatal_support": _months(12),
        "prebirth_assessment_within": _wd(45),
        "conference_invitees": [
            CHILDREN_SOCIAL_CARE,
            "maternity",
            "drug_treatment",
            "health_visiting",
            "gp",
            "perinatal_mental_health",
            "police",
        ],
        "clock_reminder_before": _wd(2),
        "escalate_to_lead_after": _wd(2),
        "busy_week_appointments": 3,
    }


def england_rules(code: str = "england", name: str = "England") -> AreaRules:
    """England's defaults: mostly working days (Working Together and common local procedures)."""
    return AreaRules(
        code=code,
        name=name,
        nation=Nation.ENGLAND,
        strategy_discussion_after_concern=_wd(3),
        initial_conference_after_strategy_discussion=_wd(15),
        prebirth_conference_gestation_weeks=28,
        prebirth_conference_after_concern=None,
        notice_before_meeting=_wd(5),
        reports_to_woman_before_initial=_wd(3),
        reports_to_woman_before_review=_wd(5),
        quorum=Quorum(
            required_agencies=[[CHILDREN_SOCIAL_CARE]],
            required_for_unborn=["maternity"],
            minimum_other_agencies=2,
        ),
        minutes_after_conference=_wd(15),
        first_core_group_after_conference=_wd(10),
        first_review_after_birth=_wd(20),
        pre_discharge_meeting_required=False,
        booking_appointment_gestation_weeks=10,
        late_booking_within=_weeks(2),
        plo_pre_proceedings_within=_weeks(16),
        plo_proceedings_within=_weeks(26),
        **_shared_rules(),
    )


def scotland_rules(code: str = "scotland", name: str = "Scotland") -> AreaRules:
    """Scotland's defaults: mostly calendar days (National Guidance for Child Protection)."""
    return AreaRules(
        code=code,
        name=name,
        nation=Nation.SCOTLAND,
        strategy_discussion_after_concern=_wd(1),
        initial_conference_after_strategy_discussion=_days(28),
        prebirth_conference_gestation_weeks=28,
        prebirth_conference_after_concern=_days(28),
        notice_before_meeting=_days(5),
        reports_to_woman_before_initial=_wd(2),
        reports_to_woman_before_review=_wd(2),
        quorum=Quorum(
            required_agencies=[[CHILDREN_SOCIAL_CARE], list(HEALTH_AGENCIES), ["police"]],
            required_for_unborn=[],
            minimum_other_agencies=2,
        ),
        minutes_after_conference=_wd(10),
        first_core_group_after_conference=_wd(15),
        first_review_after_birth=None,
        pre_discharge_meeting_required=True,
        booking_appointment_gestation_weeks=None,
        late_booking_within=None,
        plo_pre_proceedings_within=None,
        plo_proceedings_within=None,
        strategy_discussion_invitees=["police", "maternity", "health_visiting"],
        **_shared_rules(),
    )


def nation_rules(nation: Nation, *, code: str, name: str) -> AreaRules:
    """The defaults for an area in the given nation."""
    factory = england_rules if nation is Nation.ENGLAND else scotland_rules
    return factory(code=code, name=name)
