"""How long from "a removal is recorded" to the advocate's urgent message *delivered*: accepted
by a local SMTP server (a real aiosmtpd server, as in the delivery tests), not only queued.

Each run: a new woman's pathway, a birth, then the placement in care is sent; we time from
sending that Update until (baseline) the urgent notice to the advocate offered her case is in
the outbox, and until its email has been accepted by the SMTP server (its delivery recorded as
sent). The dispatcher's own interval is 30 s: a figure far under it shows the activity that
wrote the notice woke the dispatcher.

    .venv/bin/python -m bench.urgent_delivery [--runs 200] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, update  # noqa: E402

from bench.harness import Bench, bench_environment, report  # noqa: E402
from bench.table import Figure, percentile, show  # noqa: E402
from tests.delivery.fakes import SmtpServer  # noqa: E402
from tests.helpers.birth import born, removed  # noqa: E402
from tests.helpers.pathway import actor_for, pathway_input, start_pathway  # noqa: E402
from waymark.db.models import Delivery, Notice, User  # noqa: E402
from waymark.db.models.advocacy import AdvocateProfile  # noqa: E402
from workflows.delivery import start_dispatcher  # noqa: E402

T = TypeVar("T")
SENT = ("created", "sending", "delivered")
LIMIT_S = 60


async def _urgent_notice(bench: Bench, woman_id: uuid.UUID) -> uuid.UUID | None:
    """The urgent notice to the advocate offered her case, once it is in the outbox."""
    async with bench.watch() as session:
        found: uuid.UUID | None = await session.scalar(
            select(Notice.id)
            .join(User, User.id == Notice.recipient_user_id)
            .where(
                Notice.woman_id == woman_id,
                Notice.kind == "advocate_offer",
                Notice.urgent.is_(True),
                User.role == "advocate",
            )
            .limit(1)
        )
        return found


async def _sent(bench: Bench, notice_id: uuid.UUID) -> bool:
    async with bench.watch() as session:
        sent = await session.scalar(
            select(func.count(Delivery.id)).where(
                Delivery.notice_id == notice_id,
                Delivery.channel == "email",
                Delivery.status.in_(SENT),
            )
        )
        return bool(sent)


async def _one(bench: Bench) -> tuple[float, float]:
    """(queued ms, delivered ms) for one removal."""
    mia = await actor_for(bench.sessions, "mia.midwife")
    sam = await actor_for(bench.sessions, "sam.social")
    inp = pathway_input(mia)
    handle = await start_pathway(bench.env.client, bench.settings.temporal_task_queue, inp)
    babies = await born(handle, mia, await bench.env.get_current_time())
    started = time.perf_counter()
    placement = asyncio.create_task(removed(handle, sam, babies[0].baby_id))
    notice_id = await _until(started, lambda: _urgent_notice(bench, inp.state.woman_id))
    queued = (time.perf_counter() - started) * 1000
    await _until(started, lambda: _sent(bench, notice_id))
    delivered = (time.perf_counter() - started) * 1000
    await placement
    return queued, delivered


async def _until(started: float, check: Callable[[], Awaitable[T | None]]) -> T:
    """Poll `check` every 5 ms until it finds something (the worker shares this event loop:
    polling harder would slow what it measures)."""
    while not (found := await check()):
        if time.perf_counter() - started > LIMIT_S:
            raise RuntimeError(f"the advocate's message was not delivered within {LIMIT_S} s")
        await asyncio.sleep(0.005)
    return found


async def run(runs: int) -> tuple[list[float], list[float]]:
    """Queued and delivered latencies (ms) of `runs` removals, after five to warm up."""
    with SmtpServer() as smtp:
        async with bench_environment(
            delivery="smtp", smtp_host="127.0.0.1", smtp_port=smtp.port
        ) as bench:
            async with bench.sessions() as session, session.begin():
                # Hundreds of removals in one area: room for all on the advocates' caseloads;
                # an address for each advocate (the demo people have none).
                await session.execute(update(AdvocateProfile).values(capacity=10_000))
                await session.execute(
                    update(User)
                    .where(User.role == "advocate")
                    .values(email=User.username + "@advocacy.example", mobile=None)
                )
            await start_dispatcher(bench.env.client, bench.settings.temporal_task_queue)
            samples = [await _one(bench) for _ in range(runs + 5)][5:]
            accepted = len(smtp.inbox.messages)
    queued = [q for q, _ in samples]
    delivered = [d for _, d in samples]
    report("removal recorded -> advocate's urgent notice queued (baseline)", queued)
    report("removal recorded -> advocate's urgent message accepted by SMTP", delivered)
    report("queued -> accepted by SMTP (the woken dispatcher)", _gaps(queued, delivered))
    print(f"the SMTP server accepted {accepted} messages in all", flush=True)  # noqa: T201
    return queued, delivered


def _gaps(queued: list[float], delivered: list[float]) -> list[float]:
    return [d - q for q, d in zip(queued, delivered, strict=True)]


def figures(quick: bool, runs: int | None = None) -> list[Figure]:
    queued, delivered = asyncio.run(run(runs or (20 if quick else 200)))
    name = "removal -> advocate's message delivered"
    return [
        Figure(
            f"{name}: p50 (baseline: queued p50)",
            percentile(delivered, 50),
            "ms",
            baseline=percentile(queued, 50),
        ),
        Figure(
            f"{name}: p99 (baseline: queued p99)",
            percentile(delivered, 99),
            "ms",
            baseline=percentile(queued, 99),
        ),
        Figure(f"{name}: p99", percentile(delivered, 99), "ms", at_most=2000),
        Figure("queued -> delivered: p99", percentile(_gaps(queued, delivered), 99), "ms"),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="fewer runs (a shared machine)")
    args = parser.parse_args()
    show(figures(args.quick, args.runs), "urgent_delivery")
