"""A bounded load test: 2,000 mixed requests, 8 at a time, over loopback to the whole service as
`make run` starts it (`waymark dev`: Temporal dev server, worker, web app), and 1,000 with two web
app processes sharing its SQLite database. Every request must succeed, every command accepted
must have its effect on record afterwards, and the audit chain must still be whole. A command the
worker did not confirm within the API's wait (202 for a referral, 503 "may still complete" for
a decision: on a loaded machine it happens) counts as accepted, and its effect must follow.

Not a benchmark: it asserts no errors and no lost effects, never a time (figures belong in bench/).
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from tests.e2e.stack import Stack, start_stack, stop_stack
from tests.helpers.referrals import referral_body
from waymark.db.models import Referral, TimelineEvent, Woman

pytestmark = pytest.mark.load

# Requests, by the web app's processes.
REQUESTS = {1: 2_000, 2: 1_000}
CONCURRENCY = 8
# Of every 25 requests: one referral, one screening decision, the rest reads.
CYCLE = ["refer", "screen", *["read"] * 23]
# What people read (each read is audited: a short write after it), and the health probe, which
# must answer at once although the worker and the audit rows are writing.
READS = ["/api/v1/women", "/api/v1/women/{woman}", "/health"]
EARLY_HELP = {"decision": "early_help", "reason": "Support from the family hub"}


@pytest.fixture(scope="module", params=[1, 2], ids=["one web process", "two web processes"])
def stack(
    request: pytest.FixtureRequest,
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    running = start_stack(tmp_path_factory.mktemp("load"), sqlite_template, request.param)
    yield running
    stop_stack(running)


@dataclass
class Run:
    """What was sent and what was accepted."""

    statuses: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    referred: list[uuid.UUID] = field(default_factory=list)
    screened: list[uuid.UUID] = field(default_factory=list)
    unscreened: list[uuid.UUID] = field(default_factory=list)
    unconfirmed: int = 0


async def test_mixed_requests_without_an_error_or_a_lost_command(stack: Stack) -> None:
    run, requests = Run(), REQUESTS[stack.web_processes]
    plan = iter(itertools.islice(itertools.cycle(CYCLE), requests))
    async with (
        _client(stack, "mia.midwife") as midwife,
        _client(stack, "sam.social") as social_worker,
    ):

        async def one_at_a_time() -> None:
            for number, kind in enumerate(plan):
                await _request(kind, number, run, midwife, social_worker)

        await asyncio.gather(*(one_at_a_time() for _ in range(CONCURRENCY)))
    assert run.failures == []
    assert len(run.statuses) == requests
    assert len(run.referred) >= requests // len(CYCLE)
    assert run.unconfirmed <= len(run.referred) // 10, "most commands are confirmed at once"
    for _ in range(60):  # an unconfirmed command's effect follows within a minute
        if _effects_present(stack, run):
            break
        await asyncio.sleep(1)
    _assert_effects(stack, run)
    _assert_audit_chain_whole(stack, len(run.referred) + len(run.screened))


def _client(stack: Stack, username: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=stack.url,
        headers={"Authorization": f"Bearer {stack.token(username)}"},
        timeout=60,
    )


async def _request(
    kind: str,
    number: int,
    run: Run,
    midwife: httpx.AsyncClient,
    social_worker: httpx.AsyncClient,
) -> None:
    if kind == "screen" and run.unscreened:
        woman = run.unscreened.pop()
        response = await social_worker.post(f"/api/v1/women/{woman}/screening", json=EARLY_HELP)
        if response.status_code == 200 or _unconfirmed(response):
            run.screened.append(woman)
    elif kind == "refer":
        key = {"Idempotency-Key": f"load-{uuid.uuid4()}"}
        response = await midwife.post("/api/v1/referrals", json=referral_body(), headers=key)
        if response.status_code in (201, 202):
            woman = uuid.UUID(response.json()["woman_id"])
            run.referred.append(woman)
            run.unscreened.append(woman)
    else:
        path = READS[number % len(READS)]
        if "{woman}" in path:
            path = (
                path.format(woman=run.referred[number % len(run.referred)])
                if run.referred
                else "/health"
            )
        response = await social_worker.get(path)
    run.statuses.append(response.status_code)
    if response.status_code == 202 or _unconfirmed(response):
        run.unconfirmed += 1
    elif response.status_code not in (200, 201):
        run.failures.append(f"{kind} -> {response.status_code}: {response.text[:200]}")


def _unconfirmed(response: httpx.Response) -> bool:
    """The command was sent; the worker had not confirmed it when the API stopped waiting."""
    return response.status_code == 503 and "may still complete" in response.text


def _effects_present(stack: Stack, run: Run) -> bool:
    try:
        _assert_effects(stack, run)
    except AssertionError:
        return False
    return True


def _assert_effects(stack: Stack, run: Run) -> None:
    """Each accepted referral is on record with her pathway's first step done; each accepted
    screening decision is on her referral and her timeline."""
    engine = create_engine(f"sqlite:///{stack.state_dir / 'waymark.db'}")
    try:
        with engine.connect() as conn:
            women = set(conn.scalars(select(Woman.id).where(Woman.id.in_(run.referred))))
            referrals = conn.scalar(select(func.count()).where(Referral.woman_id.in_(run.referred)))
            decided = set(
                conn.scalars(
                    select(Referral.woman_id).where(
                        Referral.woman_id.in_(run.screened),
                        Referral.screening_decision == "early_help",
                    )
                )
            )
            decisions = conn.scalar(
                select(func.count()).where(
                    TimelineEvent.woman_id.in_(run.screened),
                    TimelineEvent.kind == "screening_decision",
                )
            )
    finally:
        engine.dispose()
    assert women == set(run.referred)
    assert referrals == len(run.referred)
    assert decided == set(run.screened)
    assert decisions == len(run.screened)


def _assert_audit_chain_whole(stack: Stack, commands: int) -> None:
    """Every process's audit rows joined one chain, in order, none lost or forked; each
    accepted command is on it."""
    with stack.api("lee.lead") as lead:
        report = lead.get("/api/v1/audit/verify")
    assert report.status_code == 200, report.text
    assert report.json()["problems"] == []
    assert report.json()["intact"] is True
    assert report.json()["rows"] >= commands
