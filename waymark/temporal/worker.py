"""The Waymark worker: registers every workflow and activity on the task queue."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from contextlib import AsyncExitStack
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.advocacy import AdvocacyActivities
from activities.birth import BirthActivities
from activities.clocks import ClockActivities
from activities.conference import ConferenceActivities
from activities.delivery import DeliveryActivities
from activities.documents import DocumentActivities
from activities.intake import IntakeActivities
from activities.meetings import MeetingActivities
from activities.onboard import OnboardActivities
from activities.oversight import OversightActivities
from activities.pathway import PathwayActivities
from activities.referral import ReferralActivities
from activities.replan import ReplanActivities
from activities.support import SupportActivities
from waymark.audit_anchor import anchor_book, keep_anchoring
from waymark.db.session import make_engine, make_sessionmaker
from waymark.observability.logs import configure_logging
from waymark.observability.tracing import temporal_interceptor, tracer_provider
from waymark.settings import Settings, get_settings
from waymark.temporal.client import connect
from waymark.temporal.schedules import ensure_sweep_schedule
from waymark.temporal.worker_http import sdk_runtime, serving, worker_app
from workflows.advocacy import AdvocateAllocation
from workflows.conference import CaseConference
from workflows.delivery import DeliveryDispatcher, start_dispatcher
from workflows.oversight import OversightSweep
from workflows.pathway import WomanPathway
from workflows.support import MotherSupport

log = logging.getLogger("waymark.worker")

WORKFLOWS = [
    WomanPathway,
    CaseConference,
    MotherSupport,
    AdvocateAllocation,
    DeliveryDispatcher,
    OversightSweep,
]

# The contracts (`forms/`) and pure rules (`rules/`) a workflow imports hold no state and do no
# I/O, and `tests/test_layers.py` keeps them so: they pass through the sandbox instead of being
# imported afresh for every workflow run (pydantic building every contract again: about 70 ms
# of CPU a run). The workflows' own code is still imported, and restricted, run by run.
RESTRICTIONS = SandboxRestrictions.default.with_passthrough_modules("forms", "rules")


def build_worker(
    client: Client,
    sessions: async_sessionmaker[AsyncSession],
    task_queue: str,
    settings: Settings | None = None,
    **tuning: Any,
) -> Worker:
    """A worker with every workflow and activity, its activities bound to the given database.
    The client's interceptors (tracing, in `run_worker`) apply to the worker too; `tuning` goes
    to Temporal's `Worker` as it is (the simulator's runner and cache size)."""
    tuning.setdefault("workflow_runner", SandboxedWorkflowRunner(restrictions=RESTRICTIONS))
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=activities(sessions, settings),
        **tuning,
    )


# Each class of activities, built with what it needs; every `@activity.defn` method on it is
# registered, so a new activity needs no second list.
ACTIVITY_CLASSES: tuple[type, ...] = (
    ReferralActivities,
    IntakeActivities,
    PathwayActivities,
    ClockActivities,
    MeetingActivities,
    ConferenceActivities,
    DocumentActivities,
    DeliveryActivities,
    BirthActivities,
    SupportActivities,
    AdvocacyActivities,
    OversightActivities,
    ReplanActivities,
    OnboardActivities,
)


def activities(
    sessions: async_sessionmaker[AsyncSession], settings: Settings | None = None
) -> list[Callable[..., Any]]:
    """Every activity, each bound to the database through its class."""
    found: list[Callable[..., Any]] = []
    for cls in ACTIVITY_CLASSES:
        bound = (
            cls(sessions, settings or get_settings())
            if cls is DeliveryActivities
            else cls(sessions)
        )
        found.extend(activity_methods(bound))
    return found


def activity_methods(instance: object) -> list[Callable[..., Any]]:
    """The instance's methods that are Temporal activities, in the order the class defines them."""
    methods = (getattr(instance, name) for name in vars(type(instance)) if not name.startswith("_"))
    return [m for m in methods if callable(m) and activity_name(m) is not None]


def activity_name(fn: Callable[..., Any]) -> str | None:
    """The name an activity is registered under, or None for a method that is not one."""
    definition = getattr(fn, "__temporal_activity_definition", None)
    return getattr(definition, "name", None)


async def run_worker() -> None:
    """Run until SIGINT or SIGTERM, then finish in-flight tasks and stop."""
    settings = get_settings()
    configure_logging("worker", settings.log_format)
    # On SQLite, statements run on the loop's thread: an activity's statements are short, and
    # its writes wait for their turn before SQLite's lock, never in SQLite's busy handler.
    engine = make_engine(
        settings.sqlalchemy_url, pool_size=settings.database_pool_size, inline=True
    )
    sessions = make_sessionmaker(engine)
    tracing = tracer_provider(settings, "worker")
    # The SDK's own metrics only when this worker has a port to serve them on.
    runtime, sdk_metrics = sdk_runtime() if settings.worker_port else (None, None)
    client = await connect(settings, interceptors=[temporal_interceptor(tracing)], runtime=runtime)
    worker = build_worker(client, sessions, settings.temporal_task_queue, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with worker, AsyncExitStack() as http:
        if settings.worker_port:
            app = worker_app(settings, sessions, client, sdk_metrics)
            await http.enter_async_context(serving(app, settings.worker_host, settings.worker_port))
        log.info("worker running on task queue %s", settings.temporal_task_queue)
        await start_dispatcher(client, settings.temporal_task_queue)
        await ensure_sweep_schedule(client, settings.temporal_task_queue)
        # The audit trail's head, anchored outside the database every few minutes.
        every = timedelta(minutes=settings.audit_anchor_minutes)
        anchoring = asyncio.create_task(keep_anchoring(sessions, anchor_book(settings), every))
        await stop.wait()
        anchoring.cancel()
    await engine.dispose()
    tracing.shutdown()
    log.info("worker stopped")
