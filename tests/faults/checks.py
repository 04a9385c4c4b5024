"""What must hold after every fault: `waymark reconcile` finds nothing, the ledger agrees with
the facts in the database, and the audit trail is intact. Each is asked through the command an
operator runs (in this process, so as not to pay for starting Python three times), so it keeps
working whatever lies behind it."""

from __future__ import annotations

import asyncio
import json
import os

from sqlalchemy import select
from typer.testing import CliRunner, Result

from tests.faults.service import Service
from waymark.cli import app
from waymark.db.models import Baby, Breach, SupportEpisode
from waymark.settings import get_settings

# Visibility (the list of running workflows) is eventually consistent.
SETTLE_SECONDS = 20


async def waymark(service: Service, *args: str) -> Result:
    """`waymark ARGS` with this service's settings (and no others from the environment)."""
    env: dict[str, str | None] = {name: None for name in os.environ if name.startswith("WAYMARK_")}
    env |= {name: value for name, value in service.env.items() if name.startswith("WAYMARK_")}

    def invoke() -> Result:
        get_settings.cache_clear()
        try:
            return CliRunner(env=env).invoke(app, list(args))
        finally:
            get_settings.cache_clear()

    return await asyncio.to_thread(invoke)


async def assert_reconciled(service: Service) -> None:
    """`waymark reconcile` with no grace period: no discrepancy, both ways."""
    deadline = asyncio.get_running_loop().time() + SETTLE_SECONDS
    while True:
        result = await waymark(service, "reconcile", "--grace-seconds", "0", "--json")
        if result.exit_code == 0 or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(1)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


async def assert_ledger_agrees(service: Service) -> None:
    """The ledger lists exactly the women whose baby was placed in care (or who have a support
    episode), each with the open breaches the database holds for her."""
    result = await waymark(service, "ledger", "--json")
    assert result.exit_code == 0, result.output
    listed = {row["woman_id"]: row for row in json.loads(result.stdout)["rows"]}
    async with service.sessions() as session:
        removed = set(await session.scalars(select(Baby.woman_id).where(Baby.placement == "care")))
        supported = set(await session.scalars(select(SupportEpisode.woman_id)))
        open_breaches = list(
            await session.scalars(select(Breach).where(Breach.resolved_at.is_(None)))
        )
    assert set(listed) == {str(woman) for woman in removed | supported}
    for woman_id, row in listed.items():
        expected = sorted(b.kind for b in open_breaches if str(b.woman_id) == woman_id)
        assert sorted(b["kind"] for b in row["breaches"]) == expected


async def assert_audit_intact(service: Service) -> None:
    result = await waymark(service, "audit", "verify")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("audit trail intact")


async def assert_all_agree(service: Service) -> None:
    await assert_reconciled(service)
    await assert_ledger_agrees(service)
    await assert_audit_intact(service)
