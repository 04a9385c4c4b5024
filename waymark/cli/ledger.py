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
    limit: Annotated[int, typer.Option("--limit", min=1, help="Women per page.")] = 50,
    after: Annotated[
        str | None, typer.Option("--after", help="Start after this page's `next`.")
    ] = None,
) -> None:
    """The "no woman dropped" ledger, a page at a time: overdue duties first."""
    if area is not None:
        from waymark.areas import UnknownAreaError, get_area

        try:
            get_area(area)
        except UnknownAreaError as exc:
            raise typer.BadParameter(str(exc), param_hint="--area") from None
    if after is not None:
        _check_cursor(after)
    result = asyncio.run(_ledger(area, limit, after))
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    if not result.rows:
        typer.echo("No woman whose baby was placed in care is on record there.")
        return
    Console().print(_table(result))
    if result.next:
        typer.echo(f"More: --after {result.next}")


def _check_cursor(after: str) -> None:
    from services.ledger import parse_position
    from waymark.errors import Invalid

    try:
        parse_position(after)
    except Invalid as exc:
        raise typer.BadParameter(str(exc), param_hint="--after") from None


async def _ledger(area: str | None, limit: int, after: str | None) -> Ledger:
    # Imported here, as in `waymark.cli`: `waymark --help` need not load the database layer.
    from services.ledger import build_ledger
    from waymark.db.session import make_engine, make_sessionmaker, transaction
    from waymark.localtime import today_in_uk
    from waymark.settings import get_settings

    engine = make_engine(get_settings().sqlalchemy_url)
    try:
        async with transaction(make_sessionmaker(engine)) as session:
            # The page is one view on the audit trail, naming whom it listed (no signed-in
            # person at a terminal).
            return await build_ledger(
                session,
                area=area,
                today=today_in_uk(),
                actor=None,
                detail="waymark ledger",
                limit=limit,
                after=after,
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
