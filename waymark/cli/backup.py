"""`waymark backup`: a consistent copy of the embedded SQLite database while Waymark runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer

# Pages copied per step: the service's writers get the database between steps.
PAGES_PER_STEP = 1024


def backup(
    destination: Annotated[Path, typer.Argument(help="The file to write; must not exist yet.")],
) -> None:
    """Copy the SQLite database with SQLite's online backup (web and worker may keep running).

    PostgreSQL is backed up with its own tools (pg_dump or the platform's snapshots): see
    deploy/README.md.
    """
    from waymark.settings import get_settings

    url = get_settings().sync_sqlalchemy_url
    if not url.startswith("sqlite:///"):
        typer.echo("Error: the database is not SQLite; back it up with pg_dump", err=True)
        raise typer.Exit(2)
    if destination.exists():
        typer.echo(f"Error: {destination} exists already; name a new file", err=True)
        raise typer.Exit(2)
    source = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
    target = sqlite3.connect(destination)
    try:
        source.backup(target, pages=PAGES_PER_STEP)
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        target.close()
        source.close()
    if check != "ok":
        typer.echo(f"Error: the copy failed its integrity check: {check}", err=True)
        raise typer.Exit(1)
    typer.echo(f"Backed up to {destination} ({destination.stat().st_size} bytes).")
