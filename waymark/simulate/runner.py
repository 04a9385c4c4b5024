"""Running a scenario on the real workflows and activities: a time-skipping Temporal server, a
temporary migrated SQLite database with the demo people, and one worker, all in this process.

Virtual time only moves forward, one simulated day at a time (so what timers do is dated by the
day it happened); each event is sent when its date and time come round."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from activities.delivery import DeliveryActivities
from forms.delivery import DispatchRequest
from waymark.db.migrate import upgrade
from waymark.db.models import AdvocateAllocation, Organisation, User
from waymark.db.session import make_engine, make_sessionmaker, transaction
from waymark.demo import seed_demo_data
from waymark.settings import Settings, async_url
from waymark.simulate.checks import Breach, Verdict, check_removed_women
from waymark.simulate.commands import COMMANDS, Refused, answer_offer
from waymark.simulate.context import Context, People, SimClock, WomanRun, load_people
from waymark.simulate.events import Event
from waymark.simulate.observe import Entry, Observer
from waymark.simulate.referral import refer
from waymark.simulate.scenario import Scenario
from waymark.temporal.binaries import find_binary
from waymark.temporal.codec import EncryptionCodec, make_data_converter
from waymark.temporal.worker import build_worker
from workflows import search
from workflows.rules.uktime import uk_date, uk_wall_to_utc

TASK_QUEUE = "waymark-simulation"
CHECK_AT = time(23, 0)
# Looks at the read model each morning too, after the 09:00 reminders and escalations.
LOOK_AT = time(9, 30)
Decide = Callable[[WomanRun | None, int], str]


@dataclass
class Sim:
    """The running simulation: its server, database, settings and the people in it."""

    env: WorkflowEnvironment
    sessions: async_sessionmaker[AsyncSession]
    settings: Settings
    people: People
    now: datetime = field(default_factory=lambda: datetime.min)

    async def advance_to(self, moment: datetime) -> datetime:
        """Move virtual time forward to `moment` (never back); timers due by then fire."""
        current = await self.env.get_current_time()
        if moment > current:
            await self.env.sleep(moment - current)
        self.now = await self.env.get_current_time()
        return self.now

    async def deliver(self) -> None:
        """The outbox's real delivery step, on virtual time: channels chosen, files written."""
        delivery = DeliveryActivities(self.sessions, self.settings, clock=lambda: self.now)
        for _ in range(20):
            done = await delivery.deliver_due_notices(DispatchRequest(batch_size=200))
            if not (done.deliveries_created or done.sent or done.failed):
                return


@asynccontextmanager
async def environment(task_queue: str = TASK_QUEUE) -> AsyncIterator[Sim]:
    """A fresh server, database and worker; everything is thrown away afterwards."""
    with tempfile.TemporaryDirectory(prefix="waymark-sim-") as folder:
        url = f"sqlite:///{Path(folder) / 'simulation.db'}"
        await asyncio.to_thread(upgrade, url)
        await seed_demo_data(async_url(url))
        engine = make_engine(async_url(url))
        sessions = make_sessionmaker(engine)
        await _give_addresses(sessions)
        settings = Settings(environment="test", state_dir=Path(folder) / "state",
                            database_url=url, temporal_task_queue=task_queue, delivery="file")
        codec = EncryptionCodec({"simulation": os.urandom(32)}, "simulation")
        env = await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=find_binary("temporal-test-server"),
            data_converter=make_data_converter(codec),
        )
        try:
            await _register_search_attributes(env)
            async with build_worker(env.client, sessions, task_queue, settings):
                yield Sim(env, sessions, settings, await load_people(sessions))
        finally:
            await env.shutdown()
            await engine.dispose()


async def _register_search_attributes(env: WorkflowEnvironment) -> None:
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=env.client.namespace,
            search_attributes={
                key.name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD for key in search.ALL
            },
        )
    )


async def _give_addresses(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Demo accounts and agencies get example.org addresses, so notices can choose email."""
    async with transaction(sessions) as session:
        for model in (User, Organisation):
            code = model.username if model is User else model.code  # type: ignore[attr-defined]
            await session.execute(
                update(model).where(model.email.is_(None)).values(email=code + "@example.org")
            )


async def send(ctx: Context, woman: WomanRun, event: Event) -> Entry | None:
    """Send one event's command; a refusal is an outcome to show, not a crash."""
    try:
        text = await COMMANDS[event.do](ctx, woman, event)
    except WorkflowUpdateFailedError as error:
        return Entry(ctx.now, "refused", f"{event.do} refused: {error.cause or error}",
                     {"do": event.do})
    except (Refused, RPCError) as error:
        return Entry(ctx.now, "refused", f"{event.do} refused: {error}", {"do": event.do})
    return Entry(ctx.now, "command", text, {"do": event.do}) if text else None


async def answer_offers(sim: Sim, ctx: Context, decide: Decide,
                        women: dict[object, WomanRun]) -> list[Entry]:
    """Advocates answer the offers waiting for them (as decided), until none is waiting."""
    entries: list[Entry] = []
    for attempt in range(6):
        ctx.now = await sim.advance_to(sim.now + timedelta(minutes=2))
        async with sim.sessions() as session:
            waiting = list(await session.scalars(
                select(AdvocateAllocation.woman_id).where(
                    AdvocateAllocation.status == "offered", AdvocateAllocation.ended_at.is_(None))
            ))
        if not waiting:
            return entries
        for woman_id in waiting:
            reply = decide(women.get(woman_id), attempt)
            try:
                text = await answer_offer(ctx, woman_id, reply)
            except (WorkflowUpdateFailedError, Refused, RPCError):
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
    breaches: list[tuple[date, Breach]] = field(default_factory=list)
    final: Verdict | None = None
    expectations: list[tuple[str, bool]] = field(default_factory=list)


async def run_scenario(scenario: Scenario) -> SimResult:
    """Run one scenario in a fresh environment."""
    async with environment() as sim:
        return await replay(sim, scenario)


async def replay(sim: Sim, scenario: Scenario) -> SimResult:
    """Refer her on the start date, send each event on its day, and watch what follows."""
    clock = SimClock.for_start(scenario.start, uk_date(await sim.env.get_current_time()))
    ctx = Context(sim.env.client, sim.settings.temporal_task_queue, sim.people, clock)
    ctx.now = await sim.advance_to(clock.virtual(scenario.start, time(9, 0)))
    woman = await refer(ctx, 1, scenario.woman, scenario.start)
    result = SimResult(scenario, woman, clock)
    result.entries.append(Entry(ctx.now, "command", f"referral sent for {woman.pseudonym} "
                                f"(EDD {scenario.woman.due_date(scenario.start)})",
                                {"do": "referral"}))
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
    async with sim.sessions() as session:
        verdict = await check_removed_women(session, now=sim.now, today=uk_date(sim.now))
    result.days_checked += 1
    result.final = verdict
    day = result.clock.scenario_date(sim.now)
    result.breaches += [(day, b) for b in verdict.breaches if b.woman_id == result.woman.woman_id]


def _found(expected: str, entries: list[Entry]) -> bool:
    return any(expected in e.text or expected in f"{e.kind}: {e.text}" for e in entries)
