"""Random but seeded women for a population run: referral stages, conferences (some moved),
EDD changes, early births, removals, returns, contact kept up, patchy or not at all.

Each woman has her own random stream (seed and number), so a woman's plan does not change when
the population around her grows."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import cache

from forms.pathway import ScreeningDecision
from forms.prebirth import StrategyOutcome
from forms.support import ContactKind, PlanItem
from rules.calendar import WorkingCalendar, first_open_day
from waymark.areas import get_area
from waymark.simulate import events as ev
from waymark.simulate.events import Event
from waymark.simulate.scenario import WomanSpec

DECISIONS = {
    ScreeningDecision.NO_FURTHER_ACTION: 0.10,
    ScreeningDecision.EARLY_HELP: 0.20,
    ScreeningDecision.PRE_BIRTH_ASSESSMENT: 0.25,
    ScreeningDecision.STRATEGY_DISCUSSION: 0.45,
}
# Chance of removal at birth by how her pathway went (a plan made is the strongest signal).
REMOVAL = {"plan": 0.45, "conference": 0.20, "pre_birth_assessment": 0.15, "other": 0.04}
# Given with every generated conference date; the pathway asks for it only when the date is late.
LATE = "The earliest date all the agencies could attend"
ENGAGEMENT = {"engaged": 0.70, "patchy": 0.20, "none": 0.10}


@dataclass
class WomanPlan:
    """One generated woman: her referral and her events, and how she engages after removal."""

    number: int
    start: date
    spec: WomanSpec
    events: list[Event] = field(default_factory=list)
    engagement: str = "engaged"
    declines_first_advocate: bool = False


@cache
def demo_calendars() -> tuple[WorkingCalendar, ...]:
    """The working days of both demo areas (England's and Scotland's bank holidays differ)."""
    return tuple(WorkingCalendar(get_area(code)) for code in ("northmoor", "glenbrae"))


def open_day(day: date) -> date:
    """The day, or the next one on which both demo areas hold meetings."""
    return first_open_day(day, demo_calendars())


def pick(rng: random.Random, weights: dict[str, float] | dict[ScreeningDecision, float]) -> str:
    """One key of `weights`, chosen with those weights."""
    choices, chances = zip(*weights.items(), strict=True)
    return str(rng.choices(choices, weights=chances)[0])


def generate(count: int, start: date, last: date, seed: int) -> list[WomanPlan]:
    """`count` women referred between `start` and two months before `last`."""
    return [
        plan_woman(number, start, last, random.Random(f"{seed}:{number}"))
        for number in range(1, count + 1)
    ]


def plan_woman(number: int, start: date, last: date, rng: random.Random) -> WomanPlan:
    """Her referral and pre-birth journey, then her birth and what follows."""
    window = max(1, (last - start).days - 60)
    referred = start + timedelta(days=rng.randrange(window))
    # One in four is referred late in pregnancy (late booking happens, and matters).
    weeks = rng.randint(8, 30) if rng.random() < 0.75 else rng.randint(31, 37)
    edd = referred + timedelta(days=280 - weeks * 7)
    area = "northmoor" if rng.random() < 0.6 else "glenbrae"
    spec = WomanSpec(name=f"Woman {number}", area=area, edd=edd)
    plan = WomanPlan(
        number,
        referred,
        spec,
        engagement=pick(rng, ENGAGEMENT),
        declines_first_advocate=rng.random() < 0.15,
    )
    decision = ScreeningDecision(pick(rng, DECISIONS))
    day = referred + timedelta(days=rng.randint(1, 3))
    plan.events.append(ev.Screening(do="screening", on=day, decision=decision))
    if decision is ScreeningDecision.NO_FURTHER_ACTION:
        return plan  # her pathway closes at screening: nothing more is sent for her
    path, day, edd = _prebirth(plan, rng, decision, day, edd)
    born = _birth_day(rng, edd, day)
    if born <= last:
        _after_birth(plan, rng, path, born, last)
    plan.events = sorted((e for e in plan.events if e.on <= last), key=lambda e: (e.on, e.at))
    return plan


def _prebirth(
    plan: WomanPlan, rng: random.Random, decision: ScreeningDecision, day: date, edd: date
) -> tuple[str, date, date]:
    """Strategy discussion and conference, or an assessment; perhaps an EDD change."""
    path = decision.value if decision is ScreeningDecision.PRE_BIRTH_ASSESSMENT else "other"
    if decision is ScreeningDecision.STRATEGY_DISCUSSION:
        day += timedelta(days=rng.randint(1, 2))
        confer = rng.random() < 0.85
        outcome = StrategyOutcome.CONFERENCE if confer else StrategyOutcome.ASSESSMENT_ONLY
        plan.events.append(ev.StrategyDiscussion(do="strategy_discussion", on=day, outcome=outcome))
        path = "conference" if confer else "pre_birth_assessment"
        if confer and open_day(day + timedelta(days=14)) < edd - timedelta(days=21):
            path, day = _conference(plan, rng, day)
    if rng.random() < 0.15 and day + timedelta(days=10) < edd - timedelta(days=30):
        day += timedelta(days=rng.randint(1, 10))
        edd += timedelta(days=rng.choice([-1, 1]) * rng.randint(7, 21))
        plan.events.append(ev.EddChange(do="edd_change", on=day, edd=edd))
    return path, day, edd


def _conference(plan: WomanPlan, rng: random.Random, day: date) -> tuple[str, date]:
    """Scheduled, sometimes moved, reports in (mostly), decided, minuted, core group."""
    booked = day + timedelta(days=rng.randint(1, 2))
    meeting = open_day(booked + timedelta(days=rng.randint(9, 12)))
    plan.events.append(
        ev.ScheduleMeeting(
            do="schedule_meeting",
            on=booked,
            meeting_on=meeting,
            name="conference",
            late_reason=LATE,
        )
    )
    if rng.random() < 0.15:
        meeting = open_day(meeting + timedelta(days=rng.randint(1, 3)))
        plan.events.append(
            ev.Reschedule(
                do="reschedule",
                on=booked + timedelta(days=2),
                meeting_on=meeting,
                meeting="conference",
                late_reason=LATE,
            )
        )
    if rng.random() < 0.9:
        plan.events.append(ev.Report(do="report", on=meeting - timedelta(days=6)))
    decided = rng.random() < 0.7
    plan.events.append(ev.Outcome(do="outcome", on=meeting, at=time(14, 0), plan=decided))
    plan.events.append(ev.Minutes(do="minutes", on=meeting + timedelta(days=rng.randint(3, 9))))
    if decided:
        plan.events.append(
            ev.CoreGroup(do="core_group", on=meeting + timedelta(days=rng.randint(4, 9)))
        )
    plan.events.sort(key=lambda e: (e.on, e.at))
    return ("plan" if decided else "conference"), max(e.on for e in plan.events)


def _birth_day(rng: random.Random, edd: date, after: date) -> date:
    """Around her EDD; one in ten early (3 to 6 weeks); never before her pathway's events."""
    if rng.random() < 0.10:
        born = edd - timedelta(days=rng.randint(21, 42))
    else:
        born = edd + timedelta(days=rng.randint(-10, 7))
    return max(born, after + timedelta(days=1))


def _after_birth(plan: WomanPlan, rng: random.Random, path: str, born: date, last: date) -> None:
    plan.events.append(ev.Birth(do="birth", on=born, at=time(11, 0)))
    if rng.random() >= REMOVAL[path]:
        return
    removed = born + timedelta(days=rng.randint(1, 7))
    plan.events.append(ev.Removal(do="removal", on=removed))
    for item in PlanItem:
        if rng.random() < 0.75:
            plan.events.append(
                ev.PlanItemAnswered(
                    do="plan_item", on=removed + timedelta(days=rng.randint(1, 10)), item=item
                )
            )
    _contacts(plan, rng, removed, last)
    if rng.random() < 0.15:
        back = removed + timedelta(days=rng.randint(30, 150))
        plan.events.append(ev.Return(do="return", on=back))
    closing = removed + timedelta(days=rng.randint(370, 430))
    if rng.random() < 0.10 and closing <= last:
        # Signed off: her worker's contacts stop with the episode (drawn first, dropped now,
        # so that every other draw, and so every other woman's plan, stays the same).
        plan.events = [e for e in plan.events if not (e.do == "contact" and e.on >= closing)]
        plan.events.append(ev.CloseEpisode(do="close_episode", on=closing))


def _contacts(plan: WomanPlan, rng: random.Random, removed: date, last: date) -> None:
    """Her named worker's contacts: regular, patchy (half happen) or none at all."""
    if plan.engagement == "none":
        return
    day, early_until = removed, removed + timedelta(weeks=6)
    while day <= last:
        day += timedelta(days=rng.randint(4, 6) if day < early_until else rng.randint(9, 13))
        if plan.engagement == "engaged" or rng.random() < 0.5:
            kind = rng.choice(list(ContactKind))
            plan.events.append(ev.Contact(do="contact", on=day, kind=kind))
