"""`waymark ledger`: every woman whose baby was placed in care, most urgent first."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from forms.ledger import Ledger, LedgerRow


def ledger(
    area: Annotated[
        str | None, typer.Option("--area", help="One area's code (default: every area).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """The "no woman dropped" ledger: advocate, support, contact, open breaches."""
    if area is not None:
        from waymark.areas import UnknownAreaError, get_area

        try:
            get_area(area)
        except UnknownAreaError as exc:
            raise typer.BadParameter(str(exc), param_hint="--area") from None
    result = asyncio.run(_ledger(area))
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    if not result.rows:
        typer.echo("No woman whose baby was placed in care is on record there.")
        return
    Console().print(_table(result))


async def _ledger(area: str | None) -> Ledger:
    # Imported here, as in `waymark.cli`: `waymark --help` need not load the database layer.
    from waymark.db.session import make_engine, make_sessionmaker, transaction
    from waymark.localtime import today_in_uk
    from waymark.services.ledger import build_ledger
    from waymark.settings import get_settings

    engine = make_engine(get_settings().sqlalchemy_url)
    try:
        async with transaction(make_sessionmaker(engine)) as session:
            # Each woman listed is a view on the audit trail (no signed-in person at a terminal).
            return await build_ledger(
                session, area=area, today=today_in_uk(), actor=None, detail="waymark ledger"
            )
    finally:
        await engine.dispose()


def _table(result: Ledger) -> Table:
    table = Table(title=f"No woman dropped: {result.area or 'every area'}, {result.today}")
    for column in ("Name", "Breaches", "Advocate", "Support", "Named worker", "Last contact"):
        table.add_column(column)
    for column in ("Next due", "Risk until", "Open referrals", "Overdue clocks"):
        table.add_column(column)
    for row in result.rows:
        # Text, not markup: a name with [brackets] is printed as written.
        table.add_row(*(Text(cell) for cell in _cells(row)))
    return table


def _cells(row: LedgerRow) -> list[str]:
    advocate = row.advocate
    who = advocate.name or advocate.reason or "-"
    next_due = str(row.next_contact_due or "-") + (" (overdue)" if row.contact_overdue else "")
    return [
        row.name,
        ", ".join(b.kind.value for b in row.breaches) or "-",
        f"{advocate.status.value}: {who}",
        row.episode.status if row.episode else "none",
        row.named_worker or "-",
        str(row.last_contact_on or "-"),
        next_due,
        str(row.heightened_risk_until or "-"),
        str(len(row.open_referrals)),
        str(len(row.overdue_clocks)),
    ]
