"""The event loop: sending a scenario's events to the real workflows when their dates come round
(in the world `environment.py` builds), advocates answering offers, and the daily checks.

Virtual time only moves forward, one simulated day at a time (so what timers do is dated by the
day it happened); each event is sent when its date and time come round."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from temporalio.client import (
    WorkflowExecutionStatus,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
)
from temporalio.service import RPCError

from rules.uktime import uk_date, uk_wall_to_utc
from services.closed_case import closed_command
from waymark.db.models import AdvocateAllocation
from waymark.db.session import read_transaction
from waymark.errors import DomainError
from waymark.simulate.checks import Breach, Verdict, check_removed_women, own_check
from waymark.simulate.commands import COMMANDS, UPDATES, Refused, answer_offer
from waymark.simulate.context import Context, SimClock, WomanRun
from waymark.simulate.environment import Sim, environment
from waymark.simulate.events import Event
from waymark.simulate.observe import Entry, Observer
from waymark.simulate.referral import refer
from waymark.simulate.scenario import Scenario

__all__ = ["Sim", "SimResult", "answer_offers", "environment", "replay", "run_scenario", "send"]

CHECK_AT = time(23, 0)
# Looks at the read model each morning too, after the 09:00 reminders and escalations.
LOOK_AT = time(9, 30)
Decide = Callable[[WomanRun | None, int], str]


async def send(ctx: Context, woman: WomanRun, event: Event) -> Entry | None:
    """Send one event's command; a refusal is an outcome to show, not a crash."""
    try:
        text = await COMMANDS[event.do](ctx, woman, event)
    except WorkflowUpdateFailedError as error:
        return Entry(
            ctx.now, "refused", f"{event.do} refused: {error.cause or error}", {"do": event.do}
        )
    except RPCError as error:
        why = await _closed(woman, event.do) or error.message
        return Entry(ctx.now, "refused", f"{event.do} refused: {why}", {"do": event.do})
    except WorkflowQueryFailedError as error:
        return Entry(ctx.now, "refused", f"{event.do} refused: {error}", {"do": event.do})
    except (Refused, DomainError) as error:
        return Entry(ctx.now, "refused", f"{event.do} refused: {error}", {"do": event.do})
    return Entry(ctx.now, "command", text, {"do": event.do}) if text else None


async def _closed(woman: WomanRun, do: str) -> str | None:
    """Why a command could not reach her pathway: it has finished, so her case is closed
    (said as the API says it, in her nation's words)."""
    try:
        status = (await woman.handle.describe()).status
    except RPCError:
        return None
    if status is None or status is WorkflowExecutionStatus.RUNNING:
        return None
    return str(closed_command(UPDATES.get(do), woman.area.nation))


async def answer_offers(
    sim: Sim, ctx: Context, decide: Decide, women: dict[object, WomanRun]
) -> list[Entry]:
    """Advocates answer the offers waiting for them (as decided), until none is waiting."""
    entries: list[Entry] = []
    for attempt in range(6):
        ctx.now = await sim.advance_to(sim.now + timedelta(minutes=2))
        async with read_transaction(sim.sessions) as session:
            waiting = list(
                await session.scalars(
                    select(AdvocateAllocation.woman_id).where(
                        AdvocateAllocation.status == "offered",
                        AdvocateAllocation.ended_at.is_(None),
                    )
                )
            )
        if not waiting:
            return entries
        for woman_id in waiting:
            reply = decide(women.get(woman_id), attempt)
            try:
                text = await answer_offer(ctx, woman_id, reply)
            except (WorkflowUpdateFailedError, WorkflowQueryFailedError, Refused, RPCError):
                continue  # the offer closed meanwhile; the next round sees what followed
            entries.append(Entry(ctx.now, "command", text, {"do": "advocate"}))
    return entries


def day_end(moment: datetime) -> datetime:
    """The day's check time (23:00 UK) on the UK day of `moment`."""
    return uk_wall_to_utc(uk_date(moment), CHECK_AT)


@dataclass
class SimResult:
    """What a scenario run produced: her timeline, the daily checks and the expectations."""

    scenario: Scenario
    woman: WomanRun
    clock: SimClock
    entries: list[Entry] = field(default_factory=list)
    days_checked: int = 0
    days_in_scope: int = 0
    breaches: list[tuple[date, Breach]] = field(default_factory=list)
    cross_check: list[tuple[date, Breach]] = field(default_factory=list)
    final: Verdict | None = None
    expectations: list[tuple[str, bool]] = field(default_factory=list)


async def run_scenario(scenario: Scenario) -> SimResult:
    """Run one scenario in a fresh environment."""
    async with environment() as sim:
        return await replay(sim, scenario)


async def replay(sim: Sim, scenario: Scenario) -> SimResult:
    """Refer her on the start date, send each event on its day, and watch what follows."""
    clock = SimClock.for_start(scenario.start, uk_date(await sim.env.get_current_time()))
    ctx = Context(
        sim.env.client, sim.settings.temporal_task_queue, sim.people, clock, sessions=sim.sessions
    )
    ctx.now = await sim.advance_to(clock.virtual(scenario.start, time(9, 0)))
    woman = await refer(ctx, 1, scenario.woman, scenario.start)
    result = SimResult(scenario, woman, clock)
    result.entries.append(
        Entry(
            ctx.now,
            "command",
            f"referral sent for {woman.pseudonym} (EDD {scenario.woman.due_date(scenario.start)})",
            {"do": "referral"},
        )
    )
    watch = Observer(sim.sessions, sim.people, clock, woman.woman_id, woman.pseudonym, ctx.now)
    accept: Decide = lambda _woman, _attempt: "accept"  # noqa: E731
    for event in scenario.events:
        await _days_until(sim, watch, result, clock.virtual(event.on, event.at))
        ctx.now = sim.now
        sent = await send(ctx, woman, event)
        result.entries += [sent] if sent else []
        if scenario.advocates == "accept":
            result.entries += await answer_offers(sim, ctx, accept, {woman.woman_id: woman})
        result.entries += await watch.collect(sim.now)
    await _days_until(sim, watch, result, clock.virtual(scenario.last_day, CHECK_AT))
    await sim.deliver()
    result.entries += await watch.notices()
    result.entries.sort(key=lambda entry: entry.at)
    result.expectations = [(line, _found(line, result.entries)) for line in scenario.expect]
    return result


async def _days_until(sim: Sim, watch: Observer, result: SimResult, target: datetime) -> None:
    """Advance to `target` a day at a time, with delivery, observation and the daily check."""
    while sim.now < target:
        checkpoint = day_end(sim.now)
        if checkpoint <= sim.now:
            checkpoint = day_end(sim.now + timedelta(days=1))
        morning = uk_wall_to_utc(uk_date(checkpoint), LOOK_AT)
        stop = min(target, morning if sim.now < morning else checkpoint)
        await sim.advance_to(stop)
        await sim.deliver()
        result.entries += await watch.collect(sim.now)
        if stop == checkpoint:
            await _check(sim, result)


async def _check(sim: Sim, result: SimResult) -> None:
    today, her = uk_date(sim.now), result.woman.woman_id
    async with read_transaction(sim.sessions) as session:
        verdict = await check_removed_women(session, now=sim.now, today=today)
        own = await own_check(session, now=sim.now, today=today)
    result.days_checked += 1
    result.days_in_scope += her in verdict.covered
    result.final = verdict
    day = result.clock.scenario_date(sim.now)
    result.breaches += [(day, b) for b in verdict.breaches if b.woman_id == her]
    result.cross_check += [(day, b) for b in own.breaches if b.woman_id == her]


def _found(expected: str, entries: list[Entry]) -> bool:
    return any(expected in e.text or expected in f"{e.kind}: {e.text}" for e in entries)
