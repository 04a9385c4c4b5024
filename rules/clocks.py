"""The statutory clocks of a pre-birth pathway, computed from an area's rules.

Pure functions only (no I/O, no settings, no clock): safe inside a workflow. Every number and
unit comes from the `AreaRules`, so an area file can change any of them.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from forms.area import AreaRules, Span
from forms.clocks import Deadline, DeadlineKey
from forms.labels import label as words
from rules.calendar import WorkingCalendar, describe_span, gestation_date
from rules.wording import long_date

ConferenceKind = Literal["initial", "review"]

# A candidate date and the rule that gives it, in plain words.
_Candidate = tuple[date, str]


def compute_deadlines(
    area: AreaRules,
    *,
    edd: date,
    concern: date | None = None,
    strategy_discussion: date | None = None,
    conference: date | None = None,
    conference_kind: ConferenceKind = "initial",
    birth: date | None = None,
) -> list[Deadline]:
    """The deadlines that follow from the dates given, each key at most once."""
    if conference and strategy_discussion and conference < strategy_discussion:
        raise ValueError(
            f"The conference ({long_date(conference)}) cannot be before the strategy "
            f"discussion ({long_date(strategy_discussion)})."
        )
    calendar = WorkingCalendar(area)
    latest = _prebirth_conference_latest(area, calendar, edd=edd, concern=concern)
    deadlines = [latest]
    meeting, discussion = words("meeting", area.nation), words("discussion", area.nation)
    due_candidates = [(latest.due, f"the latest date for a pre-birth {meeting} ({latest.due})")]
    if strategy_discussion:
        span = area.initial_conference_after_strategy_discussion
        initial = _from(calendar, span, strategy_discussion, f"the {discussion}")
        deadlines.append(_deadline(DeadlineKey.INITIAL_CONFERENCE, initial))
        due_candidates.append((initial[0], f"the initial {meeting} date ({initial[0]})"))
    if birth is not None and conference is None:
        # Born before the initial conference: its gestation limit has gone; its own clock runs.
        due_candidates = [_postnatal_initial(area, calendar, birth, strategy_discussion)]
    deadlines.append(_earliest(DeadlineKey.CONFERENCE_DUE, due_candidates))
    if conference:
        deadlines += _after_conference(area, calendar, conference, conference_kind, birth)
    return deadlines


def _prebirth_conference_latest(
    area: AreaRules, calendar: WorkingCalendar, *, edd: date, concern: date | None
) -> Deadline:
    """By the gestation limit and, where the area sets one, within a time of the concern."""
    weeks = area.prebirth_conference_gestation_weeks
    by_gestation = gestation_date(edd, weeks)
    candidates = [
        (
            by_gestation,
            f"{weeks}+0 weeks' gestation ({(edd - by_gestation).days} days before "
            f"the estimated due date, {long_date(edd)})",
        )
    ]
    span = area.prebirth_conference_after_concern
    if span is not None and concern is not None:
        candidates.append(_from(calendar, span, concern, "the concern"))
    return _earliest(DeadlineKey.PREBIRTH_CONFERENCE_LATEST, candidates)


def _postnatal_initial(
    area: AreaRules, calendar: WorkingCalendar, birth: date, strategy_discussion: date | None
) -> _Candidate:
    """An initial conference after the birth: within its span of the strategy discussion, or,
    with none held yet, of the day one is due after the birth."""
    span = area.initial_conference_after_strategy_discussion
    discussion = words("discussion", area.nation)
    if strategy_discussion is not None:
        return _from(calendar, span, strategy_discussion, f"the {discussion}")
    discussion_due = calendar.shift(birth, area.strategy_discussion_after_concern)
    due = calendar.shift(discussion_due, span)
    return due, (
        f"{describe_span(span)} after a {discussion} due "
        f"{describe_span(area.strategy_discussion_after_concern)} after the birth "
        f"({long_date(birth)})"
    )


def _after_conference(
    area: AreaRules,
    calendar: WorkingCalendar,
    conference: date,
    kind: ConferenceKind,
    birth: date | None,
) -> list[Deadline]:
    """The deadlines that run from a conference date."""
    reports = (
        area.reports_to_woman_before_initial
        if kind == "initial"
        else area.reports_to_woman_before_review
    )
    label = f"the {kind} {words('meeting', area.nation)}"
    before: list[tuple[DeadlineKey, Span]] = [
        (DeadlineKey.NOTICE_TO_PARTICIPANTS, area.notice_before_meeting),
        (DeadlineKey.REPORTS_TO_WOMAN, reports),
    ]
    after: list[tuple[DeadlineKey, Span]] = [
        (DeadlineKey.DECISION_LETTER, area.decision_letter_after_conference),
        (DeadlineKey.MINUTES, area.minutes_after_conference),
    ]
    if kind == "initial":
        after.append((DeadlineKey.FIRST_CORE_GROUP, area.first_core_group_after_conference))
    deadlines = [
        _deadline(key, _from(calendar, span, conference, label, before=True))
        for key, span in before
    ]
    deadlines += [_deadline(key, _from(calendar, span, conference, label)) for key, span in after]
    if kind == "initial":
        deadlines.append(_first_review(area, calendar, conference, birth))
    else:
        review = _from(calendar, area.next_review_after_review, conference, label)
        deadlines.append(_deadline(DeadlineKey.NEXT_REVIEW, review))
    return deadlines


def _first_review(
    area: AreaRules, calendar: WorkingCalendar, conference: date, birth: date | None
) -> Deadline:
    """After the conference; where the area says so, sooner if the baby is born after it."""
    span = area.first_review_after_conference
    candidates = [_from(calendar, span, conference, f"the initial {words('meeting', area.nation)}")]
    after_birth = area.first_review_after_birth
    if birth is not None and after_birth is not None and birth > conference:
        candidates.append(_from(calendar, after_birth, birth, "the birth"))
    return _earliest(DeadlineKey.FIRST_REVIEW, candidates)


def _from(
    calendar: WorkingCalendar, span: Span, start: date, label: str, *, before: bool = False
) -> _Candidate:
    """The date `span` from `start`, with the rule in words."""
    due = calendar.shift(start, span, before=before)
    direction = "before" if before else "after"
    return due, f"{describe_span(span)} {direction} {label} ({long_date(start)})"


def _deadline(key: DeadlineKey, candidate: _Candidate) -> Deadline:
    return Deadline(key=key.value, due=candidate[0], basis=candidate[1])


def _earliest(key: DeadlineKey, candidates: list[_Candidate]) -> Deadline:
    """The earliest candidate; the basis names every rule that was compared."""
    due = min(day for day, _ in candidates)
    if len(candidates) == 1:
        return _deadline(key, candidates[0])
    rules = " and ".join(text for _, text in candidates)
    return Deadline(key=key.value, due=due, basis=f"the earlier of {rules}")
