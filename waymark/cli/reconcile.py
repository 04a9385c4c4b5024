"""`waymark reconcile`: check that the database and Temporal agree; exit 1 on any discrepancy."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from forms.oversight_reports import Discrepancy


class TemporalUnreachable(Exception):
    """Temporal could not be reached; the check could not be made."""


def reconcile(
    grace_seconds: Annotated[
        int,
        typer.Option(
            min=0, help="Leave records and workflows changed this recently for the next run."
        ),
    ] = 120,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="Write back what Temporal knows for certain (after a restore), then check again.",
        ),
    ] = False,
) -> None:
    """Every open case has a running workflow and back again; future meetings have notices;
    her record's stage is her pathway's."""
    try:
        repaired, found = asyncio.run(_reconcile(timedelta(seconds=grace_seconds), repair))
    except TemporalUnreachable as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(2) from None
    for line in repaired:
        typer.echo(line, err=as_json)
    if as_json:
        typer.echo(json.dumps([item.model_dump(mode="json") for item in found], indent=2))
    elif not found:
        typer.echo("no discrepancies")
    else:
        for item in found:
            typer.echo(item.line())
        typer.echo(f"{len(found)} discrepancies")
    if found:
        raise typer.Exit(1)


async def _reconcile(grace: timedelta, repair: bool) -> tuple[list[str], list[Discrepancy]]:
    """What was repaired (when asked), and the discrepancies found (after repairing)."""
    # Imported here, as in `waymark.cli`: `waymark --help` need not load Temporal or the database.
    from temporalio.service import RPCError

    from services.reconcile import reconcile as find_discrepancies
    from waymark.cli.repair import Repairing
    from waymark.cli.repair import repair as put_right
    from waymark.db.session import make_engine, make_sessionmaker
    from waymark.settings import get_settings
    from waymark.temporal.client import connect

    settings = get_settings()
    try:
        client = await connect(settings)
    except RuntimeError as error:
        # The address only: it names a server, never a person.
        message = f"cannot reach Temporal at {settings.temporal_address}"
        raise TemporalUnreachable(message) from error
    engine = make_engine(settings.sqlalchemy_url)
    sessions = make_sessionmaker(engine)
    repaired: list[str] = []
    try:
        async with sessions() as session:
            found = await find_discrepancies(session, client, grace=grace)
        if repair and found:
            context = Repairing(sessions, client, settings.temporal_task_queue)
            repaired = await put_right(context, found)
            async with sessions() as session:
                found = await find_discrepancies(session, client, grace=grace)
        return repaired, found
    except RPCError as error:
        message = f"Temporal at {settings.temporal_address} failed: {error.status.name}"
        raise TemporalUnreachable(message) from error
    finally:
        await engine.dispose()
