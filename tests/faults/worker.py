"""A Waymark worker with a test-only fault, run as its own process by the fault tests:

    python -m tests.faults.worker --barrier record_screening=/tmp/inside
        the named activity does its work, then writes the file and waits to be killed: the
        test knows the worker is inside it, after the write and before the answer;
    python -m tests.faults.worker --skew-seconds 7200
        the worker's clock (everything Python asks the time of) runs that far ahead (or behind,
        when negative) of the Temporal server's.

Otherwise it is the worker `waymark worker` runs: every workflow and activity, the settings
from WAYMARK_* variables.
"""

from __future__ import annotations

import argparse
import asyncio
import typing
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import time_machine
from temporalio import activity
from temporalio.worker import Worker

from waymark.db.session import make_engine, make_sessionmaker
from waymark.settings import get_settings
from waymark.temporal.client import connect
from waymark.temporal.worker import WORKFLOWS, activities
from workflows.delivery import start_dispatcher


def with_barrier(real: Callable[..., Any], inside: Path) -> Callable[..., Any]:
    """The activity under its own name and types, stopping for good after its work is done."""
    definition = activity._Definition.must_from_callable(real)
    hints = typing.get_type_hints(real)

    async def barrier(inp: Any) -> Any:
        result = await real(inp)
        inside.write_text(activity.info().activity_id)
        await asyncio.Event().wait()  # until SIGKILL
        return result

    barrier.__annotations__ = {"inp": next(iter(hints.values())), "return": hints["return"]}
    return activity.defn(name=definition.name)(barrier)


async def run(barriers: dict[str, Path]) -> None:
    settings = get_settings()
    sessions = make_sessionmaker(make_engine(settings.sqlalchemy_url))
    client = await connect(settings)
    registered = []
    for function in activities(sessions, settings):
        name = activity._Definition.must_from_callable(function).name
        registered.append(with_barrier(function, barriers[name]) if name in barriers else function)
    worker = Worker(
        client,
        task_queue=settings.temporal_task_queue,
        workflows=WORKFLOWS,
        activities=registered,
    )
    async with worker:
        await start_dispatcher(client, settings.temporal_task_queue)
        await asyncio.Event().wait()  # until killed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--barrier", action="append", default=[], metavar="ACTIVITY=FILE")
    parser.add_argument("--skew-seconds", type=float, default=0.0)
    options = parser.parse_args()
    if options.skew_seconds:
        skewed = datetime.now(UTC) + timedelta(seconds=options.skew_seconds)
        time_machine.travel(skewed, tick=True).start()
    barriers = dict(item.split("=", 1) for item in options.barrier)
    asyncio.run(run({name: Path(path) for name, path in barriers.items()}))


if __name__ == "__main__":
    main()
