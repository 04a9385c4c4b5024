"""`waymark audit`: check the audit trail's hash chain, and list who viewed a woman's record."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from waymark.cli.clocks import parse_date

if TYPE_CHECKING:
    from services.audit_trail import AccessEntry, ChainReport

audit_app = typer.Typer(
    help="The audit trail: check it has not been tampered with; who viewed a record.",
    no_args_is_help=True,
)


@audit_app.command()
def verify() -> None:
    """Walk the hash chain and check it against its anchors; if it is intact, anchor its head.
    Exit 1 and list the problems if any row was edited, lost, moved or cut from the end."""
    report = asyncio.run(_verify())
    if report.intact:
        typer.echo(f"audit trail intact: {report.rows} rows, {report.anchors} earlier anchors")
        if report.anchored_seq is not None and report.anchored_at is not None:
            at = report.anchored_at.strftime("%Y-%m-%d %H:%M:%S UTC")
            typer.echo(f"anchored at row {report.anchored_seq}, hash {report.last_hash}, {at}")
        return
    typer.echo(f"audit trail NOT intact: {report.rows} rows, {len(report.problems)} problems")
    for problem in report.problems:
        typer.echo(f"  {problem}")
    raise typer.Exit(1)


@audit_app.command("who-viewed")
def who_viewed_command(
    woman_id: Annotated[uuid.UUID, typer.Argument(help="Her record id.")],
    since: Annotated[
        date | None,
        typer.Option(
            "--from", parser=parse_date, metavar="YYYY-MM-DD", help="First UK day to include."
        ),
    ] = None,
    until: Annotated[
        date | None,
        typer.Option("--to", parser=parse_date, metavar="YYYY-MM-DD", help="Last UK day."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Everyone who viewed or changed her record, or was refused it, oldest first."""
    if since and until and since > until:
        raise typer.BadParameter("--from is after --to.")
    entries = asyncio.run(_who_viewed(woman_id, since, until))
    if as_json:
        typer.echo(json.dumps([entry.model_dump(mode="json") for entry in entries], indent=2))
        return
    if not entries:
        typer.echo("No audited access to that record in that period.")
        return
    Console().print(_table(entries))


async def _verify() -> ChainReport:
    # Imported here, as in `waymark.cli`: `waymark --help` need not load the database layer.
    from services.audit_trail import verify_and_anchor
    from waymark.audit_anchor import anchor_book
    from waymark.db.session import make_engine, make_sessionmaker
    from waymark.settings import get_settings

    settings = get_settings()
    engine = make_engine(settings.sqlalchemy_url)
    try:
        async with make_sessionmaker(engine)() as session:
            return await verify_and_anchor(session, anchor_book(settings))
    finally:
        await engine.dispose()


async def _who_viewed(
    woman_id: uuid.UUID, since: date | None, until: date | None
) -> list[AccessEntry]:
    from services.audit_trail import who_viewed
    from waymark import audit
    from waymark.db.session import make_engine, make_sessionmaker, transaction
    from waymark.settings import get_settings

    engine = make_engine(get_settings().sqlalchemy_url)
    try:
        async with transaction(make_sessionmaker(engine)) as session:
            entries = await who_viewed(session, woman_id=woman_id, since=since, until=until)
            # Reading the trail is itself on the trail (no signed-in person at a terminal).
            audit.record(
                session,
                None,
                action="view_audit",
                record_type="woman",
                record_id=woman_id,
                detail="waymark audit who-viewed",
            )
            return entries
    finally:
        await engine.dispose()


def _table(entries: list[AccessEntry]) -> Table:
    table = Table("When (UTC)", "Who", "Role", "Organisation", "Action", "Outcome", "Request")
    table.add_column("Reason")
    for entry in entries:
        cells = [
            entry.at.strftime("%Y-%m-%d %H:%M:%S"),
            entry.name or "-",
            entry.role or "-",
            entry.organisation or "-",
            entry.action,
            entry.outcome,
            entry.request_id or "-",
            entry.reason or "",
        ]
        # Text, not markup: a name or reason with [brackets] is printed as written.
        table.add_row(*(Text(cell) for cell in cells))
    return table
