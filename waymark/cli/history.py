"""`waymark history`: export a woman's workflow histories (payloads still encrypted) and replay
exported histories against the current code, the check before releasing workflow changes."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Annotated

import typer

history_app = typer.Typer(
    help="Workflow histories: export them from Temporal, replay them against this code.",
    no_args_is_help=True,
)


@history_app.command("export")
def export(
    woman_id: Annotated[uuid.UUID, typer.Argument(help="Her record's id (as in her pathway's).")],
    out: Annotated[Path, typer.Option("--out", help="The folder to write the files to.")],
) -> None:
    """Write every run of her pathway, conferences, advocacy and support workflows as JSON,
    with payloads exactly as Temporal stores them (encrypted)."""
    written = asyncio.run(_export(woman_id, out))
    if not written:
        typer.echo(f"Error: Temporal has no workflows for woman {woman_id}", err=True)
        raise typer.Exit(1)
    for path in written:
        typer.echo(str(path))
    typer.echo(f"{len(written)} histories written")


async def _export(woman_id: uuid.UUID, out: Path) -> list[Path]:
    from sqlalchemy import select

    from forms.advocacy import allocation_workflow_id
    from waymark.db.models import Conference, SupportEpisode
    from waymark.db.session import make_engine, make_sessionmaker
    from waymark.settings import get_settings
    from waymark.temporal.client import connect
    from waymark.temporal.histories import export_histories
    from workflows.pathway import workflow_id

    settings = get_settings()
    engine = make_engine(settings.sqlalchemy_url)
    try:
        async with make_sessionmaker(engine)() as session:
            conferences = await session.scalars(
                select(Conference.id).where(Conference.woman_id == woman_id)
            )
            episodes = await session.scalars(
                select(SupportEpisode.workflow_id).where(SupportEpisode.woman_id == woman_id)
            )
            ids = [workflow_id(woman_id), allocation_workflow_id(woman_id)]
            ids += [f"conference-{conference}" for conference in conferences]
            ids += list(episodes)
    finally:
        await engine.dispose()
    return await export_histories(await connect(settings), ids, out)


@history_app.command("replay")
def replay(
    folder: Annotated[Path, typer.Argument(help="A folder of exported histories.")],
) -> None:
    """Replay exported histories against this code with the configured keys; exit 1 if any
    would not replay (a change that needs `workflow.patched`)."""
    from waymark.settings import get_settings
    from waymark.temporal.client import data_converter
    from waymark.temporal.histories import replay_histories

    count = len(list(folder.glob("*.json")))
    if count == 0:
        typer.echo(f"Error: no histories (*.json) in {folder}", err=True)
        raise typer.Exit(2)
    failures = asyncio.run(replay_histories(folder, data_converter(get_settings())))
    for failure in failures:
        typer.echo(f"does not replay: {failure.file}: {failure.error}")
    typer.echo(f"{count - len(failures)} of {count} histories replay")
    if failures:
        raise typer.Exit(1)
