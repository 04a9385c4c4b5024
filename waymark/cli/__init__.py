"""The `waymark` command."""

from __future__ import annotations

import asyncio

import typer

from waymark.cli.audit import audit_app
from waymark.cli.backup import backup
from waymark.cli.clocks import clocks
from waymark.cli.compliance import compliance
from waymark.cli.duties import duties_app
from waymark.cli.history import history_app
from waymark.cli.ledger import ledger
from waymark.cli.onboard import onboard
from waymark.cli.reconcile import reconcile
from waymark.cli.simulate import simulate

# Never print local variables in tracebacks: they can hold personal data or keys.
app = typer.Typer(
    help="Waymark: durable multi-agency care pathways.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command("clocks")(clocks)
app.command("ledger")(ledger)
app.command("reconcile")(reconcile)
app.command("onboard")(onboard)
app.command("backup")(backup)
app.command("compliance")(compliance)
app.command("simulate")(simulate)
app.add_typer(audit_app, name="audit")
app.add_typer(history_app, name="history")
app.add_typer(duties_app, name="duties")


@app.command()
def migrate() -> None:
    """Apply the database migrations."""
    from waymark.db.migrate import upgrade
    from waymark.settings import get_settings

    get_settings().state_dir.mkdir(parents=True, exist_ok=True)
    upgrade()
    typer.echo("Database is up to date.")


@app.command("seed-demo")
def seed_demo() -> None:
    """Load the demo organisations and accounts (once; a second run changes nothing)."""
    from waymark.demo import seed_demo_data

    created = asyncio.run(seed_demo_data())
    typer.echo("Demo data loaded." if created else "Demo data already present.")


@app.command()
def worker() -> None:
    """Run a Waymark Temporal worker until interrupted."""
    from waymark.temporal.worker import run_worker

    asyncio.run(run_worker())


@app.command()
def web() -> None:
    """Serve the web app and API."""
    import uvicorn

    from waymark.observability.logs import configure_logging
    from waymark.settings import get_settings

    settings = get_settings()
    configure_logging("web", settings.log_format)
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=settings.web_host,
        port=settings.web_port,
        workers=settings.web_workers,
        proxy_headers=False,
        access_log=False,
        log_config=None,  # uvicorn's own lines go through Waymark's JSON logs
    )


@app.command()
def dev() -> None:
    """Start the whole service locally: Temporal dev server, worker and web app."""
    from waymark.devserver import run_dev

    raise typer.Exit(run_dev())


def main() -> None:
    app()
