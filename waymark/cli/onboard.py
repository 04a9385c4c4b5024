"""`waymark onboard FILE`: bring an area's existing cases in (docs/onboarding.md). Every row is
checked first; any problem is listed by line and column and nothing is written."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from services.onboard.run import Report


def onboard(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The CSV file.")],
    by: Annotated[
        str, typer.Option("--by", help="Your username (an administrator or safeguarding lead).")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file and say what would happen.")
    ] = False,
    concurrency: Annotated[int, typer.Option(min=1, max=64)] = 8,
) -> None:
    """Bring existing cases in: each woman's pathway starts at her stage, clocks from her dates;
    a rerun continues where a stopped one ended, without duplicates."""
    report = asyncio.run(_onboard(file.read_text(encoding="utf-8-sig"), by, dry_run, concurrency))
    for problem in report.problems:
        typer.echo(str(problem), err=True)
    if report.problems:
        typer.echo(f"{len(report.problems)} problems: nothing was written", err=True)
        raise typer.Exit(1)
    if dry_run:
        new = report.rows - report.already
        typer.echo(
            f"{report.rows} cases are fine: {new} would be brought in, {report.already} are in"
        )
        return
    typer.echo(f"{report.brought_in} cases brought in, {report.already} were already in")


async def _onboard(text: str, by: str, dry_run: bool, concurrency: int) -> Report:
    from rich.progress import Progress

    from services.onboard.run import Onboarding, check, run
    from waymark.db.session import make_engine, make_sessionmaker
    from waymark.localtime import today_in_uk
    from waymark.settings import get_settings
    from waymark.temporal.client import connect

    settings = get_settings()
    engine = make_engine(settings.sqlalchemy_url)
    sessions = make_sessionmaker(engine)
    # Temporal only when there is something to bring in: a check or a dry run needs none.
    _, _, problems = await check(sessions, text, by, today_in_uk())
    temporal = None if problems or dry_run else await connect(settings)
    context = Onboarding(sessions, temporal, settings.temporal_task_queue, concurrency)
    try:
        with Progress(transient=True) as bar:
            task = bar.add_task("Bringing cases in", total=max(text.count("\n") - 1, 1))
            return await run(
                context,
                text,
                by,
                today_in_uk(),
                dry_run=dry_run,
                progress=lambda: bar.advance(task),
            )
    finally:
        await engine.dispose()
