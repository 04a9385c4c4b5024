"""`waymark duties backfill`: the duty register from the facts on record (idempotent)."""

from __future__ import annotations

import asyncio

import typer

duties_app = typer.Typer(help="The duty register: what is owed to each woman, and by whom.")


@duties_app.command("backfill")
def backfill() -> None:
    """Open the duties the facts on record say are owed (a second run changes nothing)."""
    total = asyncio.run(_backfill())
    typer.echo(f"{total} duties in the register")


async def _backfill() -> int:
    # Imported here, as in `waymark.cli`: `waymark --help` need not load the database.
    from services.duty_backfill import backfill as fill
    from waymark.db.base import utcnow
    from waymark.db.session import make_engine, make_sessionmaker, transaction
    from waymark.settings import get_settings

    engine = make_engine(get_settings().sqlalchemy_url)
    try:
        async with transaction(make_sessionmaker(engine)) as session:
            return await fill(session, now=utcnow())
    finally:
        await engine.dispose()
