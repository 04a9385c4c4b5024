"""A population run: N generated women over M months on ONE time-skipping server and one worker.

Virtual time moves a day at a time: each morning the day's events of every woman are sent (women
in parallel, each woman's events in order), advocates answer their offers, and at 23:00 the
promise to every woman whose baby is in care is checked with one query."""

from __future__ import annotations

import asyncio
import math
import re
import time as clock_time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import func, select
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from rules.escalation import SWEEP_AT
from rules.months import add_months
from rules.uktime import uk_date
from waymark.db.models import (
    AdvocateAllocation,
    AdvocateProfile,
    Baby,
    Conference,
    Notice,
    Organisation,
    Referral,
    SupportEpisode,
    Task,
    TimelineEvent,
    User,
    Woman,
)
from waymark.db.session import read_transaction, transaction
from waymark.simulate.checks import check_removed_women, own_check
from waymark.simulate.context import Context, SimClock, WomanRun, load_people
from waymark.simulate.environment import Sim, environment
from waymark.simulate.generate import WomanPlan, generate
from waymark.simulate.referral import refer
from waymark.simulate.runner import CHECK_AT, answer_offers, send

PARALLEL = 64
# The advocacy services are staffed for the population: one extra advocate per 40 women in
# each area, each taking 6 women (the demo's advocates stay, one of them with room for 3).
WOMEN_PER_EXTRA_ADVOCATE = 40
EXTRA_CAPACITY = 6


@dataclass
class PopulationResult:
    """Counts, refusals and the daily checks of a population run."""

    women: int
    months: int
    seed: int
    start: date
    days: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    tasks: dict[str, int] = field(default_factory=dict)
    refused: Counter[str] = field(default_factory=Counter)
    breaches: int = 0
    breach_women: set[str] = field(default_factory=set)
    breach_examples: list[dict[str, Any]] = field(default_factory=list)
    removed_woman_days: int = 0
    cross_check_breaches: int = 0
    # Days on which the register's verdict and the independent derivation differ, and how.
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    advocates_added: int = 0
    wall_seconds: float = 0.0


async def run_population(
    women: int,
    months: int,
    seed: int,
    start: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> PopulationResult:
    """Generate and run the population; check every removed woman every simulated day."""
    began = clock_time.monotonic()
    async with environment() as sim:
        today = uk_date(await sim.env.get_current_time())
        first = start or today + timedelta(days=7 - today.weekday())
        last = add_months(first, months) - timedelta(days=1)
        result = PopulationResult(women, months, seed, first)
        result.advocates_added = await _staff_advocacy(sim, women)
        sim.people = await load_people(sim.sessions)
        plans = generate(women, first, last, seed)
        clock = SimClock.for_start(first, today)
        ctx = Context(
            sim.env.client,
            sim.settings.temporal_task_queue,
            sim.people,
            clock,
            sessions=sim.sessions,
        )
        await _run_days(sim, ctx, plans, result, last, progress)
        result.counts, result.tasks = await _counts(sim)
    result.wall_seconds = round(clock_time.monotonic() - began, 1)
    return result


async def _staff_advocacy(sim: Sim, women: int) -> int:
    """Extra advocates in each area's advocacy service, in proportion to the population."""
    per_area = math.ceil(women / WOMEN_PER_EXTRA_ADVOCATE)
    async with transaction(sim.sessions) as session:
        services = list(
            await session.scalars(
                select(Organisation).where(Organisation.agency_kind == "advocacy")
            )
        )
        template = await session.scalar(select(User).where(User.role == "advocate"))
        assert template is not None
        for org in services:
            for number in range(1, per_area + 1):
                user = User(
                    username=f"sim.advocate.{org.area_code}.{number}",
                    display_name=f"Advocate {number} ({org.area_code.title()})",
                    email=f"advocate{number}.{org.area_code}@example.org",
                    role="advocate",
                    organisation_id=org.id,
                    password_hash=template.password_hash,
                )
                session.add(user)
                await session.flush()
                session.add(
                    AdvocateProfile(
                        user_id=user.id,
                        areas=[org.area_code],
                        languages=["en"],
                        capacity=EXTRA_CAPACITY,
                    )
                )
    return per_area * len(services)


async def _run_days(
    sim: Sim,
    ctx: Context,
    plans: list[WomanPlan],
    result: PopulationResult,
    last: date,
    progress: Callable[[str], None] | None,
) -> None:
    runs: dict[int, WomanRun] = {}
    by_woman: dict[Any, WomanRun] = {}
    plans_by_number = {p.number: p for p in plans}
    calendar: dict[date, list[WomanPlan]] = {}
    for plan in plans:
        for on in sorted({plan.start, *(e.on for e in plan.events)}):
            calendar.setdefault(on, []).append(plan)

    def decide(woman: WomanRun | None, attempt: int) -> str:
        plan = plans_by_number.get(woman.number) if woman else None
        return "decline" if plan and plan.declines_first_advocate and attempt == 0 else "accept"

    day = result.start
    while day <= last:
        await sim.advance_to(ctx.clock.virtual(day, SWEEP_AT))
        await sim.sweep()
        ctx.now = await sim.advance_to(ctx.clock.virtual(day, time(10, 0)))
        await _send_day(ctx, calendar.get(day, []), day, runs, result)
        by_woman.update({run.woman_id: run for run in runs.values()})
        await answer_offers(sim, ctx, decide, by_woman)
        await sim.advance_to(ctx.clock.virtual(day, CHECK_AT))
        await _check_day(sim, ctx, day, by_woman, result)
        result.days += 1
        if progress and (day.day == 1 or day == last):
            progress(f"{day}: {len(runs)} women referred, {result.breaches} breaches so far")
        day += timedelta(days=1)


async def _send_day(
    ctx: Context,
    due: list[WomanPlan],
    day: date,
    runs: dict[int, WomanRun],
    result: PopulationResult,
) -> None:
    """Each due woman's events for the day, in order; women in parallel."""
    gate = asyncio.Semaphore(PARALLEL)

    async def one(plan: WomanPlan) -> None:
        async with gate:
            if plan.start == day:
                try:
                    runs[plan.number] = await refer(ctx, plan.number, plan.spec, plan.start)
                except (RPCError, WorkflowUpdateFailedError) as error:
                    result.refused[_shape(f"referral refused: {error}")] += 1
            if plan.number not in runs:
                return
            for event in (e for e in plan.events if e.on == day):
                sent = await send(ctx, runs[plan.number], event)
                if sent is not None and sent.kind == "refused":
                    result.refused[_shape(sent.text)] += 1

    await asyncio.gather(*(one(plan) for plan in due))


def _shape(message: str) -> str:
    """A refusal without its dates and numbers, so that alike refusals count together."""
    return re.sub(r"\d+", "#", message)[:160]


async def _check_day(
    sim: Sim, ctx: Context, day: date, women: dict[Any, WomanRun], result: PopulationResult
) -> None:
    async with read_transaction(sim.sessions) as session:
        verdict = await check_removed_women(session, now=sim.now, today=ctx.clock.vdate(day))
        own = await own_check(session, now=sim.now, today=ctx.clock.vdate(day))
    result.removed_woman_days += verdict.checked
    result.breaches += len(verdict.breaches)
    result.cross_check_breaches += len(own.breaches)
    ours, theirs = verdict.by_woman(), own.by_woman()
    for woman_id in sorted(set(ours) | set(theirs)):
        if ours.get(woman_id) != theirs.get(woman_id):
            result.disagreements.append(
                {
                    "date": day.isoformat(),
                    "woman_id": str(woman_id),
                    "register": list(ours.get(woman_id, ())),
                    "derived": list(theirs.get(woman_id, ())),
                }
            )
    for breach in verdict.breaches:
        run = women.get(breach.woman_id)
        name = run.pseudonym if run else str(breach.woman_id)
        result.breach_women.add(name)
        if len(result.breach_examples) < 20:
            result.breach_examples.append(
                {
                    "date": day.isoformat(),
                    "woman": name,
                    "woman_id": str(breach.woman_id),
                    "missing": list(breach.missing),
                }
            )


def _count(model: Any, *where: Any) -> Any:
    return select(func.count()).select_from(model).where(*where)


def _events(kind: str) -> Any:
    return _count(TimelineEvent, TimelineEvent.kind == kind)


COUNTS: dict[str, Any] = {
    "referrals": _count(Referral),
    "conferences": _count(Conference),
    "conferences_decided": _count(Conference, Conference.decided_at.is_not(None)),
    "births": select(func.count(func.distinct(Baby.woman_id))),
    "removals": _events("baby_placed_in_care"),
    "returns": _events("baby_returned"),
    "episodes_open": _count(SupportEpisode, SupportEpisode.status == "active"),
    "episodes_closed": _count(SupportEpisode, SupportEpisode.status == "closed"),
    "contacts": _events("support_contact"),
    "missed_contacts": _events("contact_missed"),
    "notices": _count(Notice),
    "advocates_accepted": _count(AdvocateAllocation, AdvocateAllocation.status == "accepted"),
    "advocate_declines": _count(AdvocateAllocation, AdvocateAllocation.status == "declined"),
    "women_recorded": _count(Woman),
}


async def _counts(sim: Sim) -> tuple[dict[str, int], dict[str, int]]:
    """What the population's read model holds at the end."""
    async with read_transaction(sim.sessions) as session:
        counts = {name: int(await session.scalar(query) or 0) for name, query in COUNTS.items()}
        by_kind = await session.execute(
            select(Task.kind, func.count()).group_by(Task.kind).order_by(Task.kind)
        )
        tasks = {str(kind): int(n) for kind, n in by_kind.all()}
    counts["escalations"] = sum(n for kind, n in tasks.items() if "escalat" in kind)
    counts["outreach"] = tasks.get("assertive_outreach", 0)
    return counts, tasks
